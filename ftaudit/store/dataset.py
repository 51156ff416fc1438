"""The canonical Parquet dataset: the hand-off between engines (DuckDB, Spark) and machines.

    DIR/calls/day=YYYY-MM-DD/*.parquet   the `calls` table, Hive-partitioned by the UTC date of `ts`
    DIR/rejects/*.parquet                the `rejects` table
    DIR/files/*.parquet                  the `ingested_files` ledger
    DIR/workload_names/*.parquet         optional: `ftaudit workloads rename` renames (DuckDB exports only)
    DIR/_ftaudit_dataset.json            {"schema": "ftaudit-calls/1", "columns": [the calls columns]}

This module is the contract (column names and types per engine, folder names) that every writer
(`ftaudit export --parquet`, `ftaudit ingest --engine spark`) and reader (`--calls DIR_OR_GLOB`,
`replay --engine spark`) imports; it writes and reads with DuckDB and never touches Spark itself.
Readers cast every column to its DuckDB type, so a writer's physical Parquet types (Spark's INT96
timestamps, DECIMAL(20,0) for an unsigned hash, JSON as text) need not match DuckDB's.
"""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ftaudit.errors import FtauditError, UsageError
from ftaudit.store.connection import Store, open_memory_store

SCHEMA = "ftaudit-calls/1"
MANIFEST = "_ftaudit_dataset.json"
PARTITION = "day"  # the Hive partition column of calls: the UTC date of ts (not a column of the table)
CALLS_DIR, REJECTS_DIR, FILES_DIR, NAMES_DIR = "calls", "rejects", "files", "workload_names"


@dataclass(frozen=True)
class Column:
    """One column of a dataset table: its name, its DuckDB type (queries/store/migrations) and the
    Spark SQL type a Spark writer gives it."""

    name: str
    duckdb: str
    spark: str


def _columns(spec: str) -> tuple[Column, ...]:
    return tuple(Column(*line.split("|")) for line in spec.split())


# The calls table of queries/store/migrations/ (tests/test_dataset.py checks the two agree).
# JSON is written as text; the unsigned content hash is DECIMAL(20,0) in Spark (it has no unsigned type).
CALLS_COLUMNS = _columns("""
    call_id|varchar|string  ts|timestamptz|timestamp  provider|varchar|string  model|varchar|string
    base_model|varchar|string  is_fine_tuned|boolean|boolean  workload|varchar|string  is_bucket|boolean|boolean
    request_count|bigint|bigint  input_tokens|bigint|bigint  cache_read_tokens|bigint|bigint
    cache_write_tokens|bigint|bigint  cache_write_1h_tokens|bigint|bigint  output_tokens|bigint|bigint
    reasoning_tokens|bigint|bigint  is_batch|boolean|boolean  service_tier|varchar|string  latency_ms|double|double
    status|varchar|string  billed_cost_usd|decimal(38,12)|decimal(38,12)  prefix_hash|varchar|string
    prefix_chars|bigint|bigint  variable_chars|bigint|bigint  hints|json|string  content_hash|ubigint|decimal(20,0)
    file_id|bigint|bigint  source_file|varchar|string  source_line|bigint|bigint  ingested_at|timestamptz|timestamp
""")
REJECTS_COLUMNS = _columns("""
    file_id|bigint|bigint  source_file|varchar|string  source_line|bigint|bigint  reason|varchar|string
    detail|varchar|string  raw_prefix|varchar|string  ingested_at|timestamptz|timestamp
""")
FILES_COLUMNS = _columns("""
    file_id|bigint|bigint  path|varchar|string  sha256|varchar|string  size_bytes|bigint|bigint
    format|varchar|string  rows_read|bigint|bigint  rows_accepted|bigint|bigint  rows_rejected|bigint|bigint
    rows_duplicate|bigint|bigint  bucket_rows|bigint|bigint  options|json|string  started_at|timestamptz|timestamp
    finished_at|timestamptz|timestamp  rows_superseded|bigint|bigint
""")
NAMES_COLUMNS = _columns("auto_workload|varchar|string  workload|varchar|string  renamed_at|timestamptz|timestamp")
CALLS_COLUMN_NAMES = tuple(c.name for c in CALLS_COLUMNS)

# table of the store -> (folder of the dataset, its columns)
TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "calls": (CALLS_DIR, CALLS_COLUMNS),
    "rejects": (REJECTS_DIR, REJECTS_COLUMNS),
    "ingested_files": (FILES_DIR, FILES_COLUMNS),
    "workload_names": (NAMES_DIR, NAMES_COLUMNS),
}


def manifest() -> dict[str, Any]:
    """The content of DIR/_ftaudit_dataset.json."""
    return {"schema": SCHEMA, "columns": list(CALLS_COLUMN_NAMES)}


def write_manifest(root: Path) -> None:
    (root / MANIFEST).write_text(json.dumps(manifest(), indent=2) + "\n", encoding="utf-8")


