"""Ingestion: log files -> the `calls` table, with every record accepted, rejected or a duplicate.

Owns file discovery, the per-file transaction and the ledger. Parsing is SQL run by DuckDB (see
`ftaudit/ingest/formats`); this module never loops over records. A file is ingested in one transaction:
an error leaves the database as it was. Identical content ingested before is counted as duplicates
without parsing it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ftaudit.errors import InputFileError, NoDataError, RefusedFileError, TooManyRejectsError, UsageError
from ftaudit.ingest.containers import Container, literal_path, sniff, stage, stage_lines
from ftaudit.ingest.csv_fast import csv_fast_path
from ftaudit.ingest.forget import forget_replaced
from ftaudit.ingest.formats import Reader, anthropic, mapped
from ftaudit.ingest.formats.registry import detect, empty_reader, reader_named
from ftaudit.ingest.options import FileResult, IngestOptions, IngestResult, Progress, fix_hint
from ftaudit.ingest.paths import Hasher, careful_lines, careful_path, line_fast_path, try_fast_path
from ftaudit.ingest.sources import is_database_url
from ftaudit.store.connection import Store
from ftaudit.store.database_file import out_of_space, space_hint

# Timestamps outside this range are implausible for an LLM API call: rejected as bad_timestamp.
TS_FLOOR = datetime(2015, 1, 1, tzinfo=UTC)
TS_CEILING_SLACK = timedelta(days=2)
_SKIP_IN_DIRECTORIES = {".py", ".md", ".txt", ".toml", ".yaml", ".yml", ".html", ".png", ".sh"}
_SKIP_NAMES = {"MANIFEST.json"}
_UNMAPPED = "\u0000ftaudit-unmapped"  # a JSON key no log has: an unmapped field reads as NULL


def ingest(
    store: Store, paths: Iterable[str | Path], options: IngestOptions | None = None, progress: Progress | None = None,
) -> IngestResult:
    """Ingest files and directories (recursively) and `postgresql://` sources (LiteLLM's database, read
    after its mark: see ingest/sources/postgres.py). Raises TooManyRejectsError past --max-rejects,
    after storing everything (the ledger says what was read)."""
    options = options or IngestOptions()
    if options.ts and not TS_FLOOR <= options.ts <= datetime.now(UTC) + TS_CEILING_SLACK:
        raise UsageError(f"--ts {options.ts.isoformat()} is not a plausible call time", hint="a time since 2015, not ahead")
    result = IngestResult()
    paths = list(paths)
    urls = [str(p) for p in paths if is_database_url(str(p))]
    if options.table and not urls:
        raise UsageError("--table applies to a postgresql:// source only", hint="ftaudit ingest postgresql://... --table NAME")
    planned = _plan(store, log_files(paths), options, result)
    refused: list[RefusedFileError] = []  # one error per refused file; the others are ingested
    for done, (path, container, reader) in enumerate(planned):
        if progress:
            progress(done, len(planned), str(path))
        try:
            result.files.append(_ingest_file(store, path, container, reader, options))
        except RefusedFileError as refusal:
            refused.append(refusal)
    if progress:
        progress(len(planned), len(planned), "")
    if urls:
        from ftaudit.ingest.sources.postgres import ingest_postgres  # the driver: only when a URL is given

        result.files += [ingest_postgres(store, url, options) for url in urls]
    if refused:
        raise _refusal(refused, result)
    _raise_if_incomplete(paths, result)
    rejected = result.total("rows_rejected")
    if options.max_rejects is not None and rejected > options.max_rejects:
        error = TooManyRejectsError(
            f"{rejected} records rejected, more than --max-rejects {options.max_rejects}",
            hint="see them with `ftaudit rejects`; everything else was stored",
        )
        error.result = result
        raise error
    return result


def log_files(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for every path, before any database is opened: a missing path is an
    error, and so is a folder with no file that could be a log (the run would store nothing, silently)."""
    paths = list(paths)
    files = list(_expand(p for p in paths if not is_database_url(str(p))))  # a postgresql:// URL is read by its source
    if not files and not any(is_database_url(str(p)) for p in paths):
        raise NoDataError(
            f"no log file in {', '.join(str(p) for p in paths)}",
            hint=f"files named *{', *'.join(sorted(_SKIP_IN_DIRECTORIES))} and hidden files are skipped in folders; "
            "name a log file explicitly to read it",
        )
    return files


def _raise_if_incomplete(paths: Iterable[str | Path], result: IngestResult) -> None:
    """Unreadable files of a folder, or a run that found only files it could not use: an error after
    the rest was stored, with the result for the summary."""
    error: InputFileError | NoDataError | None = None
    if result.unreadable:
        first = result.unreadable[0]
        more = f" (and {len(result.unreadable) - 1} more file(s): see above)" if len(result.unreadable) > 1 else ""
        error = InputFileError(f"{first}{more}", hint="the other files were stored; fix this one and run the same "
                               "command again (files already stored are not read twice)")
    elif not result.files:
        error = NoDataError(f"no log file in {', '.join(str(p) for p in paths)}: every file was skipped (see above)",
                            hint="pass --format NAME, or --map FIELD=COLUMN for a custom CSV/JSONL")
    if error is not None:
        error.result = result
        raise error


