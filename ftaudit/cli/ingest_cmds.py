"""CLI: `ftaudit ingest`, `ftaudit rejects`, `ftaudit formats`."""

from __future__ import annotations

from typing import Annotated

import typer

import ftaudit
from ftaudit.cli import DbOption, JsonFlag, ProgressBar, WaitOption, app, emit_json, parse_time, say, user_errors
from ftaudit.errors import FtauditError, RefusedFileError, TooManyRejectsError, UsageError
from ftaudit.ingest.spark.run import ingest_spark


def _parse_map(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise UsageError(f"--map {item!r} is not FIELD=COLUMN", hint="e.g. --map input_tokens=ContextTokens")
        mapping[field.strip()] = column
    return mapping


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Log files or folders (read recursively; .gz and .zst are fine), or a postgresql://user@host/db URL "
            "of LiteLLM's database (password from PGPASSWORD or ~/.pgpass; only rows newer than the last run are read).",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    format: Annotated[
        str | None, typer.Option("--format", help="Force a format instead of detecting it (see `ftaudit formats`).")
    ] = None,
    map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN for a custom CSV/JSONL/Parquet (repeatable); fields: ts, input_tokens, "
            "output_tokens, model, cache_read_tokens, call_id, ...",
        ),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model of every call when the file has no model column.")] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Provider name for a mapped file (default: custom).")] = None,
    ts_unit: Annotated[str, typer.Option("--ts-unit", help="Unit of numeric timestamps in a mapped file: s, ms or us.")] = "s",
    ts_field: Annotated[
        str | None,
        typer.Option("--ts-field", help="Top-level field holding each call's time, for logs whose body has none (Anthropic)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Absolute UTC start for relative timestamps (e.g. Mooncake traces).")
    ] = None,
    ts: Annotated[
        str | None,
        typer.Option("--ts", help="Time of every record that has none (Anthropic batch results: the batch's ended_at)."),
    ] = None,
    table: Annotated[
        str | None, typer.Option("--table", help="Table of a postgresql:// source (default LiteLLM_SpendLogs; schema.name).")
    ] = None,
    workload: Annotated[str | None, typer.Option("--workload", help="Put every call of these files in this workload.")] = None,
    workload_from: Annotated[
        str | None, typer.Option("--workload-from", help="Name workloads by this metadata field (e.g. feature).")
    ] = None,
    keep_text: Annotated[
        bool, typer.Option("--keep-text", help="Also store request bodies (off: prompt text is never stored).")
    ] = False,
    max_rejects: Annotated[
        int | None, typer.Option("--max-rejects", help="Exit with code 3 when more records than this are rejected.")
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 2GB (default: half the RAM); spills to disk past it."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Forget each file's earlier ingest (same path or content), then read it again.")
    ] = False,
    wait: WaitOption = 0.0,
    engine: Annotated[
        str, typer.Option("--engine", help="duckdb (into the database), or spark: JSONL/CSV/Parquet lake paths or globs "
                          "parsed by Spark SQL into the Parquet dataset --out DIR (needs the spark extra).")
    ] = "duckdb",
    master: Annotated[
        str | None, typer.Option("--master", help="With --engine spark: the Spark master URL (default local[*]).")
    ] = None,
    out: Annotated[
        str | None, typer.Option("--out", help="With --engine spark: the new dataset folder (any Hadoop file system).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Read usage logs into the database. Every record is accepted, rejected (with a reason) or counted
    as a duplicate; re-ingesting a file adds nothing."""
    with user_errors():
        options = ftaudit.IngestOptions(
            format=format,
            mapping=_parse_map(map or []),
            model=model,
            provider=provider,
            workload=workload,
            workload_from=workload_from,
            ts_unit=ts_unit,
            ts_field=ts_field,
            start=parse_time("--start", start),
            ts=parse_time("--ts", ts),
            keep_text=keep_text,
            max_rejects=max_rejects,
            replace=replace,
            table=table,
        )
        if _spark_engine(engine, master, out):
            try:
                _report_ingest(ingest_spark(paths, str(out), options, master=master), as_json)
            except TooManyRejectsError as exc:  # after writing everything: the summary first, then the error
                _report_ingest(exc.result, as_json)
                raise
            return
        ftaudit.log_files(paths)  # a missing path or an empty folder: an error before any database is created
        with ftaudit.open_store(db, wait_seconds=wait, memory_limit=memory_limit, purpose="ingest") as store:
            try:
                with ProgressBar(store) as bar:
                    result = ftaudit.ingest(store, paths, options, progress=bar)
                over_limit = None
            except FtauditError as exc:  # raised after storing the rest: the summary first, then the error
                if exc.result is None:
                    raise
                result, over_limit = exc.result, exc
        if result.files or result.skipped or as_json or not isinstance(over_limit, RefusedFileError):
            # (a run whose only file was refused: its error says it all)
            _report_ingest(result, as_json)
        if over_limit is not None:
            raise over_limit


def _spark_engine(engine: str, master: str | None, out: str | None) -> bool:
    if engine not in ("duckdb", "spark"):
        raise UsageError(f"--engine {engine!r} is not duckdb or spark")
    if engine == "duckdb" and (master is not None or out is not None):
        raise UsageError("--master and --out only apply to --engine spark")
    if engine == "spark" and out is None:
        raise UsageError("--engine spark writes a Parquet dataset: pass --out DIR", hint="e.g. --out s3a://bucket/ftaudit/")
    return engine == "spark"


def _report_ingest(result: ftaudit.IngestResult, as_json: bool) -> None:
    summary = result.summary()
    if as_json:
        emit_json(summary)
    for skipped in result.skipped:
        say(f"skipped {skipped}")
    for unreadable in result.unreadable[1:]:  # the first is the error the command ends with
        say(f"ftaudit: error: {unreadable}")
    for f in result.files:
        note = " (already ingested: all duplicates; --replace reads it again)" if f.already_ingested else ""
        note += f" (replaced {len(f.replaced_file_ids)} earlier ingest(s))" if f.replaced_file_ids else ""
        buckets = f", {f.bucket_rows:,} bucket rows (aggregates, not single calls)" if f.bucket_rows else ""
        say(
            f"{f.path} [{f.format}]: {f.rows_read:,} read, {f.rows_accepted:,} accepted, "
            f"{f.rows_rejected:,} rejected, {f.rows_duplicate:,} duplicate{_superseded(f.rows_superseded)}{buckets}{note}"
        )
        if f.hint:
            say(f"  hint: {f.hint}")
    reasons = ", ".join(f"{r} {n:,}" for r, n in summary["rejects_by_reason"].items())
    say(
        f"ingested {len(result.files)} file(s): {summary['rows_read']:,} rows read, {summary['rows_accepted']:,} accepted, "
        f"{summary['rows_rejected']:,} rejected, {summary['rows_duplicate']:,} duplicate"
        + _superseded(summary["rows_superseded"])
        + (f" (rejects: {reasons}; see `ftaudit rejects`)" if reasons else "")
    )


def _superseded(n: int) -> str:
    """Earlier snapshots of calls logged again (stream chunks, polled Responses): neither calls nor rejects."""
    return f", {n:,} superseded (earlier snapshots of a call)" if n else ""


@app.command()
def rejects(
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Only this reason (e.g. malformed_json).")] = None,
    file: Annotated[str | None, typer.Option("--file", help="Only records of files whose path contains this text.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many records (0: all).")] = 100,
    as_json: JsonFlag = False,
) -> None:
    """List rejected records: file, line, reason and the first 200 characters of the record."""
    with user_errors(), ftaudit.open_store(db, read_only=True) as store:
        frame = ftaudit.rejected_records(store, reason=reason, file=file, limit=limit)
    if as_json:
        emit_json({"rejects": frame.to_dicts()})
        return
    if frame.is_empty():
        say("no rejected records")
        return
    for row in frame.iter_rows(named=True):
        detail = f" ({row['detail']})" if row["detail"] else ""
        typer.echo(f"{row['source_file']}:{row['source_line']}: {row['reason']}{detail}: {row['raw_prefix']}")


@app.command()
def formats(as_json: JsonFlag = False) -> None:
    """List the log formats ftaudit reads, in detection order."""
    listing = [{"name": r.name, "provider": r.provider, "description": r.description} for r in ftaudit.readers()]
    if as_json:
        emit_json({"formats": listing})
        return
    for item in listing:
        typer.echo(f"{item['name']:<24} {item['description']}")
