"""The zero-configuration demo: a fresh database from the bundled `sample_logs/`, then a summary
(and, once the report stage exists, `reports/demo.html`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ftaudit.ingest import IngestResult, ingest
from ftaudit.queries import bundled_dir
from ftaudit.store import open_store


@dataclass(frozen=True)
class DemoResult:
    db_path: Path
    ingest: IngestResult


def run_demo(out_dir: Path = Path("reports")) -> DemoResult:
    """Rebuild `out_dir/demo.duckdb` from the bundled sample logs (same input, same database)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "demo.duckdb"
    for stale in (db_path, db_path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    with open_store(db_path) as store:
        result = ingest(store, [bundled_dir("sample_logs")])
    return DemoResult(db_path=db_path, ingest=result)
