"""ftaudit: would fine-tuning this LLM workload pay off, and on which date?

The library behind the `ftaudit` command; everything the CLI does can be done from a notebook:

    import ftaudit
    store = ftaudit.open_store("ftaudit.duckdb")
    ftaudit.ingest(store, ["logs/"])
    ftaudit.token_distributions(store)            # per workload and model: percentiles, prefix estimate
    scenario = ftaudit.make_scenario({"fine_tuned_model": "ft:gpt-4o-mini-2024-07-18", "training_cost": "50"})
    result = ftaudit.replay(store, scenario)
    result.summary()                              # the JSON of `ftaudit replay --json`
    ahead = ftaudit.forward(store, scenario, ftaudit.ForwardOptions(from_date=date(2026, 12, 1)))
    ahead.summary()                               # its `forward` object: "if we train on 2026-12-01"
    ftaudit.compare(store, scenario, ftaudit.ForwardOptions(from_date=date(2026, 12, 1))).summary()  # every target
    ftaudit.export(store, "lake/")                # the canonical Parquet dataset; ftaudit.open_dataset("lake/") reads it

`import ftaudit` is light (no polars, no replay machinery): the command line starts in about 0.1 s.
What a notebook needs for ingestion is imported eagerly; replay and workload statistics are imported
on first use (`ftaudit.replay`, `ftaudit.workloads`, ...). `ftaudit.ingest` is the function, not the
module: inside the package, import from modules (`from ftaudit.ingest import ingest`).
"""

from __future__ import annotations

import importlib
from datetime import UTC
from typing import TYPE_CHECKING, Any

from ftaudit.errors import FtauditError
from ftaudit.ingest.forget import ForgetResult, forget
from ftaudit.ingest.formats import Reader
from ftaudit.ingest.formats.registry import readers
from ftaudit.ingest.options import FileResult, IngestOptions, IngestResult, check_reason
from ftaudit.ingest.run import ingest, log_files
from ftaudit.prices.catalog import PriceFile, load_catalog, load_prices
from ftaudit.replay import replay
from ftaudit.replay.forward_options import ForwardOptions
from ftaudit.replay.scenario import Scenario, load_scenario, make_scenario
from ftaudit.store.connection import Store, open_store
from ftaudit.store.dataset import export, open_dataset

if TYPE_CHECKING:
    import polars as pl

    from ftaudit.replay.compare import Comparison, compare
    from ftaudit.replay.forward import Forward, forward
    from ftaudit.replay.listing import list_prices, training_cost
    from ftaudit.replay.result import ReplayResult
    from ftaudit.stats.workloads import Filters, rename_workload, token_distributions, token_histograms, usage_stats, workloads

__version__ = "0.1.0"

# Exported on first use: name -> module (these import polars and the replay machinery).
_LAZY = {
    "ReplayResult": "ftaudit.replay.result",
    "Comparison": "ftaudit.replay.compare",
    "compare": "ftaudit.replay.compare",
    "Forward": "ftaudit.replay.forward",
    "forward": "ftaudit.replay.forward",
    "list_prices": "ftaudit.replay.listing",
    "training_cost": "ftaudit.replay.listing",
    **dict.fromkeys(
        ["Filters", "rename_workload", "token_distributions", "token_histograms", "usage_stats", "workloads"],
        "ftaudit.stats.workloads",
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'ftaudit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def rejected_records(store: Store, *, reason: str | None = None, file: str | None = None, limit: int = 100) -> pl.DataFrame:
    """Rejected records (file, line, reason, detail, first 200 characters), in file and line order.
    An unknown `reason` is a UsageError naming the nearest one."""
    if reason is not None:
        check_reason(reason, [str(r) for (r,) in store.rows("reject_reasons_stored")])
    return store.frame("rejected_records", reason=reason, file=file, limit=limit if limit > 0 else 2**62)


__all__ = [
    "UTC",
    "Comparison",
    "FileResult",
    "Filters",
    "ForgetResult",
    "Forward",
    "ForwardOptions",
    "FtauditError",
    "IngestOptions",
    "IngestResult",
    "PriceFile",
    "Reader",
    "ReplayResult",
    "Scenario",
    "Store",
    "compare",
    "export",
    "forget",
    "forward",
    "ingest",
    "list_prices",
    "load_catalog",
    "load_prices",
    "load_scenario",
    "log_files",
    "make_scenario",
    "open_dataset",
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
