"""Where a Spark ingest writes: the canonical dataset of ftaudit/store/dataset.py (calls partitioned by
UTC day, rejects, the file ledger, the manifest), on any Hadoop file system. Refuses a folder that
already holds something: a dataset is written whole, never merged into."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ftaudit.errors import UsageError
from ftaudit.ingest.options import IngestResult
from ftaudit.ingest.spark import lake
from ftaudit.store import dataset


class Output:
    def __init__(self, spark: Any, root: str) -> None:
        self.spark = spark
        self.root = root.rstrip("/")
        jvm = spark.sparkContext._jvm
        self._path = jvm.org.apache.hadoop.fs.Path(self.root)
        self._fs = self._path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())

    def folder(self, name: str) -> str:
        return f"{self.root}/{name}"

    def check_empty(self) -> None:
        if self._fs.exists(self._path) and (not self._fs.getFileStatus(self._path).isDirectory()
                                            or len(self._fs.listStatus(self._path)) > 0):
            raise UsageError(f"{self.root} exists and is not an empty folder", hint="pass a new folder to --out DIR")

    def write_text(self, name: str, text: str) -> None:
        jvm = self.spark.sparkContext._jvm
        stream = self._fs.create(jvm.org.apache.hadoop.fs.Path(self.folder(name)), True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def write_ledger(self, result: IngestResult, file_ids: dict[str, int], files: list[lake.LakeFile], options: str,
                     now: datetime) -> None:
        """DIR/files (one row per file; rows_read = accepted + rejected + duplicate + superseded) and the manifest."""
        finished = datetime.now(now.tzinfo)
        rows = [(file_ids[f.uri], f.source_file, "", f.size_bytes, r.format, r.rows_read, r.rows_accepted, r.rows_rejected,
                 r.rows_duplicate, r.bucket_rows, options, now, finished, r.rows_superseded)
                for f, r in zip(files, result.files, strict=True)]
        schema = ", ".join(f"{c.name} {c.spark}" for c in dataset.FILES_COLUMNS)
        self.spark.createDataFrame(rows, schema).coalesce(1).write.parquet(self.folder(dataset.FILES_DIR))
        self.write_text(dataset.MANIFEST, json.dumps(dataset.manifest(), indent=2) + "\n")


def write_dataset(spark: Any, target: Output, params: dict[str, Any]) -> list[tuple[int, str, str | None, int, int]]:
    """Validate and classify the view spark_extracted, write calls and rejects, and return per file the
    counts of each outcome (file_id, outcome, reject reason, records, bucket rows)."""
    from pyspark import StorageLevel  # the session exists: pyspark is installed

    from ftaudit.ingest.spark.run import run_sql

    validated = run_sql(spark, "spark_validated_records", params).persist(StorageLevel.MEMORY_AND_DISK)
    validated.createOrReplaceTempView("spark_validated")
    classified = run_sql(spark, "spark_classified_records", params).persist(StorageLevel.MEMORY_AND_DISK)
    classified.createOrReplaceTempView("spark_classified")
    try:
        calls = run_sql(spark, "spark_calls", params)
        calls = calls.selectExpr(*[f"cast(`{c.name}` as {c.spark}) as `{c.name}`" for c in dataset.CALLS_COLUMNS], "day")
        calls.write.partitionBy(dataset.PARTITION).parquet(target.folder(dataset.CALLS_DIR))
        rejects = run_sql(spark, "spark_rejects", params)
        rejects.selectExpr(*[f"cast(`{c.name}` as {c.spark}) as `{c.name}`" for c in dataset.REJECTS_COLUMNS]) \
            .write.parquet(target.folder(dataset.REJECTS_DIR))
        rows = run_sql(spark, "spark_file_outcomes", params).collect()
    finally:
        classified.unpersist()
        validated.unpersist()
    return [(int(r[0]), str(r[1]), r[2], int(r[3]), int(r[4])) for r in rows]
