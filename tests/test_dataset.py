"""The canonical Parquet dataset (ftaudit/store/dataset.py): `ftaudit export --parquet DIR` writes it,
and every read command given `--calls DIR_OR_GLOB` gives what it gives from the database."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ftaudit.store.connection import open_store
from ftaudit.store.dataset import CALLS_COLUMN_NAMES, MANIFEST, SCHEMA, TABLES
from tests.conftest import Cli, query
from tests.test_audit import _setup, _without_time
from tests.test_report import two_workload_lines, write_log, write_scenario

FIRST = datetime(2026, 9, 1, 23, 0, tzinfo=UTC)  # late in the UTC day: calls 30 s later fall on the next day


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(database, its export, a scenario): 40 days of two workloads, one bad line, one renamed workload."""
    cli, root = Cli(), tmp_path_factory.mktemp("lake")
    lines = two_workload_lines(FIRST, 40, 5)
    lines.insert(7, '{"id": "broken", "object": "chat.completion", "created": ')
    write_log(root / "calls.jsonl", lines)
    db = root / "ftaudit.duckdb"
    assert cli("ingest", "--db", db, "--workload-from", "feature", root / "calls.jsonl").exit_code == 0
    assert cli("workloads", "rename", "classify", "triage", "--db", db).exit_code == 0
    out = cli("export", "--parquet", root / "lake", "--db", db, "--json")
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout) == {"path": str(root / "lake"), "calls": 400, "days": 41, "rejects": 1, "files": 1}
    scenario = write_scenario(root / "triage.toml", name="triage", workload="triage",
                              fine_tuned_model="ft:gpt-4o-mini-2024-07-18", remove_prompt_tokens=1000, training_cost="0.02")
    return db, root / "lake", scenario


def test_the_contract_is_the_store_schema(db: Path) -> None:
    """dataset.py's columns are those of the migrated tables, in order, with their DuckDB types: a new
    migration that adds a column fails here until the contract (and the Spark side) says it."""
    open_store(db).close()
    for table, (_, columns) in TABLES.items():
        described = query(db, f"select column_name, lower(column_type) from (describe {table})")
        spelled = {"timestamptz": "timestamp with time zone"}
        assert [(c.name, spelled.get(c.duckdb, c.duckdb)) for c in columns] == described, table


def test_export_writes_calls_by_utc_day_beside_rejects_files_and_the_manifest(lake: tuple[Path, Path, Path]) -> None:
    db, root, _ = lake
    days = {row[0].isoformat() for row in query(db, "select distinct (ts at time zone 'UTC')::date from calls")}
    assert {p.name for p in (root / "calls").iterdir()} == {f"day={d}" for d in days}
    assert len(days) == 41  # calls from 23:07 UTC on, every 4h36m for 40 days, run into a 41st UTC day
    assert json.loads((root / MANIFEST).read_text()) == {"schema": SCHEMA, "columns": list(CALLS_COLUMN_NAMES)}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        per_day = con.execute("select day::varchar, count(*), count(*) filter (where ts::date <> day) "
                              "from read_parquet($p, hive_partitioning = true) group by day order by day",
                              {"p": str(root / "calls" / "**" / "*.parquet")}).fetchall()
        assert sum(n for _, n, _ in per_day) == 400 and all(wrong == 0 for *_, wrong in per_day)
        assert con.execute("select reason from read_parquet($p)", {"p": str(root / "rejects" / "*.parquet")}).fetchall() \
            == [("malformed_json",)]
        assert con.execute("select rows_read, rows_accepted, rows_rejected from read_parquet($p)",
                           {"p": str(root / "files" / "*.parquet")}).fetchall() == [(401, 400, 1)]


def _same(cli: Cli, db: Path, root: Path | str, *command: str | Path) -> dict[str, Any]:
    from_db = cli.json(*command, "--db", db)
    from_lake = cli.json(*command, "--calls", root)
    assert from_lake == from_db
    return from_db


def test_replay_and_forward_from_the_dataset_equal_the_database(cli: Cli, lake: tuple[Path, Path, Path]) -> None:
    db, root, scenario = lake
    result = _same(cli, db, root, "replay", "--scenario", scenario)
    assert result["workload"] == "triage" and result["calls"] == 200  # the rename travels with the dataset
    # per day, k = 0..4: base (1,200 + k) x $0.15 + 3 x $0.60 per 1M tokens; fine-tuned (200 + k) x $0.30 + 3 x $1.20
    base = 40 * sum((1200 + k) * Decimal("0.15") + 3 * Decimal("0.60") for k in range(5)) / 10**6
    tuned = 40 * sum((200 + k) * Decimal("0.30") + 3 * Decimal("1.20") for k in range(5)) / 10**6
    assert (Decimal(result["base_cost_usd"]), Decimal(result["fine_tuned_inference_cost_usd"])) == (base, tuned)
    assert result["status"] == "reached"  # $0.02358 saved against $0.02 of training
    ahead = _same(cli, db, root, "replay", "--scenario", scenario, "--from", "2026-10-12")
    assert ahead["forward"]["status"] in ("pays_back", "never")