def _refusal(refused: list[RefusedFileError], result: IngestResult) -> RefusedFileError:
    """The one error of a run with refused files: each file's one-line reason, the others' summary kept."""
    error = refused[0] if len(refused) == 1 else RefusedFileError(
        f"{len(refused)} files refused: " + "; ".join(e.message for e in refused),
        hint="; ".join(dict.fromkeys(e.hint for e in refused if e.hint)),
    )
    error.result = result
    return error


def _expand(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """(file, named explicitly) for every path; directories are walked recursively in name order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if not hidden and child.suffix not in _SKIP_IN_DIRECTORIES and child.name not in _SKIP_NAMES:
                    yield child, False
        elif path.is_file():
            yield path, True
        else:
            raise InputFileError(f"{path}: no such file or directory", hint="check the path passed to ftaudit ingest")


def _plan(
    store: Store, files: list[tuple[Path, bool]], options: IngestOptions, result: IngestResult
) -> list[tuple[Path, Container, Reader]]:
    """Detect every file's container and format first, so sinks (Batch input) go before outputs."""
    forced = reader_named("mapped") if options.mapping else (reader_named(options.format) if options.format else None)
    planned: list[tuple[Path, Container, Reader]] = []
    for path, explicit in files:
        try:
            container, sample = sniff(store, path)
        except OSError as exc:  # permission denied, an I/O error: a file we must hear about, not skip
            if explicit:
                raise InputFileError(f"{path}: cannot read: {exc.strerror or exc}", hint="check its permissions") from exc
            result.unreadable.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        except InputFileError:
            if explicit:
                raise
            result.skipped.append(f"{path}: not a readable log file")
            continue
        if options.mapping and sample.records:
            _check_mapped_columns(path, options.mapping, sample.keys())
        reader = forced or detect(sample)
        if reader is None and sample.records and all(anthropic.is_batch_object(r) for r in sample.records):
            result.skipped.append(f"{path}: an Anthropic Message Batch object (its ended_at times the results beside it)")
            continue
        if reader is None:
            if not sample.records:
                # no record at all: 0 rows, recorded in the ledger as format "empty"
                planned.append((path, container, empty_reader()))
                continue
            if explicit:
                raise InputFileError(
                    f"{path}: unrecognised log format (first record keys: {sample.first_keys()})",
                    hint="pass --format NAME, or --map FIELD=COLUMN for a custom CSV/JSONL (see ftaudit formats)",
                )
            result.skipped.append(f"{path}: unrecognised log format")
            continue
        planned.append((path, container, reader))
    return sorted(planned, key=lambda p: not p[2].sink)


def _check_mapped_columns(path: Path, mapping: dict[str, str], columns: set[str]) -> None:
    missing = {field: column for field, column in mapping.items() if column not in columns}
    if missing:
        named = ", ".join(f"{field}={column}" for field, column in missing.items())
        raise InputFileError(
            f"{path}: --map names column(s) the file does not have: {named}",
            hint=f"the file's columns are: {', '.join(sorted(columns)[:20])}",
        )


def _ingest_file(store: Store, path: Path, container: Container, reader: Reader, options: IngestOptions) -> FileResult:
    started = datetime.now(UTC)
    hasher = Hasher(path, container.compression)
    hasher.start()
    file_id = int(store.scalar("next_file_id"))
    params = _params(path, container, options, file_id, started)
    if options.ts is None and reader.time_beside:  # a batch object beside untimed results
        params["ts_default"] = reader.time_beside(path)
    outcome = FileResult(path=str(path), format=reader.name)
    try:
        store.begin()
        try:
            if options.replace:  # the earlier ingests of this path or content go first, in this transaction
                hasher.join()
            outcome.replaced_file_ids = forget_replaced(store, path, hasher.sha256, options.replace)
            counts = None
            plain = container.kind in ("jsonl", "csv") and options.fast and not options.keep_text
            fast = reader.fast if plain else None
            if fast and fast.stage_file and container.compression in ("none", "gzip") and container.kind == "jsonl":
                counts = try_fast_path(store, fast, params, hasher)
                outcome.fast_path = counts is not None
                outcome.fast_rows = counts[1] if counts else 0
                if counts is None:  # undo whatever the fast attempt stored (and the forgetting: redone), start clean
                    store.rollback()
                    store.begin()
                    forget_replaced(store, path, hasher.sha256, options.replace)
            csv_fast = fast if counts is None and fast and fast.stage_csv and container.kind == "csv" else None
            if csv_fast is None:  # seen this content before? Asked before the slower paths read the file again
                _raise_if_ingested(store, hasher)
            per_line = not (options.format or options.mapping)  # a detected format: a foreign line is read as its own
            if csv_fast:  # it asks once its stage has read the file (beside the hashing)
                counts, outcome.fast_rows = csv_fast_path(store, reader, csv_fast, path, container, params, per_line=per_line,
                                                          seen=lambda: _raise_if_ingested(store, hasher))
            elif counts is None and fast and container.kind == "jsonl":
                counts, outcome.fast_rows = line_fast_path(store, reader, fast, path, container, params, per_line=per_line)
            elif counts is None and container.kind == "jsonl":
                stage_lines(store, path, container)
                counts = careful_lines(store, reader, container, params, per_line=per_line)
            elif counts is None:
                stage(store, path, container)
                counts = careful_path(store, reader, params, per_line=per_line)
            outcome.set_counts(counts)
            record(store, params, hasher.sha256, hasher.path.stat().st_size, reader.name, counts, options, started)
            outcome.rejects_by_reason = {r: int(n) for r, n in store.rows("rejects_by_reason_for_file", file_id=file_id)}
            outcome.hint = fix_hint(outcome)
            store.commit()
        except BaseException:
            store.rollback()
            raise
    except _AlreadyIngested as again:
        outcome.rows_read = outcome.rows_duplicate = again.rows_read
        outcome.rows_accepted = outcome.rows_rejected = outcome.bucket_rows = 0
        outcome.already_ingested = True
        outcome.fast_path, outcome.fast_rows = False, 0
        record(store, params, hasher.sha256, hasher.path.stat().st_size, reader.name,
               (again.rows_read, 0, 0, again.rows_read, 0, 0), options, started)
    except InputFileError:
        raise
    except Exception as exc:  # a DuckDB error while parsing: name the file, keep the first line
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if out_of_space(exc):
            raise InputFileError(f"{path}: no space left on device ({message})", hint=space_hint(exc)) from exc
        raise InputFileError(f"{path}: {message}", hint="the database is unchanged for this file") from exc
    return outcome


def record(
    store: Store,
    params: dict[str, Any],
    sha256: str,
    size_bytes: int,
    format_name: str,
    counts: tuple[int, ...],
    options: IngestOptions,
    started: datetime,
) -> None:
    """The ledger row of a file (or a database source's batch): rows_read = accepted + rejected + duplicate
    + superseded, stored with the content's sha256."""
    rows_read, accepted, rejected, duplicate, buckets, superseded = counts
    assert rows_read == accepted + rejected + duplicate + superseded, counts
    store.run(
        "insert_ingested_file",
        **params,
        sha256=sha256,
        size_bytes=size_bytes,
        format=format_name,
        rows_read=rows_read,
        rows_accepted=accepted,
        rows_rejected=rejected,
        rows_duplicate=duplicate,
        bucket_rows=buckets,
        rows_superseded=superseded,
        options=json.dumps(_options_json(options)),
        started_at=started,
        finished_at=datetime.now(UTC),
    )


def _raise_if_ingested(store: Store, hasher: Hasher) -> None:
    hasher.join()
    if earlier := store.rows("ingested_file_by_sha256", sha256=hasher.sha256):
        raise _AlreadyIngested(int(earlier[0][3]))


class _AlreadyIngested(Exception):
    def __init__(self, rows_read: int) -> None:
        super().__init__("already ingested")
        self.rows_read = rows_read


def _params(path: Path, container: Container, options: IngestOptions, file_id: int, now: datetime) -> dict[str, Any]:
    params: dict[str, Any] = {
        "path": literal_path(path),  # what DuckDB reads; the ledger and calls name the file as source_file
        "compression": container.compression,
        "container": container.kind,
        "file_id": file_id,
        "source_file": str(path),
        "now": now,
        "ts_floor": TS_FLOOR,
        "ts_ceiling": now + TS_CEILING_SLACK,
        "workload": options.workload,
        "workload_path": "$." + json.dumps(options.workload_from) if options.workload_from else None,
        "model": options.model,
        "provider": options.provider,
        "ts_unit": options.ts_unit,
        "ts_path": "$." + json.dumps(options.ts_field or _UNMAPPED),
        "start": options.start,
        "ts_default": options.ts,  # --ts: the time of records that have none
        "keep_text": options.keep_text,
        "chunk_bytes": options.chunk_bytes,  # the careful path's runs of lines (paths.careful_lines)
    }
    for name in mapped.MAPPABLE_FIELDS:
        column = options.mapping.get(name)
        params[f"map_{name}"] = "$." + json.dumps(column or _UNMAPPED)
    return params


def _options_json(options: IngestOptions) -> dict[str, Any]:
    out = asdict(options)
    out["start"] = options.start.isoformat() if options.start else None
    out["ts"] = options.ts.isoformat() if options.ts else None
    return out
