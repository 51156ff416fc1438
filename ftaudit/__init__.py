"""ftaudit: would fine-tuning this LLM workload pay off, and on which date?

The library behind the `ftaudit` command; everything the CLI does can be done from a notebook:

    import ftaudit
    store = ftaudit.open_store("ftaudit.duckdb")
    ftaudit.ingest(store, ["logs/"])
    ftaudit.token_distributions(store)            # per workload and model: percentiles, prefix estimate
    scenario = ftaudit.make_scenario({"fine_tuned_model": "ft:gpt-4o-mini-2024-07-18", "training_cost": "50"})
    result = ftaudit.replay(store, scenario)
    result.summary()                              # the JSON of `ftaudit replay --json`

Functions are exported under the names of their modules where the issue asks for them
(`ftaudit.ingest`, `ftaudit.replay`, `ftaudit.workloads`): inside the package, import from the
module (`from ftaudit.workloads import ...`), never `from ftaudit import workloads`.
"""

from __future__ import annotations

from datetime import UTC

import polars as pl

from ftaudit.errors import FtauditError
from ftaudit.formats import Reader
from ftaudit.formats.registry import readers
from ftaudit.ingest import FileResult, IngestOptions, IngestResult, ingest
from ftaudit.pricing import PriceFile, load_catalog, load_prices
from ftaudit.replay import replay
from ftaudit.replay_listing import list_prices, training_cost
from ftaudit.replay_result import ReplayResult
from ftaudit.scenario import Scenario, load_scenario, make_scenario
from ftaudit.store import Store, open_store
from ftaudit.workloads import Filters, rename_workload, token_distributions, token_histograms, usage_stats, workloads

__version__ = "0.1.0"


def rejected_records(store: Store, *, reason: str | None = None, file: str | None = None, limit: int = 100) -> pl.DataFrame:
    """Rejected records (file, line, reason, detail, first 200 characters), in file and line order."""
    return store.frame("rejected_records", reason=reason, file=file, limit=limit if limit > 0 else 2**62)


__all__ = [
    "UTC",
    "FileResult",
    "Filters",
    "FtauditError",
    "IngestOptions",
    "IngestResult",
    "PriceFile",
    "Reader",
    "ReplayResult",
    "Scenario",
    "Store",
    "ingest",
    "list_prices",
    "load_catalog",
    "load_prices",
    "load_scenario",
    "make_scenario",
    "open_store",
    "readers",
    "rejected_records",
    "rename_workload",
    "replay",
    "token_distributions",
    "token_histograms",
    "training_cost",
    "usage_stats",
    "workloads",
]