def test_stats_workloads_and_compare_from_the_dataset_equal_the_database(cli: Cli, lake: tuple[Path, Path, Path]) -> None:
    db, root, scenario = lake
    stats = _same(cli, db, root, "stats")
    assert sum(r["calls"] for r in stats["workloads"]) == 400
    listed = _same(cli, db, root, "workloads")
    assert {w["workload"] for w in listed["workloads"]} == {"triage", "draft"}
    _same(cli, db, root, "compare", "--scenario", scenario, "--from", "2026-10-12")


def test_report_from_the_dataset_equals_the_database(cli: Cli, lake: tuple[Path, Path, Path], tmp_path: Path) -> None:
    db, root, scenario = lake
    for source, name in ((("--db", db)), "db"), ((("--calls", root)), "lake"):
        result = cli("report", "--scenario", scenario, "--out", tmp_path / f"{name}.html", *source)
        assert result.exit_code == 0, result.stderr
    from_db, from_lake = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("db", "lake"))
    assert from_lake["data_quality"]["rejects_by_reason"] == [{"reason": "malformed_json", "rows": 1}]
    assert (from_db["database"], from_lake["database"]) == ("ftaudit.duckdb", "lake")  # what each read
    for twin in (from_db, from_lake):
        del twin["generated_at"], twin["database"]
    assert from_lake == from_db


def test_a_glob_reads_only_the_days_it_names(cli: Cli, lake: tuple[Path, Path, Path]) -> None:
    db, root, _ = lake
    pattern = str(root / "calls" / "day=2026-09-1*" / "*.parquet")
    stats = cli.json("stats", "--calls", pattern)
    expected = query(db, "select count(*) from calls where (ts at time zone 'UTC')::date between '2026-09-10' and '2026-09-19'")
    assert sum(r["calls"] for r in stats["workloads"]) == expected[0][0] == 100


def test_audit_from_the_dataset_writes_the_report_of_the_database(cli: Cli, tmp_path: Path) -> None:
    config = _setup(tmp_path)
    assert cli("audit", "--config", config, "--month", "2026-10").exit_code == 0
    from_db = (tmp_path / "reports" / "2026-10.json").read_text()
    assert cli("export", "--parquet", tmp_path / "lake", "--db", tmp_path / "audit.duckdb").exit_code == 0
    (tmp_path / "logs" / "2026-10.jsonl").unlink()  # --calls reads the dataset, not the sources
    result = cli("audit", "--config", config, "--month", "2026-10", "--calls", tmp_path / "lake")
    assert result.exit_code == 0, result.stderr
    assert "ingested 0 new file(s)" in result.stderr
    from_lake = (tmp_path / "reports" / "2026-10.json").read_text()
    assert _without_time(from_lake.replace('"lake"', '"audit.duckdb"')) == _without_time(from_db)


def test_export_refuses_a_folder_with_files(cli: Cli, lake: tuple[Path, Path, Path]) -> None:
    db, root, _ = lake
    result = cli("export", "--parquet", root, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ftaudit: error: {root} exists and is not an empty folder")


def test_a_dataset_of_another_schema_or_without_columns_is_one_clear_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / MANIFEST).write_text('{"schema": "ftaudit-calls/0", "columns": []}')
    result = cli("stats", "--calls", tmp_path / "old")
    assert result.exit_code == 1
    assert "dataset schema 'ftaudit-calls/0', this ftaudit reads 'ftaudit-calls/1'" in result.stderr
    assert "Traceback" not in result.stderr
    day = tmp_path / "thin" / "calls" / "day=2026-09-01"
    day.mkdir(parents=True)
    with duckdb.connect() as con:
        con.sql("select 'a' as call_id, now() as ts").write_parquet(str(day / "part-0.parquet"))
    result = cli("stats", "--calls", tmp_path / "thin")
    assert result.exit_code == 1
    assert re.search(r"the calls files lack the columns provider, model, .*ingested_at", result.stderr)
    assert cli("stats", "--calls", tmp_path / "nothing-*.parquet").exit_code == 2
