"""`ftaudit stats` and `ftaudit workloads`: exit codes, stdout/stderr kept apart, and JSON equal to the
library's result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ftaudit.stats.workloads import Filters, usage_stats, workloads
from ftaudit.store.connection import open_store
from tests.conftest import DATA, Cli

TWO_PROMPTS = DATA / "distributions" / "two_prompts.jsonl.gz"


@pytest.fixture
def loaded(cli: Cli, db: Path) -> Path:
    result = cli("ingest", TWO_PROMPTS, "--workload-from", "feature", "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def _plain(data: object) -> object:
    """What JSON makes of library values (dates and times as ISO text)."""
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()))


def _library_json(db: Path, **kwargs: object) -> object:
    with open_store(db, read_only=True) as store:
        return _plain(usage_stats(store, **kwargs).summary())  # type: ignore[arg-type]


def test_stats_json_equals_library(cli: Cli, loaded: Path) -> None:
    assert cli.json("stats", "--db", loaded) == _library_json(loaded)
    weekly = cli.json("stats", "--db", loaded, "--by", "week", "--model", "gpt-4o-2024-08-06")
    assert weekly == _library_json(loaded, filters=Filters(model="gpt-4o-2024-08-06"), by="week")
    assert [r["period"] for r in weekly["workloads"]] == ["2026-02-23", "2026-03-02", "2026-03-09"]  # Mondays


def test_stats_text_on_stdout(cli: Cli, loaded: Path) -> None:
    result = cli("stats", "--db", loaded)
    assert result.exit_code == 0 and result.stderr == ""
    assert "support-bot · gpt-4o-mini-2024-07-18" in result.stdout
    assert "static prefix 1,169 tokens" in result.stdout and "by regression" in result.stdout
    assert "latency not logged" in result.stdout


def test_prefix_tokens_flag(cli: Cli, loaded: Path) -> None:
    data = cli.json("stats", "--db", loaded, "--workload", "summarizer", "--prefix-tokens", "250")
    (row,) = data["workloads"]
    assert (row["prefix_tokens"], row["prefix_method"]) == (250, "user")
    data = cli.json("stats", "--db", loaded, "--prefix-tokens", "support-bot=1000")
    methods = {r["workload"]: r["prefix_method"] for r in data["workloads"]}
    assert methods == {"support-bot": "user", "summarizer": "regression"}
    bare = cli("stats", "--db", loaded, "--prefix-tokens", "250")
    assert bare.exit_code == 2 and bare.stdout == ""
    assert bare.stderr.startswith("ftaudit: error: --prefix-tokens 250 names no workload")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workload", "nope"], "ftaudit: error: no workload named 'nope'"),
        (["--by", "year"], "ftaudit: error: --by 'year' is not one of day, week, month"),
        (["--since", "yesterday"], "ftaudit: error: --since 'yesterday' is not an ISO date or time"),
        (["--since", "2026-03-05", "--until", "2026-03-01"], "ftaudit: error: --since is not before --until"),
    ],
)
def test_usage_errors_are_one_line_exit_2(cli: Cli, loaded: Path, args: list[str], message: str) -> None:
    result = cli("stats", "--db", loaded, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines()[0] == message
    assert result.stderr.splitlines()[1].startswith("  hint: ") and "Traceback" not in result.stderr


def test_no_database_is_an_error(cli: Cli, db: Path) -> None:
    result = cli("stats", "--db", db)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"ftaudit: error: no database at {db}")


def test_workloads_list_rename_and_stats(cli: Cli, loaded: Path) -> None:
    listing = cli.json("workloads", "--db", loaded)
    with open_store(loaded, read_only=True) as store:
        assert listing == _plain({"workloads": workloads(store).to_dicts()})
    assert {r["workload"]: r["named_by"] for r in listing["workloads"]} == {
        "support-bot": ["metadata field feature"], "summarizer": ["metadata field feature"]}
    renamed = cli("workloads", "rename", "support-bot", "support", "--db", loaded)
    assert renamed.exit_code == 0 and renamed.stdout == ""
    assert renamed.stderr == "renamed support-bot to support\n"
    text = cli("workloads", "--db", loaded).stdout
    assert "support " in text and "(renamed from support-bot)" in text
    stats = cli.json("stats", "--db", loaded, "--workload", "support")
    assert [r["workload"] for r in stats["workloads"]] == ["support"] and stats["workloads"][0]["calls"] == 40
    clash = cli("workloads", "rename", "support", "summarizer", "--db", loaded)
    assert clash.exit_code == 2 and "already exists" in clash.stderr


def test_database_from_before_workload_names_is_migrated(cli: Cli, loaded: Path) -> None:
    with open_store(loaded) as store:  # undo migration 0004, as in a file written by an older ftaudit
        store.con.execute("drop view calls_named; drop table workload_names")
        store.con.execute("delete from schema_migrations where name = 'migrations/0004_workload_names'")
    assert [r["workload"] for r in cli.json("stats", "--db", loaded)["workloads"]] == ["summarizer", "support-bot"]


def test_empty_database_says_so_on_stderr(cli: Cli, db: Path) -> None:
    open_store(db).close()
    result = cli("stats", "--db", db)
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith("no calls match")
    assert cli.json("stats", "--db", db)["workloads"] == []
    assert cli.json("workloads", "--db", db) == {"workloads": []}
