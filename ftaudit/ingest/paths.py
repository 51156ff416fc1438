"""The three ways a file's records reach `calls`, all inside the caller's transaction: the fast path
(a strict typed read of a whole clean JSONL file), the line fast path (clean lines the fast way, the
others carefully) and the careful path (record by record in SQL, every reject named). Plus `Hasher`,
the file's sha256 and line count read beside DuckDB's work."""

from __future__ import annotations

import hashlib
import re
import threading
import zlib
from pathlib import Path
from typing import Any

from ftaudit.errors import RefusedFileError
from ftaudit.ingest.containers import Container, stage_lines, stage_records
from ftaudit.ingest.formats import FastPath, Reader
from ftaudit.ingest.per_line import extract_by_reader, readers_by_shape
from ftaudit.ingest.prefix_sample import known_prefixes
from ftaudit.store.connection import Store

Counts = tuple[int, ...]  # rows read, accepted, rejected, duplicate, bucket rows, superseded


class Hasher(threading.Thread):
    """sha256 and physical lines of a file in one read, beside DuckDB's work (the main thread waits
    in DuckDB, which releases the GIL). A gzip file's lines are those of its decompressed text (zlib
    releases the GIL too), so that the whole-file fast path can check its row count; -1 when the text
    does not decompress (then the fast path never matches it and the careful path reports the file)."""

    def __init__(self, path: Path, compression: str = "none") -> None:
        super().__init__(daemon=True)
        self.path = path
        self.compression = compression
        self.sha256 = ""
        self.lines = 0  # newline-terminated lines, plus a last line without its newline

    def run(self) -> None:
        digest = hashlib.sha256()
        counter = _LineCounter()
        inflate = zlib.decompressobj(wbits=31) if self.compression == "gzip" else None
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                digest.update(chunk)
                if inflate is None:
                    counter.add(chunk)
                elif counter.lines >= 0:
                    inflate = _inflate_into(counter, inflate, chunk)
        if inflate is not None and not inflate.eof and counter.lines >= 0:
            counter.lines = -1  # cut short
        self.lines = counter.total()
        self.sha256 = digest.hexdigest()


class _LineCounter:
    def __init__(self) -> None:
        self.lines = 0
        self.last = b"\n"

    def add(self, text: bytes) -> None:
        if text:
            # 3x faster than text.count(b"\n") (memchr and memcpy instead of a byte loop):
            # 0.05 s instead of 0.13 s of CPU for 477 MB, CPU that DuckDB is parsing with
            self.lines += len(text) - len(text.replace(b"\n", b""))
            self.last = text[-1:]

    def total(self) -> int:
        return self.lines if self.lines < 0 else self.lines + (self.last != b"\n")


def _inflate_into(counter: _LineCounter, inflate: Any, data: bytes) -> Any:
    """Decompress `data` (gzip, any number of members) 16 MB at a time into the line count; the
    decompressor to go on with."""
    while data:
        try:
            counter.add(inflate.decompress(data, 1 << 24))
        except zlib.error:
            counter.lines = -1
            return inflate
        data = inflate.unconsumed_tail
        if inflate.eof:  # a next member, or trailing bytes DuckDB would refuse
            data = inflate.unused_data
            if data:
                inflate = zlib.decompressobj(wbits=31)
    return inflate


def try_fast_path(store: Store, fast: FastPath, params: dict[str, Any], hasher: Hasher) -> tuple[int, ...] | None:
    """Strict typed read of a plain JSONL file straight into calls; None (the caller rolls back) unless
    every line was a valid, new, unique call."""
    assert fast.stage_file
    try:
        with store.ingest_memory(), known_prefixes(store, fast.stage_file, params, fast.prefix_marker):
            inserted = store.insert_from_stage("fast_insert_file_calls", fast.stage_file, **params)
        clashes = int(store.scalar("fast_file_id_clashes", **params))
    except Exception:
        return None  # malformed line, a type the strict reader refuses, a record to read carefully: the line path
    hasher.join()
    if inserted != hasher.lines or clashes:
        return None
    store.run("fast_number_file_lines", **params)
    return (inserted, inserted, 0, 0, 0, 0)


def line_fast_path(
    store: Store, reader: Reader, fast: FastPath, path: Path, container: Container, params: dict[str, Any],
    *, per_line: bool = False,
) -> tuple[tuple[int, ...], int]:
    """Stage the file's lines, store the clean calls among them the fast way, and run the careful
    path on the other lines only (in runs: careful_lines). When some line is not readable text (it
    shifts the numbering of the lines after it, which the careful path alone accounts for), every line
    goes the careful way."""
    stage_lines(store, path, container)
    inserted = 0
    if not int(store.scalar("unreadable_line_count")):
        with store.ingest_memory():
            store.run(fast.stage_lines, **params)
            store.run("fast_rows_as_staged")
            inserted = int(store.execute(fast.insert, **params).fetchall()[0][0])
        if inserted:
            store.run("fast_remaining_lines", **params)
    read, accepted, rejected, duplicate, buckets, superseded = careful_lines(store, reader, container, params, per_line=per_line)
    return (read + inserted, accepted + inserted, rejected, duplicate, buckets, superseded), inserted


