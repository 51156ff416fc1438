"""`ftaudit ingest --engine spark`: lake paths -> the canonical Parquet dataset, parsed by Spark SQL.

Every file named by the paths and globs is read in one Spark job graph; only per-file counts come back
to the driver. Nothing is lost, as on the DuckDB engine: per file, rows read = accepted + rejected +
duplicate, in the ledger. Formats without a Spark SQL reader are refused with a one-line error.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from ftaudit.errors import InputFileError, TooManyRejectsError, UsageError
from ftaudit.ingest.formats import Reader
from ftaudit.ingest.formats.registry import detect, empty_reader, reader_named
from ftaudit.ingest.options import FileResult, IngestOptions, IngestResult
from ftaudit.ingest.run import TS_CEILING_SLACK, TS_FLOOR
from ftaudit.ingest.spark import lake
from ftaudit.ingest.spark.output import Output, write_dataset
from ftaudit.ingest.spark.session import spark_session
from ftaudit.store import queries

# reader name -> its Spark SQL twin in queries/ingest/spark/: the queries of its steps, each reading the
# view the one before it made (named as the query), the first spark_records; see _extract
SPARK_EXTRACT = {
    "openai_chat": ("spark_extract_openai_chat",),
    "anthropic_messages": ("spark_anthropic_fields", "spark_extract_anthropic_messages"),
    "mapped": ("spark_extract_mapped",),
    "empty": ("spark_extract_openai_chat",),  # a file with no record (blank lines, arrays): every line rejected
}
_UNMAPPED = "\u0000ftaudit-unmapped"  # a key no log has: an unmapped field reads as NULL


def ingest_spark(paths: list[str], out: str, options: IngestOptions | None = None, *, master: str | None = None) -> IngestResult:
    """Read `paths` (files, folders, globs; any Hadoop file system) with Spark into the dataset at `out`
    (a new or empty folder). Raises TooManyRejectsError past --max-rejects, after writing everything."""
    options = options or IngestOptions()
    if options.keep_text:
        raise UsageError("--keep-text is not supported with --engine spark", hint="drop --keep-text, or use the DuckDB engine")
    spark = spark_session(master)
    target = Output(spark, out)
    target.check_empty()
    create_functions(spark)
    now = datetime.now(UTC)
    planned = _plan(spark, paths, options)
    files = [f for _, _, group in planned for f in group]
    file_ids = {f.uri: n for n, f in enumerate(files, 1)}
    spark.createDataFrame([(f.uri, file_ids[f.uri], f.source_file) for f in files],
                          "file_path string, file_id bigint, source_file string").createOrReplaceTempView("spark_files")
    params = _params(options, now)
    records, extracted = None, None
    for container, reader, group in planned:
        staged = lake.stage(spark, group, container)
        staged.createOrReplaceTempView("spark_records")
        taken = _extract(spark, SPARK_EXTRACT[reader.name], params)
        records = staged if records is None else records.unionByName(staged)
        extracted = taken if extracted is None else extracted.unionByName(taken)
    result = IngestResult()
    if records is not None and extracted is not None:
        records.createOrReplaceTempView("spark_records")
        extracted.createOrReplaceTempView("spark_extracted")
        outcomes = write_dataset(spark, target, params)
    else:
        outcomes = []
    for _, reader, group in planned:
        for f in group:
            result.files.append(_file_result(f, reader, file_ids[f.uri], outcomes))
    target.write_ledger(result, file_ids, [f for _, _, g in planned for f in g], _options_json(options), now)
    rejected = result.total("rows_rejected")
    if options.max_rejects is not None and rejected > options.max_rejects:
        error = TooManyRejectsError(f"{rejected} records rejected, more than --max-rejects {options.max_rejects}",
                                    hint=f"see them in {out}/rejects; everything else was written")
        error.result = result
        raise error
    return result


def _extract(spark: Any, steps: tuple[str, ...], params: dict[str, Any]) -> Any:
    """The extracted columns of the view spark_records, step by step. Each step's result is materialised
    (a local checkpoint, on the executors) before the next reads it: Spark inlines the SQL functions of a
    query into every place a column is used, so without a cut the validation's checks over a reader's
    nested expressions grew a plan that ran the driver out of heap (Anthropic Messages, 1 GB)."""
    frame = None
    for before, step in zip((None, *steps), steps, strict=False):
        if frame is not None and before is not None:
            frame.createOrReplaceTempView(before)
        frame = run_sql(spark, step, params).localCheckpoint()
    return frame


def _plan(spark: Any, paths: list[str], options: IngestOptions) -> list[tuple[str, Reader, list[lake.LakeFile]]]:
    """(container, reader, files) per path or glob: a path names files of one container and format, as a
    lake table's files are; the first file tells which."""
    forced = reader_named("mapped") if options.mapping else (reader_named(options.format) if options.format else None)
    planned = []
    for pattern in paths:
        files = lake.list_files(spark, pattern)
        if not files:
            continue
        container = lake.container_of(spark, files[0])
        sample = lake.sample(spark, files, container)
        reader = forced or detect(sample)
        if reader is None and not sample.records:  # as the DuckDB engine reads it (ingest/run.py: "empty")
            reader = empty_reader()
        if reader is None:
            raise InputFileError(f"{pattern}: unrecognised log format (first record keys: {sample.first_keys()})",
                                 hint="pass --format NAME, or --map FIELD=COLUMN for a custom CSV/JSONL/Parquet")
        if reader.name not in SPARK_EXTRACT:
            raise UsageError(f"{pattern}: format {reader.name} needs the DuckDB engine (--engine spark reads "
                             f"{', '.join(SPARK_EXTRACT)})", hint="drop --engine spark for these files")
        if reader.name == "anthropic_messages" and options.ts is None and options.ts_field is None \
                and any("custom_id" in r and isinstance(r.get("result"), dict) for r in sample.records):
            # the DuckDB engine refuses such a file unless it finds the batch object beside it (time_beside)
            raise UsageError(f"{pattern}: Anthropic Message Batches results carry no time: pass --ts TIMESTAMP "
                             "(the batch's ended_at)", hint="or ingest them with the DuckDB engine, which reads "
                             "the batch object saved beside the results")
        if options.mapping and sample.records:
            missing = {k: c for k, c in options.mapping.items() if c not in sample.keys()}  # noqa: SIM118 (a Sample, not a dict)
            if missing:
                named = ", ".join(f"{k}={c}" for k, c in missing.items())
                raise InputFileError(f"{pattern}: --map names column(s) the file does not have: {named}",
                                     hint=f"the file's columns are: {', '.join(sorted(sample.keys())[:20])}")
        planned.append((container, reader, files))
    return planned


