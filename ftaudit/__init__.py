"""ftaudit: would fine-tuning this LLM workload pay off, and on which date?

The library behind the `ftaudit` command; everything the CLI does can be done from a notebook:

    import ftaudit
    store = ftaudit.open_store("ftaudit.duckdb")
    ftaudit.ingest(store, ["logs/"])
"""

from __future__ import annotations

from datetime import UTC

import polars as pl

from ftaudit.errors import FtauditError
from ftaudit.formats import Reader
from ftaudit.formats.registry import readers
from ftaudit.ingest import FileResult, IngestOptions, IngestResult, ingest
from ftaudit.store import Store, open_store

__version__ = "0.1.0"


def rejected_records(store: Store, *, reason: str | None = None, file: str | None = None, limit: int = 100) -> pl.DataFrame:
    """Rejected records (file, line, reason, detail, first 200 characters), in file and line order."""
    return store.frame("rejected_records", reason=reason, file=file, limit=limit if limit > 0 else 2**62)


__all__ = [
    "UTC",
    "FileResult",
    "FtauditError",
    "IngestOptions",
    "IngestResult",
    "Reader",
    "Store",
    "ingest",
    "open_store",
    "readers",
    "rejected_records",
]
