"""An operator can correct a mistake and hears about silence (issue 14 items 12-16, 18): `ftaudit forget`
and `ingest --replace`, the hint after an all-rejected file, one exit-code table, no database made by a
failed run, --db refusing what stores nothing or reaches the network, unreadable and hostile files named."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import ftaudit
from ftaudit.errors import ExitCode
from ftaudit.ingest.options import REJECT_REASONS
from tests.conftest import DATA, ROOT, Cli, query
from tests.test_audit import _setup

CHAT = DATA / "openai" / "chat_responses.jsonl"  # 20 OpenAI chat completions
BAD = DATA / "bad"


def _lines(prefix: str, n: int, created: int = 1760000000) -> str:
    return "".join(
        json.dumps({"id": f"{prefix}-{i}", "object": "chat.completion", "created": created + i, "model": "m",
                    "usage": {"prompt_tokens": 100 + i, "completion_tokens": 1}}) + "\n"
        for i in range(n)
    )


# -- forget and --replace ---------------------------------------------------------------------------
def test_forget_removes_a_files_calls_rejects_and_ledger_in_one_go(cli: Cli, db: Path, tmp_path: Path) -> None:
    keep, wrong = tmp_path / "keep.jsonl", tmp_path / "wrong.jsonl"
    keep.write_text(_lines("k", 4))
    wrong.write_text(_lines("w", 3) + '{"broken\n')
    cli.json("ingest", keep, wrong, "--db", db, "--workload", "wrong-name")
    result = cli("forget", wrong, "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["files_forgotten"], summary["calls"], summary["rejects"]) == (1, 3, 1)
    assert "forgot 1 ingest(s) of 1 file(s): 3 calls, 1 rejects" in result.stderr
    assert query(db, "select count(*), min(call_id) from calls") == [(4, "k-0")]
    assert query(db, "select count(*) from rejects") == [(0,)]
    assert query(db, "select path from ingested_files") == [(str(keep),)]
    # ingested again with the right flag, it is new data: 3 calls, 1 reject, nothing a duplicate
    again = cli.json("ingest", wrong, "--db", db, "--workload", "right-name")
    assert (again["rows_accepted"], again["rows_rejected"], again["rows_duplicate"]) == (3, 1, 0)
    assert query(db, "select workload, count(*) from calls group by all order by 1") == [("right-name", 3), ("wrong-name", 4)]


def test_forget_finds_a_file_by_content_and_a_folder_by_its_paths(cli: Cli, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "a.jsonl").write_text(_lines("a", 2))
    (folder / "b.jsonl").write_text(_lines("b", 5))
    cli.json("ingest", folder, "--db", db)
    copy = tmp_path / "copy_of_a.jsonl"
    shutil.copy(folder / "a.jsonl", copy)
    by_content = cli.json("forget", copy, "--db", db)
    assert [Path(f["path"]).name for f in by_content["files"]] == ["a.jsonl"]
    by_folder = cli.json("forget", folder, "--db", db)
    assert (by_folder["files_forgotten"], by_folder["calls"]) == (1, 5)
    assert query(db, "select count(*) from calls") == [(0,)]


def test_forget_of_an_unknown_path_forgets_nothing_and_suggests(cli: Cli, db: Path, tmp_path: Path) -> None:
    log = tmp_path / "calls_2026_10.jsonl"
    log.write_text(_lines("c", 2))
    cli.json("ingest", log, "--db", db)
    result = cli("forget", log, tmp_path / "calls_2026_11.jsonl", "--db", db)
    assert result.exit_code == ExitCode.USAGE
    unknown = tmp_path / "calls_2026_11.jsonl"
    assert result.stderr.splitlines()[0] == f"ftaudit: error: {unknown}: no ingested file has this path or content"
    assert f"did you mean {log}?" in result.stderr
    assert query(db, "select count(*) from calls") == [(2,)]  # the known path was not forgotten either
    missing = cli("forget", log, "--db", tmp_path / "none.duckdb")
    assert missing.exit_code == 1 and "no database at" in missing.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_replace_reads_a_file_again_with_corrected_flags(cli: Cli, db: Path, tmp_path: Path) -> None:
    """A file of millisecond timestamps read as seconds: every line rejected, the hint names --ts-unit and
    --replace; re-ingesting says all duplicates; --replace stores the 3 calls and removes the 3 rejects."""
    csv = tmp_path / "ms.csv"
    csv.write_text("t,i,o\n" + "".join(f"{1772352000000 + i * 1000},{100 + i},5\n" for i in range(3)))
    mapping = ["--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o", "--model", "m"]
    first = cli("ingest", csv, "--db", db, *mapping)
    assert first.exit_code == 0
    assert "hint: every record of" in first.stderr and "--ts-unit" in first.stderr and "--replace" in first.stderr
    again = cli("ingest", csv, "--db", db, *mapping, "--ts-unit", "ms")
    assert "already ingested: all duplicates; --replace reads it again" in again.stderr
    replaced = cli.json("ingest", csv, "--db", db, *mapping, "--ts-unit", "ms", "--replace")
    (file,) = replaced["files"]
    assert (file["rows_accepted"], file["rows_rejected"], len(file["replaced_file_ids"])) == (3, 0, 2)
    assert file["hint"] is None
    assert query(db, "select count(*), sum(input_tokens)::bigint, min(ts)::varchar from calls") == [
        (3, 303, "2026-03-01 08:00:00+00")
    ]
    assert query(db, "select count(*) from rejects") == [(0,)]
    assert query(db, "select count(*) from ingested_files") == [(1,)]


def test_replace_is_one_transaction_with_the_new_read(cli: Cli, db: Path, tmp_path: Path) -> None:
    """--replace of a file that now fails to read keeps its earlier calls: the forget is rolled back too."""
    log = tmp_path / "export.json"
    log.write_text(json.dumps([json.loads(line) for line in _lines("e", 3).splitlines()]))
    cli.json("ingest", log, "--db", db)
    log.write_text(log.read_text() + "\n}}} garbage")
    result = cli("ingest", log, "--db", db, "--replace")
    assert result.exit_code == 1, result.stdout
    assert query(db, "select count(*) from calls") == [(3,)]


def test_replace_holds_when_the_whole_file_fast_path_falls_back(cli: Cli, db: Path, tmp_path: Path) -> None:
    """A plain JSONL file with one bad line: the whole-file fast attempt is rolled back before the line path
    reads it; the earlier ingest --replace forgot must stay forgotten (it came back as 'already ingested')."""
    log = tmp_path / "calls.jsonl"
    log.write_text(_lines("f", 3) + "{not json\n")
    assert cli.json("ingest", log, "--db", db)["rows_accepted"] == 3
    replaced = cli.json("ingest", log, "--db", db, "--replace")
    (file,) = replaced["files"]
    assert (file["rows_accepted"], file["rows_rejected"], file["rows_duplicate"]) == (3, 1, 0)
    assert len(file["replaced_file_ids"]) == 1
    assert query(db, "select count(*), count(distinct file_id) from calls") == [(3, 1)]
    assert query(db, "select count(*) from ingested_files") == [(1,)]


# -- silence is an error with its exit code -----------------------------------------------------------
def test_a_folder_without_log_files_is_exit_4_and_creates_no_database(cli: Cli, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "README.md").write_text("# notes")
    (folder / ".hidden.jsonl").write_text(_lines("h", 1))
    result = cli("ingest", folder, "--db", db)
    assert result.exit_code == ExitCode.NO_DATA == 4
    assert result.stderr.splitlines()[0] == f"ftaudit: error: no log file in {folder}"
    assert not db.exists()


def test_a_folder_of_unusable_files_is_exit_4(cli: Cli, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "notes.log").write_text('{"hello": "world"}\n')
    result = cli("ingest", folder, "--db", db)
    assert result.exit_code == 4
    assert f"skipped {folder / 'notes.log'}: unrecognised log format" in result.stderr
    assert "every file was skipped" in result.stderr


def test_a_missing_path_leaves_no_database_and_the_next_command_says_so(cli: Cli, db: Path, tmp_path: Path) -> None:
    result = cli("ingest", tmp_path / "nope.jsonl", "--db", db)
    assert result.exit_code == 1 and "no such file or directory" in result.stderr
    assert not db.exists()
    for command in (["rejects"], ["stats"], ["replay", "--scenario", ROOT / "scenarios" / "classify.toml"]):
        after = cli(*command, "--db", db)
        assert after.exit_code == 1, command
        assert after.stderr.startswith(f"ftaudit: error: no database at {db}"), after.stderr


def test_rejects_with_an_unknown_reason_is_a_usage_error_naming_the_nearest(cli: Cli, db: Path) -> None:
    cli.json("ingest", BAD / "floats.jsonl", "--db", db)
    result = cli("rejects", "--reason", "bad_tpye", "--db", db)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == "ftaudit: error: --reason 'bad_tpye' is not a reject reason; did you mean 'bad_type'?"
    assert [r["source_line"] for r in cli.json("rejects", "--reason", "bad_type", "--db", db)["rejects"]] == [2]
    assert cli.json("rejects", "--reason", "bad_timestamp", "--db", db)["rejects"] == []  # known, none stored


def test_every_reason_a_query_writes_is_in_the_vocabulary() -> None:
    """`rejects --reason` checks against REJECT_REASONS: a reason written by SQL but missing there would be refused."""
    text = "\n".join(p.read_text() for p in (ROOT / "queries" / "ingest").rglob("*.sql"))
    # outcomes, flags, units, a status, a provider, and `superseded` (a snapshot counted in the ledger, never a reject)
    not_reasons = {"reject", "accept", "duplicate", "true", "iso", "s", "cancelled", "openrouter", "superseded"}
    written = set(re.findall(r"then '([a-z_]+)'", text)) - not_reasons
    written |= set(re.findall(r"else '([a-z_]+)' end as reason", text))
    assert written and written <= set(REJECT_REASONS), written - set(REJECT_REASONS)


def test_audit_of_a_month_without_calls_is_exit_4_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    config = _setup(tmp_path)
    ok = cli("audit", "--config", config, "--month", "2026-10", "--quiet")
    assert ok.exit_code == 0, ok.stderr
    empty = cli("audit", "--config", config, "--month", "2026-12", "--quiet")
    assert empty.exit_code == ExitCode.NO_DATA
    assert empty.stderr.startswith("ftaudit: error: no calls in 2026-12 in "), empty.stderr
    assert not (tmp_path / "reports" / "2026-12.html").exists()


def test_audit_source_matching_nothing_warns_and_exits_4_after_the_report(cli: Cli, tmp_path: Path) -> None:
    config = _setup(tmp_path, extra_source='[[sources]]\npaths = ["feed/*.jsonl.gz"]\n')
    result = cli("audit", "--config", config, "--month", "2026-10", "--quiet")
    assert result.exit_code == ExitCode.NO_DATA
    assert f"warning: source path {tmp_path / 'feed/*.jsonl.gz'} matched no log file" in result.stderr
    assert "1 source path(s) of" in result.stderr
    assert (tmp_path / "reports" / "2026-10.html").exists()  # the calls that came are still reported


# -- --db, --version ----------------------------------------------------------------------------------
@pytest.mark.parametrize("target", [":memory:", "md:", "md:my_db", "motherduck:x", "s3://bucket/x.duckdb"])
def test_db_that_stores_nothing_or_reaches_the_network_is_refused(
    cli: Cli, target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["ingest", CHAT], ["rejects"]):
        result = cli(*command, "--db", target)
        assert result.exit_code == ExitCode.USAGE, result.stderr
        line = result.stderr.splitlines()[0]
        assert line.startswith(f"ftaudit: error: --db {Path(target)}")
        assert "in-memory" in line or "never uses the network" in line
    assert list(tmp_path.iterdir()) == []


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"ftaudit {ftaudit.__version__}\n"


# -- files that used to stop everything without naming themselves ----------------------------------
def test_unreadable_file_in_a_folder_is_named_and_the_others_are_stored(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(CHAT, folder / "a.jsonl")
    locked = folder / "b.jsonl"
    locked.write_text(_lines("b", 2))
    shutil.copy(CHAT, folder / "c.jsonl")
    (folder / "c.jsonl").write_text(_lines("c", 3))
    db = tmp_path / "x.duckdb"
    command = [sys.executable, "-m", "ftaudit", "ingest", str(folder), "--db", str(db)]
    if os.geteuid() == 0:  # root reads anything: in a user namespace, a file of an unmapped owner is locked
        if not shutil.which("unshare") or subprocess.run(["unshare", "-r", "true"], capture_output=True).returncode:
            pytest.skip("running as root without user namespaces: no way to make a file unreadable")
        os.chown(locked, 12345, 12345)
        command = ["unshare", "-r", *command]
    locked.chmod(0)
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert f"ftaudit: error: {locked}: cannot read: Permission denied" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert query(db, "select count(*) from calls") == [(23,)]


def test_json_nested_100000_deep_is_a_reject_and_the_others_are_stored(cli: Cli, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "deep_array.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    (folder / "deep_object.jsonl").write_text('{"a":' * 100_000 + "1" + "}" * 100_000 + "\n" + _lines("d", 2))
    shutil.copy(CHAT, folder / "good.jsonl")
    result = cli("ingest", folder, "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_rejected"]) == (24, 22, 2)
    assert query(db, "select regexp_extract(source_file, '[a-z_]+[.]jsonl'), source_line from rejects order by 1") == [
        ("deep_array.jsonl", 1), ("deep_object.jsonl", 1)
    ]


def test_rejects_on_a_database_killed_before_its_first_migration(cli: Cli, tmp_path: Path) -> None:
    """What an older ftaudit left when killed after DuckDB wrote the file but before the first migration."""
    db = tmp_path / "half.duckdb"
    duckdb.connect(str(db)).close()
    for command in (["rejects"], ["stats"], ["report", "--out", tmp_path / "r.html"]):
        result = cli(*command, "--db", db)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0].startswith(f"ftaudit: error: database {db} was never set up"), result.stderr
    assert cli.json("ingest", CHAT, "--db", db)["rows_accepted"] == 20  # ingest sets it up
    assert cli.json("rejects", "--db", db)["rejects"] == []


@pytest.mark.parametrize("shell", [b"", b"\x00" * 4096, b"\x00" * 8 + b"DUCK" + b"\x00" * 4084])
def test_a_shell_left_by_a_kill_during_creation_is_replaced(cli: Cli, tmp_path: Path, shell: bytes) -> None:
    db = tmp_path / "shell.duckdb"
    db.write_bytes(shell)
    assert cli("rejects", "--db", db).stderr.startswith(f"ftaudit: error: no database at {db}")
    assert cli.json("ingest", CHAT, "--db", db)["rows_accepted"] == 20
    assert query(db, "select count(*) from calls") == [(20,)]


def test_a_short_file_that_is_not_a_shell_is_never_removed(cli: Cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.duckdb"
    notes.write_text("my notes, not a database\n")
    result = cli("ingest", CHAT, "--db", notes)
    assert result.exit_code == 1 and "not a valid DuckDB database file" in result.stderr
    assert notes.read_text() == "my notes, not a database\n"