Outcomes = list[tuple[int, str, str | None, int, int]]  # (file_id, outcome, reject reason, records, bucket rows)


def _file_result(f: lake.LakeFile, reader: Reader, file_id: int, outcomes: Outcomes) -> FileResult:
    result = FileResult(path=f.source_file, format=reader.name)
    for fid, outcome, reason, n, buckets in outcomes:
        if fid != file_id:
            continue
        result.rows_read += n
        if outcome == "accept":
            result.rows_accepted += n
            result.bucket_rows += buckets
        elif outcome == "duplicate":
            result.rows_duplicate += n
        elif outcome == "superseded":
            result.rows_superseded += n
        else:
            result.rows_rejected += n
            key = reason or "unknown"
            result.rejects_by_reason[key] = result.rejects_by_reason.get(key, 0) + n
    result.rejects_by_reason = dict(sorted(result.rejects_by_reason.items()))
    return result


def create_functions(spark: Any) -> None:
    """The temporary SQL functions of queries/ingest/spark/spark_functions.sql on this session."""
    code = "\n".join(line.split("--")[0] for line in queries.sql("spark_functions").splitlines())
    for statement in code.split(";"):
        if statement.strip():
            spark.sql(statement)


def run_sql(spark: Any, name: str, params: dict[str, Any]) -> Any:
    """The DataFrame of the named Spark SQL query, with the parameters it names bound."""
    text = queries.sql(name)
    used = set(re.findall(r":([a-z_0-9]+)", "\n".join(line.split("--")[0] for line in text.splitlines())))
    return spark.sql(text, args={k: v for k, v in params.items() if k in used})


def _params(options: IngestOptions, now: datetime) -> dict[str, Any]:
    from ftaudit.ingest.formats import mapped

    params: dict[str, Any] = {
        "now": now,
        "ts_floor": TS_FLOOR,
        "ts_ceiling": now + TS_CEILING_SLACK,
        "workload": options.workload,
        "workload_path": _json_path(options.workload_from or _UNMAPPED),
        "model": options.model,
        "provider": options.provider,
        "ts_unit": options.ts_unit,
        "ts_path": _json_path(options.ts_field or _UNMAPPED),
        "start": options.start,
        "ts_default": options.ts,
    }
    for name in mapped.MAPPABLE_FIELDS:
        params[f"map_{name}"] = _json_path(options.mapping.get(name) or _UNMAPPED)
    return params


def _json_path(key: str) -> str:
    """A Spark JSON path to a top-level key, whatever characters it holds."""
    return "$['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


def _options_json(options: IngestOptions) -> str:
    out = asdict(options)
    out["start"] = options.start.isoformat() if options.start else None
    out["engine"] = "spark"
    return json.dumps(out)
