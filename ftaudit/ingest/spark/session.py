"""The SparkSession an ingest runs on: pyspark imported on first use, money kept exact.

Refuses to guess a missing pyspark or Java: either is a one-line error naming what to install.
"""

from __future__ import annotations

import importlib
import os
import shutil
from typing import Any

from ftaudit.errors import FtauditError

DEFAULT_MASTER = "local[*]"

# Every session ftaudit makes. allowPrecisionLoss=false: a DECIMAL(38,12) times a DECIMAL(38,12) keeps
# its scale instead of dropping to 6 places; UTC: a naive ISO time is UTC, as on the DuckDB engine.
SPARK_CONF = {
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.mapKeyDedupPolicy": "LAST_WIN",  # a JSON object with a key twice is a record, not an error
    "spark.sql.variant.allowDuplicateKeys": "true",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.sources.partitionOverwriteMode": "static",
    "spark.ui.showConsoleProgress": "false",
    "spark.ui.enabled": "false",
}


class SparkMissingError(FtauditError):
    """`--engine spark` without pyspark (or without Java) installed."""


def pyspark_sql() -> Any:
    """The `pyspark.sql` module, or a clear error naming the extra."""
    try:
        return importlib.import_module("pyspark.sql")
    except ImportError:
        raise SparkMissingError(
            "--engine spark needs pyspark, which is not installed",
            hint="pip install 'ftaudit[spark]' (pyspark 4 and a Java 17+ runtime), or drop --engine spark",
        ) from None


def spark_session(master: str | None = None) -> Any:
    """The active session if there is one (a test's, a spark-submit's), else a new one on `master`."""
    sql = pyspark_sql()
    active = sql.SparkSession.getActiveSession()
    if active is not None and master is None:
        for key, value in SPARK_CONF.items():
            if not key.startswith("spark.ui"):
                active.conf.set(key, value)
        return active
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkMissingError("--engine spark needs a Java runtime (17 or later) and none was found",
                                hint="install OpenJDK 17 or set JAVA_HOME")
    master = master or DEFAULT_MASTER
    builder = sql.SparkSession.builder.master(master).appName("ftaudit-ingest")
    if master.startswith("local"):  # one machine: 200 shuffle partitions would be 200 tiny tasks per stage
        builder = builder.config("spark.sql.shuffle.partitions", "8")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("FATAL")
    return session
