"""The fast path of a CSV file (LiteLLM SpendLogs exports, mapped CSV): the reader's `FastPath.stage_csv`
reads the whole file once, typed, into the rows the careful path's CSV options give (the same rows, the
same numbers) and stores the clean rows; when some row is not taken, the file is staged the careful way
and only the rows left are read record by record. A row the stage's reader could not read at all (its
rejects table) leaves the whole file to the careful path. Never loops over rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ftaudit.ingest.containers import Container, stage
from ftaudit.ingest.formats import FastPath, Reader
from ftaudit.ingest.paths import careful_path
from ftaudit.ingest.prefix_sample import known_prefixes
from ftaudit.store.connection import Store


def csv_fast_path(
    store: Store, reader: Reader, fast: FastPath, path: Path, container: Container, params: dict[str, Any],
    *, seen: Callable[[], None] = lambda: None, per_line: bool = False,
) -> tuple[tuple[int, ...], int]:
    """(the file's counts, the rows the fast stage stored). `seen` raises when the file's content was
    ingested before (run.py: it waits for the file's sha256, hashed while the stage reads)."""
    assert fast.stage_csv and container.kind == "csv", (fast, container)
    inserted = 0
    if container.compression == "zstd":  # DuckDB reads a cut zstd stream quietly: stage() checks it first
        seen()
    else:
        with store.ingest_memory():
            with known_prefixes(store, fast.stage_csv, params):
                store.run("drop_fast_csv_errors")  # what the head sample and earlier files left there
                store.run(fast.stage_csv, **params)
            clean = not store.scalar("fast_csv_error_count")
            store.run("drop_fast_csv_errors")
            seen()
            if clean:
                store.run("fast_rows_as_staged" if store.scalar("fast_staged_is_numbered") else "fast_rows_csv_by_rowid")
                inserted = int(store.execute(fast.insert, **params).fetchall()[0][0])
        if clean and inserted == int(store.scalar("fast_staged_count")):
            return (inserted, inserted, 0, 0, 0, 0), inserted
    stage(store, path, container)
    if inserted:
        store.run("fast_remaining_records", **params)
    read, accepted, rejected, duplicate, buckets, superseded = careful_path(store, reader, params, per_line=per_line)
    return (read + inserted, accepted + inserted, rejected, duplicate, buckets, superseded), inserted
