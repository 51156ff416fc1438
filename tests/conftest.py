"""Shared test helpers: a fresh database path, the real CLI, and where the real data lives."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from ftaudit.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLE_LOGS = ROOT / "sample_logs"
REAL_TRACES = ROOT.parent / "shared" / "real_traces"

# Properties are judged on what they find, not on how fast the machine draws examples: a loaded machine
# (CI beside other jobs) must not fail a property with too_slow or a deadline. Examples stay as set per test.
settings.register_profile("ftaudit", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("ftaudit")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A path for a new DuckDB database file."""
    return tmp_path / "ftaudit.duckdb"


class Cli:
    """Runs the real `ftaudit` command in-process; stdout and stderr are kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str | Path) -> Any:
        return self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    def json(self, *args: str | Path) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()


def needs_real_traces() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not REAL_TRACES.is_dir(), reason=f"real traces not found at {REAL_TRACES}")


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of `sql` on the database file at `db`, opened read-only (as another process would)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def ingest_file(cli: Cli, db: Path, path: Path, *flags: str) -> dict[str, Any]:
    """`ftaudit ingest PATH --json` for one file: its summary, whose counts must add up."""
    summary = cli.json("ingest", path, "--db", db, *flags)
    (file,) = summary["files"]
    assert file["rows_read"] == file["rows_accepted"] + file["rows_rejected"] + file["rows_duplicate"] + file["rows_superseded"]
    return dict(file)


def rejects(cli: Cli, db: Path) -> list[tuple[int, str]]:
    """(line, reason) of every rejected record, sorted, from `ftaudit rejects --json`."""
    return sorted((r["source_line"], r["reason"]) for r in cli.json("rejects", "--db", db, "--limit", "0")["rejects"])


@pytest.fixture(scope="session")
def spark() -> Any:
    """One local[2] SparkSession for the whole test run (starting one takes seconds); skipped with the
    reason where the `spark` extra or Java is missing. CI installs both (.ci/run)."""
    pytest.importorskip("pyspark", reason="the spark extra is not installed: pip install -e '.[dev,spark]'")
    import shutil

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java for Spark (apt-get install openjdk-17-jre-headless)")
    from ftaudit.replay.spark import spark_session

    return spark_session("local[2]")
