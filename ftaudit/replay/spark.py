"""The replay's heavy stage on Spark (`ftaudit replay --engine spark`): per-call pricing reduced to
per-day and per-workload totals, and the crossing day's calls, run as Spark SQL over the canonical
Parquet dataset (ftaudit/store/dataset.py); only those small aggregates come back to the driver.

`SparkStore` is a `Store` whose heavy named queries run their Spark twins (queries/replay/spark/,
`ROUTES`); the rest (the price and scenario tables the replay builds, a few rows each) stay in DuckDB
and are copied to Spark when made (`SHIPPED`). So the replay itself (ftaudit/replay/run.py: prices,
fixed costs, break-even search, projection) is the same code on either engine. Money stays exact:
DECIMAL everywhere, with spark.sql.decimalOperations.allowPrecisionLoss=false so that a rate times
tokens keeps its 12 + 6 decimals. pyspark is imported only here and only when asked for.
"""

from __future__ import annotations

import glob
import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from ftaudit.errors import FtauditError, UsageError
from ftaudit.store import queries
from ftaudit.store.connection import Store, open_memory_store
from ftaudit.store.dataset import CALLS_COLUMNS, CALLS_DIR, NAMES_COLUMNS, NAMES_DIR, PARTITION, Column, open_dataset

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

DEFAULT_MASTER = "local[2]"
# Set on every session ftaudit uses, also one spark-submit started: exact decimals, UTC days, and an
# overflowing sum is an error rather than NULL (ANSI).
SQL_CONF = {
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
}
# DuckDB query name -> its Spark twin (queries/replay/spark/); the replay asks by the DuckDB name.
ROUTES = {
    "replay_workloads": "spark_replay_workloads",
    "replay_contexts": "spark_replay_contexts",
    "replay_call_tokens": "spark_replay_call_tokens",
    "replay_call_costs": "spark_replay_call_costs",
    "replay_daily": "spark_replay_daily",
    "replay_removal_overrun": "spark_replay_removal_overrun",
    "replay_tier_premium": "spark_replay_tier_premium",
    "replay_crossing_call": "spark_replay_crossing_call",
    "reconcile_billed": "spark_reconcile_billed",
}
SHIPPED = frozenset({"replay_prices", "replay_tier_prices", "replay_removal", "replay_params"})
# DuckDB queries over the calls that the Spark engine leaves to DuckDB (the static-prefix estimate of
# --remove-prompt-tokens auto reads samples): they need the dataset on a local path.
_LOCAL_ONLY = frozenset({"workload_prefix_samples", "workload_cache_reads", "replay_prefix_fallback"})