def _select_list(columns: tuple[Column, ...], cast_to: str) -> str:
    """`"a"::T, ...`: every column of the contract, cast to its DuckDB type (reading) or to text where
    Parquet readers differ (writing: JSON as text)."""
    out = []
    for c in columns:
        target = c.duckdb if cast_to == "duckdb" else ("varchar" if c.duckdb == "json" else c.duckdb)
        out.append(f'"{c.name}"::{target} as "{c.name}"')
    return ", ".join(out)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    calls: int
    days: int
    rejects: int
    files: int

    def summary(self) -> dict[str, Any]:
        return {"path": str(self.path), "calls": self.calls, "days": self.days, "rejects": self.rejects, "files": self.files}


def export(store: Store, parquet: str | Path) -> ExportResult:
    """Write the store's calls (Hive-partitioned by UTC day), rejects, file ledger and workload renames
    as the canonical Parquet dataset in the folder `parquet` (new or empty)."""
    root = Path(parquet)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UsageError(f"{root} exists and is not an empty folder", hint="pass a new folder to --parquet DIR")
    root.mkdir(parents=True, exist_ok=True)
    for table, (folder, columns) in TABLES.items():
        relation = store.con.table(table).select(_select_list(columns, "parquet"))
        if table == "calls":  # the partition column is the UTC date of ts (the session time zone is UTC)
            relation = relation.select(f"*, ts::date as {PARTITION}")
            relation.write_parquet(str(root / folder), partition_by=[PARTITION])
        else:
            (root / folder).mkdir()
            relation.write_parquet(str(root / folder / "part-0.parquet"))
    write_manifest(root)
    (counts,) = store.rows("dataset_export_counts")
    return ExportResult(root, *(int(n) for n in counts))


@dataclass(frozen=True)
class Dataset:
    """Where a dataset's tables are: a glob per table (None: the table is absent, read as empty)."""

    label: Path
    globs: dict[str, str | None]


def locate(calls: str | Path) -> Dataset:
    """DIR (a dataset root with calls/, or a folder of day=... partitions) or a glob of calls Parquet files."""
    text = str(calls)
    root = Path(text)
    if glob.has_magic(text):
        if not glob.glob(text, recursive=True):
            raise UsageError(f"no Parquet files match {text}", hint="pass --calls DIR (a dataset written by ftaudit export "
                             "--parquet) or a glob of its calls files")
        return Dataset(root.parent, {"calls": text, "rejects": None, "ingested_files": None, "workload_names": None})
    if not root.is_dir():
        raise UsageError(f"no Parquet dataset at {root}", hint="write one with `ftaudit export --parquet DIR`")
    _check_manifest(root)
    if not (root / CALLS_DIR).is_dir() and not (root / MANIFEST).exists():  # the calls folder itself
        pattern = str(root / "**" / "*.parquet")
        if not glob.glob(pattern, recursive=True):
            raise UsageError(f"no Parquet dataset at {root}: no calls/ folder and no Parquet files",
                             hint="write one with `ftaudit export --parquet DIR`")
        return Dataset(root, {"calls": pattern, "rejects": None, "ingested_files": None, "workload_names": None})
    globs: dict[str, str | None] = {}
    for table, (folder, _) in TABLES.items():
        pattern = str(root / folder / "**" / "*.parquet")
        globs[table] = pattern if glob.glob(pattern, recursive=True) else None
    return Dataset(root, globs)


def _check_manifest(root: Path) -> None:
    path = root / MANIFEST
    if not path.exists():
        return
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FtauditError(f"{path}: not readable JSON ({exc})",
                           hint="rewrite the dataset with ftaudit export --parquet") from None
    if not isinstance(found, dict) or found.get("schema") != SCHEMA:
        schema = found.get("schema") if isinstance(found, dict) else None
        raise FtauditError(f"{path}: dataset schema {schema!r}, this ftaudit reads {SCHEMA!r}",
                           hint="rewrite the dataset with this version's ftaudit export --parquet")
    missing = [c for c in CALLS_COLUMN_NAMES if c not in found.get("columns", [])]
    if missing:
        raise FtauditError(f"{path}: the calls columns lack {', '.join(missing)}",
                           hint="rewrite the dataset with this version's ftaudit export --parquet")


def open_dataset(calls: str | Path, *, memory_limit: str | None = None) -> Store:
    """A store whose tables read the Parquet dataset `calls` (see `locate`) in place: an in-memory DuckDB
    with views over read_parquet. Every read command (stats, replay, compare, report) works on it."""
    found = locate(calls)
    store = open_memory_store(found.label, memory_limit=memory_limit)
    try:
        store.run("dataset_stash_tables")
        for table, pattern in found.globs.items():
            _, columns = TABLES[table]
            if pattern is None:  # absent from the dataset: read as empty
                source = store.con.table(f"{table}_empty")
            else:
                source = store.con.read_parquet(pattern, hive_partitioning=True, union_by_name=True)
                missing = [c.name for c in columns if c.name not in source.columns]
                if missing:
                    raise FtauditError(f"{pattern}: the {table} files lack the columns {', '.join(missing)}",
                                       hint=f"see ftaudit/store/dataset.py for the {SCHEMA} columns")
            source.select(_select_list(columns, "duckdb")).create_view(table)
    except BaseException:
        store.close()
        raise
    return store
