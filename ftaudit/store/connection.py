"""The DuckDB store: open and migrate the database file, run named queries, return polars frames.

The only module that imports duckdb. It knows nothing about log formats or prices: callers name a
query from `queries/` and bind its `$parameters`; values are never formatted into SQL text.
"""

from __future__ import annotations

import functools
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ftaudit.errors import FtauditError, StoreLockedError
from ftaudit.store import queries

if TYPE_CHECKING:
    import polars as pl

DEFAULT_DB = "ftaudit.duckdb"
DB_ENV = "FTAUDIT_DB"

_LOCK_HINT = "wait for the other ftaudit command to finish, or pass --wait SECONDS to queue behind it"


@functools.cache
def _param_names(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))


def default_memory_limit() -> str:
    """Half the machine's memory: room for polars and the OS beside DuckDB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "4GB"
    return f"{max(total // 2 // 2**20, 256)}MB"


def default_db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


class Store:
    """An open ftaudit database. Use `open_store()`; close it (or use `with`) when done."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path
        self._holder_file: Path | None = None

    # -- queries --------------------------------------------------------------------------
    def execute(self, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
        """Run the named query; only the parameters its text references are bound."""
        text = queries.sql(name)
        used = {k: v for k, v in params.items() if k in _param_names(text)}
        return self.con.execute(text, used or None)

    def frame(self, name: str, **params: Any) -> pl.DataFrame:
        """Run the named query and return its result as a polars frame (DuckDB imports polars then)."""
        text = queries.sql(name)
        used = {k: v for k, v in params.items() if k in _param_names(text)}
        frame: pl.DataFrame = self.con.sql(text, params=used or None).pl()
        return frame

    def rows(self, name: str, **params: Any) -> list[tuple[Any, ...]]:
        return self.execute(name, **params).fetchall()

    def run(self, name: str, **params: Any) -> None:
        self.execute(name, **params)

    def scalar(self, name: str, **params: Any) -> Any:
        rows = self.rows(name, **params)
        return rows[0][0] if rows else None

    def create_temp_table(self, table: str, name: str, **params: Any) -> None:
        """`create or replace temp table <table> as <query name>` (table names are ours, never a user's)."""
        text = queries.sql(name)
        used = {k: v for k, v in params.items() if k in _param_names(text)}
        self.con.execute(f"create or replace temp table {table} as {text}", used or None)

    def track_progress(self) -> None:
        """Let `progress()` report the running query's percentage (nothing is printed by DuckDB)."""
        self.con.execute("set enable_progress_bar = true")
        self.con.execute("set enable_progress_bar_print = false")

    def progress(self) -> float:
        """Percent done of the query running on this store's connection (-1 when none); thread-safe."""
        return float(self.con.query_progress())

    def begin(self) -> None:
        self.con.execute("begin transaction")

    def commit(self) -> None:
        self.con.execute("commit")

    def rollback(self) -> None:
        self.con.execute("rollback")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: an exception inside leaves the database as it was."""
        self.con.execute("begin transaction")
        try:
            yield
        except BaseException:
            self.con.execute("rollback")
            raise
        self.con.execute("commit")

    def close(self) -> None:
        self.con.close()
        if self._holder_file is not None:
            self._holder_file.unlink(missing_ok=True)
            self._holder_file = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    wait_seconds: float = 0.0,
    memory_limit: str | None = None,
    purpose: str = "ftaudit",
) -> Store:
    """Open (creating and migrating if needed) the database at `path` (default ./ftaudit.duckdb)."""
    db_path = Path(path) if path is not None else default_db_path()
    if read_only and not db_path.exists():
        raise FtauditError(f"no database at {db_path}", hint="run `ftaudit ingest PATH` first, or pass --db PATH")
    # Past the limit DuckDB spills to <db>.tmp/ beside the database instead of failing.
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit or default_memory_limit()}
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path, read_only, wait_seconds, config)
    store = Store(con, db_path)
    if not read_only:
        store._holder_file = _holder_path(db_path)
        store._holder_file.write_text(json.dumps({"pid": os.getpid(), "purpose": purpose, "since": time.time()}))
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")  # DuckDB's bar writes to stdout, which carries data only
    con.execute(queries.sql("macros"))
    if not read_only:
        _migrate(con)
    return store


def open_memory_store(label: Path, *, memory_limit: str | None = None) -> Store:
    """A migrated, empty in-memory database (`label` stands for its path in messages and report names):
    the base of a store over a Parquet dataset (ftaudit/store/dataset.py). It spills to the temp folder."""
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit or default_memory_limit()}
    con = duckdb.connect(":memory:", config=config)
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    con.execute(queries.sql("macros"))
    _migrate(con)
    return Store(con, label)


def _connect(
    path: Path, read_only: bool, wait_seconds: float, config: dict[str, str | bool | int | float | list[str]]
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + max(wait_seconds, 0.0)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" not in text.lower():
                raise FtauditError(f"cannot open database {path}: {text.splitlines()[0]}") from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(f"database {path} is in use by {_holder_of(path, text)}", hint=_LOCK_HINT) from exc
            time.sleep(0.2)
        except duckdb.Error as exc:
            raise FtauditError(f"cannot open database {path}: {str(exc).splitlines()[0]}") from exc


def _holder_path(db_path: Path) -> Path:
    return db_path.parent / f".{db_path.name}.holder.json"


def _holder_of(db_path: Path, duckdb_message: str) -> str:
    """'`ftaudit ingest` (process 123)' from the holder file the writer left, else what DuckDB says."""
    pid_match = re.search(r"PID (\d+)", duckdb_message)
    pid = pid_match.group(1) if pid_match else None
    try:
        holder = json.loads(_holder_path(db_path).read_text())
    except (OSError, ValueError):
        holder = {}
    if holder.get("purpose") and (pid is None or str(holder.get("pid")) == pid):
        return f"`ftaudit {holder['purpose']}` (process {holder.get('pid')})"
    return f"another process{f' (process {pid})' if pid else ''}"


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply `queries/store/migrations/*.sql` in name order, each once, recorded in schema_migrations."""
    con.execute("create table if not exists schema_migrations (name varchar primary key, applied_at timestamptz not null)")
    applied = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    for name in queries.names("migrations/"):
        if name in applied:
            continue
        con.execute("begin transaction")
        try:
            con.execute(queries.sql(name))
            con.execute("insert into schema_migrations values ($name, now())", {"name": name})
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