def spark_session(master: str | None = None) -> SparkSession:
    """The SparkSession of this process (created on first use, `master` or local[2]; under spark-submit
    its master), configured for exact money. Without pyspark: an error naming the extra."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise FtauditError("--engine spark needs pyspark, which is not installed",
                           hint="pip install 'ftaudit[spark]' (Spark also needs Java 17 or newer)") from None
    builder = SparkSession.builder.appName("ftaudit replay").config("spark.ui.showConsoleProgress", "false")
    if master or "PYSPARK_GATEWAY_PORT" not in os.environ:  # spark-submit gives its own master
        builder = builder.master(master or DEFAULT_MASTER)
        if (master or DEFAULT_MASTER).startswith("local"):  # a few cores: 200 shuffle partitions are pure overhead
            builder = builder.config("spark.sql.shuffle.partitions", "4")
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # no Java, a bad master URL: one line, not a JVM stack trace
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FtauditError(f"cannot start Spark ({master or DEFAULT_MASTER}): {first}",
                           hint="install Java 17 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME; "
                                "check --master URL") from None
    session.sparkContext.setLogLevel("ERROR")
    for key, value in SQL_CONF.items():
        session.conf.set(key, value)
    return session


def open_spark_store(calls: str | Path, *, master: str | None = None, session: SparkSession | None = None) -> SparkStore:
    """A store over the Parquet dataset `calls` (a folder written by `ftaudit export --parquet`, a glob of
    its calls files, or a URL Spark reads, such as s3a://bucket/lake) whose heavy replay runs on Spark."""
    text = str(calls)
    local = "://" not in text
    spark = session or spark_session(master)
    duck = open_dataset(text) if local else open_memory_store(Path(text.rstrip("/").rsplit("/", 1)[-1] or "dataset"))
    try:
        _load(spark, text, local)
    except BaseException:
        duck.close()
        raise
    return SparkStore(duck, spark, local=local)


class SparkStore(Store):
    """A Store whose heavy replay queries (ROUTES) run on Spark; see the module docstring."""

    def __init__(self, duck: Store, session: SparkSession, *, local: bool) -> None:
        super().__init__(duck.con, duck.path)
        self.session = session
        self.local = local

    def frame(self, name: str, **params: Any) -> pl.DataFrame:
        if name not in ROUTES:
            self._check_local(name)
            return super().frame(name, **params)
        frame = pl.from_arrow(self._spark(name, params).toArrow())
        assert isinstance(frame, pl.DataFrame)
        return frame

    def rows(self, name: str, **params: Any) -> list[tuple[Any, ...]]:
        if name not in ROUTES:
            self._check_local(name)
            return super().rows(name, **params)
        return self.frame(name, **params).rows()

    def run(self, name: str, **params: Any) -> None:
        if name not in ROUTES:
            super().run(name, **params)
            return
        self._spark(name, params)  # creates a view: nothing runs yet

    def create_temp_table(self, table: str, name: str, **params: Any) -> None:
        super().create_temp_table(table, name, **params)
        if table in SHIPPED:  # a few rows: copied to Spark, where the heavy queries join them
            self.session.createDataFrame(self.con.table(table).pl().to_arrow()).createOrReplaceTempView(table)

    def _spark(self, name: str, params: dict[str, Any]) -> DataFrame:
        text = queries.sql(ROUTES[name])
        used = {k: v for k, v in params.items() if k in _spark_params(text)}
        return self.session.sql(text, args=used or None)

    def _check_local(self, name: str) -> None:
        if name in _LOCAL_ONLY and not self.local:
            raise UsageError("--remove-prompt-tokens auto estimates the static prefix with DuckDB, which reads a local "
                             "dataset only", hint="pass --remove-prompt-tokens N, or --calls a local copy of the dataset")


@cache
def _spark_params(text: str) -> frozenset[str]:
    """The :names a Spark SQL text binds (comments left out)."""
    code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return frozenset(re.findall(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)", code))


def _load(spark: SparkSession, calls: str, local: bool) -> None:
    """Temp views `calls` (every contract column cast to its Spark type, plus `day`), `workload_names`,
    then `calls_named` and the leaves_cost_usd function."""
    root, pattern = _where(calls, local)
    reader = spark.read.option("basePath", pattern.split(f"/{PARTITION}=")[0]) if f"/{PARTITION}=" in pattern else spark.read
    try:
        frame = reader.parquet(pattern)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FtauditError(f"Spark cannot read {pattern}: {first}", hint="pass --calls a dataset written by "
                           "`ftaudit export --parquet DIR` or `ftaudit ingest --engine spark`") from None
    _typed(frame, CALLS_COLUMNS, pattern, with_day=True).createOrReplaceTempView("calls")
    names = _optional(spark, f"{root}/{NAMES_DIR}", local) if root else None
    if names is None:
        names = spark.createDataFrame([], ", ".join(f"{c.name} {c.spark}" for c in NAMES_COLUMNS))
    _typed(names, NAMES_COLUMNS, "workload_names", with_day=False).createOrReplaceTempView("workload_names")
    spark.sql(queries.sql("spark_calls_named"))
    spark.sql(queries.sql("spark_macros"))


def _where(calls: str, local: bool) -> tuple[str | None, str]:
    """(dataset root or None for a bare glob, what Spark reads for the calls)."""
    if glob.has_magic(calls):
        return None, calls
    root = calls.rstrip("/")
    if local and not (Path(root) / CALLS_DIR).is_dir():
        return None, root  # the calls folder itself
    return root, f"{root}/{CALLS_DIR}"


def _optional(spark: SparkSession, folder: str, local: bool) -> DataFrame | None:
    if local:
        return spark.read.parquet(folder) if glob.glob(f"{folder}/*.parquet") else None
    try:
        return spark.read.parquet(folder)
    except Exception:  # absent from this dataset (Spark writers need not write renames)
        return None


def _typed(frame: DataFrame, columns: tuple[Column, ...], where: str, *, with_day: bool) -> DataFrame:
    from pyspark.sql import functions as F

    missing = [c.name for c in columns if c.name not in frame.columns]
    if missing:
        raise FtauditError(f"{where}: the files lack the columns {', '.join(missing)}",
                           hint="see ftaudit/store/dataset.py for the ftaudit-calls/1 columns")
    selected = [F.col(c.name).cast(c.spark).alias(c.name) for c in columns]
    if with_day:
        selected.append(F.col(PARTITION).cast("date").alias(PARTITION) if PARTITION in frame.columns
                        else F.to_date(F.col("ts")).alias(PARTITION))
    return frame.select(*selected)