def careful_lines(store: Store, reader: Reader, container: Container, params: dict[str, Any], *, per_line: bool) -> Counts:
    """The careful path over the staged lines of a JSONL file (`staged_lines`), in runs of consecutive
    lines of about `params["chunk_bytes"]` characters (None: chunk_bytes_for): what a run's parsing
    holds (several JSON values of each record at once, windows over them) is bounded by the run, not
    the file, so a file of any size ingests under --memory-limit. The runs store what one pass would:
    calls stored by an earlier run are seen by the later ones' duplicate checks, and records without
    an id count their occurrences across runs (raw_occurrences). Not for sinks, nor when some line is
    not text (its line numbers)."""
    with store.ingest_memory():
        chunks = store.rows("line_chunks", chunk_bytes=params.get("chunk_bytes") or chunk_bytes_for(store))
        if len(chunks) <= 1 or reader.sink or int(store.scalar("unreadable_line_count")):
            stage_records(store, container)
            store.run("drop_staged_lines")  # their text is in `staged` now
            return careful_path(store, reader, params, per_line=per_line)
        store.run("lines_aside")
        counts = _runs(store, reader, container, params, chunks, per_line=per_line)
        store.run("lines_aside_end")
        return counts


def _runs(
    store: Store, reader: Reader, container: Container, params: dict[str, Any], chunks: list[tuple[Any, ...]],
    *, per_line: bool,
) -> Counts:
    """careful_lines over the lines set aside, run by run (or in one run when the runs cannot decide)."""
    totals = [0] * 6
    try:
        for n, (first, last) in enumerate(chunks):
            store.run("chunk_lines", first_line=first, last_line=last)
            stage_records(store, container)
            counts = careful_path(store, reader, params, per_line=per_line, continued=n > 0)
            store.run("raw_occurrences_add")
            store.run("rejected_ids_add", first_line=first, last_line=last)
            totals = [a + int(b) for a, b in zip(totals, counts, strict=True)]
    except RefusedFileError:  # a refusal is about the whole file (its counts, "every record ..."): one run decides
        return _one_run(store, reader, container, params, chunks, per_line=per_line)
    if totals[5] or int(store.scalar("chunked_conflicts", **params)):
        # snapshots of a call (stream chunks) or conflicting ids: their windows span the file, one run decides
        return _one_run(store, reader, container, params, chunks, per_line=per_line)
    return tuple(totals)


def _one_run(
    store: Store, reader: Reader, container: Container, params: dict[str, Any], chunks: list[tuple[Any, ...]],
    *, per_line: bool,
) -> tuple[int, ...]:
    """Forget what the runs stored, then read all the lines set aside in one run."""
    for undo in ("undo_chunked_calls", "undo_chunked_rejects", "undo_chunked_call_texts"):
        store.run(undo, **params)
    store.run("chunk_lines", first_line=chunks[0][0], last_line=chunks[-1][1])
    stage_records(store, container)
    return careful_path(store, reader, params, per_line=per_line)


_UNITS = {"bytes": 1, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
          "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}


def chunk_bytes_for(store: Store) -> int:
    """Characters of lines per careful run: 1/24 of DuckDB's memory limit in force (a run's parse holds
    its JSON values and windows at once), between 4 MB and 64 MB: 64 MB under ingest_memory's bound, 41 MB
    under --memory-limit 1GB, 21 MB under 512MB. Measured (benchmarks/careful_path.py, 200k gateway pairs,
    416 MB): 64 MB runs 18.9 s and 1,568 MB RSS under 1536MB, 16 MB runs 21.6 s; 1GB 20.4 s, 1,078 MB;
    512MB 28.9 s, 603 MB. 256MB fails (Out of Memory), as it did with 4 MB runs."""
    setting = str(store.con.execute("select current_setting('memory_limit')").fetchall()[0][0])
    match = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]+)\s*", setting)
    limit = float(match.group(1)) * _UNITS.get(match.group(2).lower(), 1 << 30) if match else float(1 << 32)
    return int(min(max(limit / 24, 4 << 20), 64 << 20))


def careful_path(
    store: Store, reader: Reader, params: dict[str, Any], *, per_line: bool = False, continued: bool = False
) -> tuple[int, ...]:
    """Record by record in SQL; `per_line` (the format was detected, not forced): records of another
    format's shape are read by that format's reader (see per_line.py); `continued`: a later run of the
    same file's lines (see careful_lines)."""
    if not continued:
        store.run("raw_occurrences_reset")
    if reader.sink:
        for name in reader.sink_queries:
            store.run(name, **params)
        store.run("insert_rejects_from_sink", **params)
        return tuple(int(v) for v in store.rows("sink_outcome_counts")[0])
    assert reader.extract_query
    others = readers_by_shape(store, reader, params["container"]) if per_line else {}
    if others:
        extract_by_reader(store, reader, others, params)
    else:
        store.create_temp_table("extracted", reader.extract_query, **params)
    for message, hint in store.rows(reader.refuse, **params) if reader.refuse else []:
        raise RefusedFileError(f"{params['source_file']}: {message}", hint=str(hint))
    store.create_temp_table("validated", "validated_records", **params)
    store.create_temp_table("classified", "classified_records", **params)
    store.run("insert_calls_from_classified", **params)
    store.run("insert_call_texts", **params)
    store.run("insert_rejects_from_staging", **params)
    return tuple(int(v) for v in store.rows("file_outcome_counts")[0])
