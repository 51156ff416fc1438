"""The zero-configuration demo: a fresh database from the bundled `sample_logs/`, its workloads named
as the sample's manifest names them, then the report for the bundled `scenarios/` (reports/demo.html
and its JSON twin). The main job of the README, on data that ships with the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ftaudit import report
from ftaudit.ingest.options import IngestResult
from ftaudit.ingest.run import ingest
from ftaudit.replay.scenario import load_scenario
from ftaudit.stats.workloads import rename_workload, workloads
from ftaudit.store.connection import Store, open_store
from ftaudit.store.queries import bundled_dir

DEMO_TITLE = "Fine-tuning audit: sample logs (demo)"


@dataclass(frozen=True)
class DemoResult:
    db_path: Path
    ingest: IngestResult
    renamed: dict[str, str]
    html_path: Path
    json_path: Path
    data: dict[str, Any]


def run_demo(out_dir: Path = Path("reports"), *, generated_at: datetime | None = None,
             from_date: date | None = None) -> DemoResult:
    """Rebuild `out_dir/demo.duckdb` from the bundled sample logs (same input, same database) and write
    `out_dir/demo.html` + `demo.json` for every scenario in the bundled `scenarios/` folder, each with its
    forward replay from `from_date` (default: the run date, or $FTAUDIT_TODAY) under `forward`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "demo.duckdb"
    for stale in (db_path, db_path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    samples = bundled_dir("sample_logs")
    scenarios = [load_scenario(path) for path in sorted(bundled_dir("scenarios").glob("*.toml"))]
    with open_store(db_path) as store:
        result = ingest(store, [samples])
        renamed = _name_workloads(store, samples / "MANIFEST.json")
        data = report.gather(store, scenarios, title=DEMO_TITLE, database=db_path.name, from_date=from_date)
    html_path, json_path = report.write_report(data, out_dir / "demo.html", generated_at=generated_at or report.generation_time())
    return DemoResult(db_path=db_path, ingest=result, renamed=renamed, html_path=html_path, json_path=json_path, data=data)


def _name_workloads(store: Store, manifest_path: Path) -> dict[str, str]:
    """Rename each auto-named workload to the manifest's name for the one model it calls (the sample's
    workloads are told apart by their static prompt, so ingest names them `prefix-<hash>`)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    by_model = {w["model"]: w["name"] for w in manifest["workloads"]}
    renamed = {}
    for row in workloads(store).iter_rows(named=True):
        models = list(row["models"])
        name = by_model.get(models[0]) if len(models) == 1 else None
        if name and row["workload"] != name:
            rename_workload(store, row["workload"], name)
            renamed[row["workload"]] = name
    return renamed
