"""Crash safety and concurrency: SIGKILL at random moments never leaves a partial file, and a second
process waits for the database lock or says clearly who holds it."""

from __future__ import annotations

import contextlib
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

GENERATE = """
copy (
    select 'chatcmpl-' || $file || '-' || i as id, 'chat.completion' as object, 1760000000 + i as created,
           'gpt-4o-mini-2024-07-18' as model,
           {'prompt_tokens': 1000 + i % 500, 'completion_tokens': 1 + i % 50,
            'prompt_tokens_details': {'cached_tokens': 0}} as usage
    from range($n) t(i)
) to '{path}' (format json)
"""


def make_logs(folder: Path, files: int, lines: int) -> Path:
    folder.mkdir()
    con = duckdb.connect()
    for k in range(files):
        path = folder / f"part{k}.jsonl"
        # every other file has a malformed line, so the careful path is exercised under kills too
        con.execute(GENERATE.replace("{path}", str(path)), {"file": k, "n": lines})
        if k % 2:
            with path.open("a") as handle:
                handle.write('{"id": "broken\n')
    return folder


def ftaudit(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "ftaudit", *[str(a) for a in args]]


def totals(db: Path) -> tuple[int, int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {t for (t,) in con.execute("select table_name from duckdb_tables()").fetchall()}
        if "calls" not in tables:  # killed before the first migration committed (each is one transaction)
            return 0, 0, 0
        calls, ledger_accepted = con.execute(
            "select (select count(*) from calls), (select coalesce(sum(rows_accepted), 0)::bigint from ingested_files)"
        ).fetchall()[0]
        rejects = con.execute("select count(*) from rejects").fetchall()[0][0]
        orphans = con.execute("select count(*) from calls where file_id not in (select file_id from ingested_files)").fetchall()[
            0
        ][0]
    assert orphans == 0  # no call without its file's ledger row: no partial file
    assert calls == ledger_accepted
    return int(calls), int(rejects), int(ledger_accepted)


def test_sigkill_never_leaves_a_partial_file(tmp_path: Path) -> None:
    logs = make_logs(tmp_path / "logs", files=6, lines=40_000)
    clean_db = tmp_path / "clean.duckdb"
    started = time.monotonic()
    subprocess.run(ftaudit("ingest", logs, "--db", clean_db), check=True, capture_output=True)
    whole_run = time.monotonic() - started
    expected = totals(clean_db)
    assert expected == (240_000, 3, 240_000)

    rng = random.Random(7)
    kills, databases = 0, 0
    db = killed = tmp_path / "killed0.duckdb"
    deadline = time.monotonic() + 150
    while kills < 20 and time.monotonic() < deadline:
        proc = subprocess.Popen(ftaudit("ingest", logs, "--db", db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, whole_run))  # any moment of a run, from start-up to the last commit
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills, killed = kills + 1, db
        proc.wait()
        if db.exists():
            totals(db)  # opens, and holds only whole files
        if proc.returncode == 0:  # this database is complete: interrupt a new one
            databases += 1
            db = tmp_path / f"killed{databases}.duckdb"
    assert kills == 20
    done = subprocess.run(ftaudit("ingest", logs, "--db", killed, "--json"), check=True, capture_output=True, text=True)
    summary = json.loads(done.stdout)
    assert summary["rows_read"] == summary["rows_accepted"] + summary["rows_rejected"] + summary["rows_duplicate"]
    calls, rejects, _ = totals(killed)
    assert calls == expected[0]
    # rejects of files that were fully ingested before a kill are not written twice
    assert rejects == expected[1]


def test_second_writer_waits_or_names_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    log = Path(__file__).parent / "data" / "openai" / "chat_responses.jsonl"
    # The holder keeps the database open until told to let go (a line on its stdin), so the test does not
    # depend on how fast a loaded machine starts the other processes.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, ftaudit; s = ftaudit.open_store(sys.argv[1], purpose='ingest'); "
            "print('ready', flush=True); sys.stdin.readline(); s.close()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        refused = subprocess.run(ftaudit("ingest", log, "--db", db), capture_output=True, text=True)
        assert refused.returncode == 1
        lines = refused.stderr.strip().splitlines()
        assert lines[0] == f"ftaudit: error: database {db} is in use by `ftaudit ingest` (process {holder.pid})", lines
        assert "Traceback" not in refused.stderr
        for reader_command in (["rejects"], ["report", "--out", tmp_path / "r.html"]):
            reader = subprocess.run(ftaudit(*reader_command, "--db", db), capture_output=True, text=True)
            assert reader.returncode == 1, reader.stderr
            assert reader.stderr.startswith(f"ftaudit: error: database {db} is in use by `ftaudit ingest`"), reader.stderr
        waiter = subprocess.Popen(ftaudit("ingest", log, "--db", db, "--wait", "120", "--json"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)  # the waiter finds the database busy, then waits
        assert waiter.poll() is None, waiter.communicate()
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        out, err = waiter.communicate(timeout=180)
        assert waiter.returncode == 0, err
        assert json.loads(out)["rows_accepted"] == 20
    finally:
        holder.kill()
        holder.communicate()


def peak_rss_mb(argv: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run argv from a fresh intermediate process, so the peak RSS is that of argv alone."""
    probe = (
        "import resource, subprocess, sys, json; "
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(json.dumps([done.returncode, done.stdout, done.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True)
    code, stdout, stderr, peak_kb = json.loads(out.stdout)
    return subprocess.CompletedProcess(argv, code, stdout, stderr), peak_kb / 1024


def test_memory_limit_spills_instead_of_failing(tmp_path: Path) -> None:
    # The careful path (the second file has a malformed line) holds several copies of the file's
    # records: without a limit this peaks at about 1.2 GB here; with 256MB at about 0.45 GB (it spills).
    logs = make_logs(tmp_path / "logs", files=2, lines=300_000)
    db = tmp_path / "small-memory.duckdb"
    done, peak_mb = peak_rss_mb(ftaudit("ingest", logs, "--db", db, "--memory-limit", "256MB", "--json"))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["rows_accepted"], summary["rows_rejected"]) == (600_000, 1)
    assert peak_mb < 800, f"peak RSS {peak_mb:.0f} MB with --memory-limit 256MB"


SMALL_LOG = Path(__file__).parent / "data" / "openai" / "chat_responses.jsonl"  # 20 calls


def test_sigkill_while_the_database_is_created_leaves_none_or_a_whole_one(tmp_path: Path) -> None:
    """Killed from the moment the first file appears in the folder until the run is done: the path holds no
    file or a whole database (never a 0- or 4,096-byte shell that every later run refuses), and the next run
    completes. Temporary databases of killed runs are swept."""
    rng = random.Random(11)
    for attempt in range(16):
        folder = tmp_path / f"d{attempt}"
        folder.mkdir()
        db = folder / "new.duckdb"
        proc = subprocess.Popen(ftaudit("ingest", SMALL_LOG, "--db", db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and not any(folder.iterdir()):
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.25))  # DuckDB writing its headers, the migrations, the first file
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if db.exists():
            assert db.stat().st_size >= 3 * 4096, f"attempt {attempt}: a {db.stat().st_size}-byte shell"
            with duckdb.connect(str(db), read_only=True) as con:
                assert con.execute("select count(*) from schema_migrations").fetchall()[0][0] > 0
        done = subprocess.run(ftaudit("ingest", SMALL_LOG, "--db", db, "--json"), capture_output=True, text=True)
        assert done.returncode == 0, (attempt, done.stderr)
        assert totals(db)[0] == 20
        assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".new.duckdb.creating-")) == []


FIRST_RUN = (
    "import sys, time\n"
    "from ftaudit.cli import app\n"
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
    "app(sys.argv[2:], prog_name='ftaudit')\n"
)


def test_two_first_runs_on_one_new_path(tmp_path: Path) -> None:
    """Two processes create the same new database at the same instant (started together, after their imports):
    with --wait both succeed (the file's calls stored once, the other run all duplicates); without it the
    loser either succeeds after the winner or gets the clear lock error, never "not a valid DuckDB file".

    That error came from a loser opening the file while the winner was still writing it (about 2 rounds in
    100 here), so each round also watches the path: no one may ever see it as a bare header (4,096 or
    12,288 bytes, as DuckDB writes it before the first migration), only as a whole, migrated database."""
    for attempt in range(4):
        wait = attempt % 2 == 0
        db = tmp_path / f"first{attempt}.duckdb"
        start = time.time() + 2.0
        flags = ["--wait", "30"] if wait else []
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", FIRST_RUN, str(start), "ingest", str(SMALL_LOG), "--db", str(db), "--json", *flags],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for _ in range(2)
        ]
        sizes_seen = set()
        while any(run.poll() is None for run in runs):
            with contextlib.suppress(FileNotFoundError):
                sizes_seen.add(db.stat().st_size)
        assert sizes_seen and min(sizes_seen) > 3 * 4096, sorted(sizes_seen)
        outcomes = [(run.returncode, *run.communicate()) for run in runs]
        for code, _, stderr in outcomes:
            assert "Traceback" not in stderr and "not a valid DuckDB" not in stderr, stderr
            if code != 0:
                assert not wait, stderr
                assert code == 1 and stderr.startswith(f"ftaudit: error: database {db} is in use by"), stderr
        accepted = sorted(json.loads(out)["rows_accepted"] for code, out, _ in outcomes if code == 0)
        assert accepted in ([0, 20], [20]), accepted
        assert totals(db)[0] == 20
