"""Lake paths on Spark: listing the files a path or glob names (any Hadoop file system: local, s3a://,
abfss://, hdfs://), telling their container and format from a sample, and staging their records as
the view `spark_records`. The same rules as the DuckDB engine's containers.py, in Spark's terms."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ftaudit.errors import InputFileError
from ftaudit.ingest.formats import Record, Sample
from ftaudit.store import queries

SAMPLE_RECORDS = 20
# What a folder walk skips, as the DuckDB engine does, plus Spark's and Hadoop's own marker files.
_SKIP_SUFFIXES = (".py", ".md", ".txt", ".toml", ".yaml", ".yml", ".html", ".png", ".sh", ".crc")
_SKIP_NAMES = {"MANIFEST.json", "_SUCCESS"}


@dataclass(frozen=True)
class LakeFile:
    uri: str  # as Spark names it in _metadata.file_path
    source_file: str  # as the ledger and calls name it: a local path without its file: scheme
    size_bytes: int


def list_files(spark: Any, pattern: str) -> list[LakeFile]:
    """The files `pattern` names: a file, a folder (walked recursively, hidden files skipped) or a glob."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(pattern)
    fs = path.getFileSystem(conf)
    statuses = fs.globStatus(path)
    if not statuses:
        raise InputFileError(f"{pattern}: no such file or directory", hint="check the path or glob passed to ftaudit ingest")
    found: list[LakeFile] = []
    for status in statuses:
        if status.isDirectory():
            walk = fs.listFiles(status.getPath(), True)
            while walk.hasNext():
                child = walk.next()
                relative = child.getPath().toUri().getPath()[len(status.getPath().toUri().getPath()):]
                parts = [p for p in relative.split("/") if p]
                if any(p.startswith((".", "_")) for p in parts) or parts[-1] in _SKIP_NAMES:
                    continue
                if parts[-1].endswith(_SKIP_SUFFIXES):
                    continue
                found.append(_lake_file(child))
        else:
            found.append(_lake_file(status))
    return sorted(found, key=lambda f: f.uri)


def _lake_file(status: Any) -> LakeFile:
    uri = str(status.getPath().toString())  # as _metadata.file_path names it: file:/tmp/a b.jsonl
    local = uri.removeprefix("file:")
    return LakeFile(uri=uri, source_file=local, size_bytes=int(status.getLen()))


def container_of(spark: Any, file: LakeFile) -> str:
    """'parquet' | 'jsonl' | 'csv' from the first bytes of the file (gzip / bzip2 JSONL named .gz / .bz2)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(file.uri)
    stream = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).open(path)
    try:
        head = bytes(stream.readNBytes(4096))
    finally:
        stream.close()
    if head.startswith(b"PAR1"):
        return "parquet"
    if head[:2] == b"\x1f\x8b" or head[:4] == b"\x28\xb5\x2f\xfd" or head[:3] == b"BZh":
        if file.uri.endswith((".gz", ".bz2")):
            return "jsonl"  # Hadoop's codecs decompress by file name: JSONL lines
        raise InputFileError(f"{file.source_file}: a compressed file Spark cannot read by its name",
                             hint="name it .gz or .bz2, or ingest it with the DuckDB engine")
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "jsonl" if first in (b"{", b"[") else "csv"


def sample(spark: Any, files: list[LakeFile], container: str) -> Sample:
    """The first records of the first file, parsed, for format detection."""
    rows = _reader(spark, container, [files[0].uri]).limit(SAMPLE_RECORDS).collect()
    records: list[Record] = []
    for row in rows:
        try:
            value = json.loads(row[0]) if row[0] else None
        except ValueError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return Sample(container, records)


def _reader(spark: Any, container: str, uris: list[str]) -> Any:
    """A DataFrame of (raw, file_path, ...) for files of one container."""
    functions = spark_functions()
    if container == "jsonl":
        frame = spark.read.text(uris)
        block = functions.col("_metadata.file_block_start").alias("block_start")
        return frame.select(frame.value.alias("raw"), "_metadata.file_path", block,
                            functions.monotonically_increasing_id().alias("row_id"))
    if container == "csv":
        # every cell as text; a quoted field may hold newlines (then a file is not split between tasks)
        frame = spark.read.csv(uris, header=True, inferSchema=False, multiLine=True, mode="PERMISSIVE")
    else:
        frame = spark.read.parquet(*uris)
    columns = [functions.col(f"`{c}`") for c in frame.columns]
    raw = functions.to_json(functions.struct(*columns), {"ignoreNullFields": "false"})
    extra = ["_metadata.row_index"] if container == "parquet" else []
    return frame.select(raw.alias("raw"), "_metadata.file_path", functions.monotonically_increasing_id().alias("row_id"),
                        *extra)


def stage(spark: Any, files: list[LakeFile], container: str) -> Any:
    """Every record of `files` as (file_id, source_line, raw, v, problem); needs the view spark_files."""
    frame = _reader(spark, container, [f.uri for f in files])
    if container == "jsonl":
        frame.createOrReplaceTempView("spark_lines")
        rows = spark.sql(queries.sql("spark_stage_lines"))
    elif container == "parquet":  # line 1 is the first row, as DuckDB's read_parquet numbers it
        rows = frame.selectExpr("file_path", "row_index + 1 as source_line", "raw")
    else:  # line 1 is the header
        line = "row_number() over (partition by file_path order by row_id) + 1 as source_line"
        rows = frame.selectExpr("file_path", line, "raw")
    rows.createOrReplaceTempView("spark_rows")
    return spark.sql(queries.sql("spark_stage_records"))


def spark_functions() -> Any:
    from ftaudit.ingest.spark.session import pyspark_sql

    pyspark_sql()
    import pyspark.sql.functions as functions

    return functions
