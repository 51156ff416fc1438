"""Containers: how a file holds its records (JSONL, a JSON document, CSV, Parquet; plain, gzip or zstd).

`sniff()` looks at the first bytes and records to pick the container and give readers a sample;
`stage()` loads every record of the file into the temp tables `records` (valid JSON objects, one
per record, with the line or element number) and `malformed` (what could not be parsed, with its
reason). Pages of an export API (`{"data": [...], "has_more": ...}`) are unwrapped into their items.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ftaudit.errors import InputFileError
from ftaudit.ingest.formats import Record, Sample
from ftaudit.ingest.zstd_frames import zstd_problem
from ftaudit.store.connection import Store

SAMPLE_RECORDS = 20
_STAGE_QUERY = {"jsonl": "stage_jsonl", "json": "stage_json", "csv": "stage_csv", "parquet": "stage_parquet"}
_MAGIC = {b"\x1f\x8b": "gzip", b"\x28\xb5\x2f\xfd": "zstd"}


@dataclass(frozen=True)
class Container:
    kind: str  # 'jsonl' | 'json' | 'csv' | 'parquet'
    compression: str  # 'none' | 'gzip' | 'zstd'


def literal_path(path: Path) -> str:
    """`path` as DuckDB's readers take it literally: they glob `*`, `?` and `[...]` (DuckDB 2.0.1; a
    backslash does not escape), so `a[1].jsonl` would read `a1.jsonl`. Each is put in brackets."""
    return re.sub(r"([*?\[])", r"[\1]", str(path))


def compression_of(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
    for magic, name in _MAGIC.items():
        if head.startswith(magic):
            return name
    return "none"


def sniff(store: Store, path: Path) -> tuple[Container, Sample]:
    """Pick the container of `path` from its content and parse a sample of its records."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == b"PAR1":
        container = Container("parquet", "none")
        return container, Sample("parquet", _sample_rows(store, "sample_parquet", path, container))
    compression = compression_of(path)
    lines = _first_lines(path) if compression == "none" else None
    if lines is None:  # compressed, or no whole line in the head: let DuckDB read it
        rows = _query(store, "sample_lines", path, compression)
        lines = [str(row[0]) for row in rows if row[0] and str(row[0]).strip()]
    if not lines:
        _check_whole(path, compression)
        document = _json_document(store, path, compression)
        if document is not None:  # one line over DuckDB's 32 MB line limit: a JSON document, read whole
            return Container("json", compression), Sample("json", unwrap_pages(document))
        if path.stat().st_size > 0 and not _is_blank(store, path, compression):
            raise InputFileError(f"{path}: not a text log file (no line is valid UTF-8 text)",
                                 hint="pass the decompressed export, or check that this is the right file")
        return Container("jsonl", compression), Sample("jsonl", [])
    if any("\x00" in line for line in lines):
        raise InputFileError(f"{path}: not a text log file (it contains NUL bytes)",
                             hint="pass the decompressed export, or check that this is the right file")
    first = lines[0].lstrip("\ufeff").strip()
    parsed = [_loads(line.lstrip("\ufeff").strip()) for line in lines]
    objects = [r for r in parsed if isinstance(r, dict)]
    # One JSON value per line: the first line is one (an array too when another line is a value of its
    # own: no document goes on after a whole array), or most lines are objects (the first may be log
    # noise or cut off). A pretty-printed document has few lines that parse on their own.
    first_is_value = parsed[0] is not None and (
        not isinstance(parsed[0], list) or any(value is not None for value in parsed[1:]))
    if first_is_value or (len(objects) >= max(1, len(lines) // 2) and first[:1] != "["):
        return Container("jsonl", compression), Sample("jsonl", unwrap_pages(objects))
    if first[:1] in ("{", "["):
        container = Container("json", compression)
        return container, Sample("json", unwrap_pages(_sample_rows(store, "sample_json_document", path, container)))
    container = Container("csv", compression)
    return container, Sample("csv", _sample_rows(store, "sample_csv", path, container))


def stage(store: Store, path: Path, container: Container) -> None:
    """Fill temp tables `records(source_line, raw, js)` and `malformed(source_line, raw, reason)`."""
    _check_whole(path, container.compression)
    _query(store, _STAGE_QUERY[container.kind], path, container.compression)
    stage_records(store, container)


def stage_lines(store: Store, path: Path, container: Container) -> None:
    """A JSONL file's lines as text, numbered: the temp table `staged_lines(valid_line, raw)`."""
    assert container.kind == "jsonl", container
    _check_whole(path, container.compression)
    _query(store, _STAGE_QUERY["jsonl"], path, container.compression)


def _check_whole(path: Path, compression: str) -> None:
    """A cut zstd file is an error, as a cut gzip is (DuckDB reads a zstd stream up to the cut, quietly)."""
    problem = zstd_problem(path) if compression == "zstd" else None
    if problem:
        raise InputFileError(f"{path}: truncated or corrupt zstd file: {problem}",
                             hint="copy or download it again (nothing of it was stored)")


def stage_records(store: Store, container: Container) -> None:
    """`records` and `malformed` from what `stage` or `stage_lines` read."""
    if container.kind == "jsonl":
        store.run("stage_jsonl_lines")
        store.run("stage_line_problems")
    else:
        store.run("stage_no_line_problems")
    store.run("stage_malformed")
    store.run("stage_page_items_not_objects")
    store.run("stage_records")


def _first_lines(path: Path, head_bytes: int = 1 << 20) -> list[str] | None:
    """Up to SAMPLE_RECORDS non-blank, valid UTF-8 lines from the head of a plain file (cheaper than a
    DuckDB scan on a large file); None when the head holds no whole line."""
    with path.open("rb") as handle:
        head = handle.read(head_bytes)
    whole = head.split(b"\n")
    if len(head) == head_bytes:
        whole = whole[:-1]  # the last piece may be cut
    if not whole:
        return None
    lines: list[str] = []
    for raw in whole:
        try:
            text = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            continue  # DuckDB rejects such a line as invalid_utf8 when staging
        if text.strip():
            lines.append(text)
            if len(lines) == SAMPLE_RECORDS:
                break
    return lines


def _json_document(store: Store, path: Path, compression: str) -> list[Record] | None:
    """The first records of a file that is JSON but has no line DuckDB reads as text (a document or
    JSONL record over 32 MB on one line, as JSON.stringify writes it), or None when it is not JSON."""
    with _open(path, compression) as handle:
        start = handle.read(1 << 16).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] if handle else b""
    if start not in (b"{", b"["):
        return None
    try:
        rows = store.rows("sample_json_document", path=literal_path(path), compression=compression, limit=SAMPLE_RECORDS,
                          max_object=max_object_size(path, compression))
    except Exception:  # not JSON after all: the caller says what the file is not
        return None
    return [r for r in (_loads(str(row[0])) for row in rows) if isinstance(r, dict)] or None


def max_object_size(path: Path, compression: str) -> int:
    """The largest JSON value a whole-document read must hold: DuckDB allocates twice it up front, so
    1 GiB for a small file failed under a 1.5 GB memory limit. No value is larger than a plain file;
    a compressed one inflates (32x and 64 MiB of room), both up to 1 GiB."""
    size = path.stat().st_size
    return min(size + 1 if compression == "none" else 32 * size + (64 << 20), 1 << 30)


def _open(path: Path, compression: str) -> Any:
    """The file's decompressed bytes, or a null context when Python cannot decompress it (zstd)."""
    if compression == "gzip":
        return gzip.open(path, "rb")
    return path.open("rb") if compression == "none" else contextlib.nullcontext(None)


def _is_blank(store: Store, path: Path, compression: str) -> bool:
    """True for a file of blank lines only; False when some byte is not white space, or even the first
    line is not text (binary)."""
    if compression != "zstd":
        with _open(path, compression) as handle:
            while chunk := handle.read(1 << 20):
                if chunk.strip():  # a line DuckDB could not read (over 32 MB, not UTF-8) is not blank
                    return False
        return True
    try:
        store.rows("first_line_strict", path=literal_path(path), compression=compression)
    except Exception:  # duckdb's error classes vary; any failure here means "not text"
        return False
    return True


def unwrap_pages(records: list[Record]) -> list[Record]:
    """The Python twin of `queries/ingest/containers/stage_records.sql`, for detection samples only."""
    out: list[Record] = []
    for record in records:
        data = record.get("data")
        if isinstance(data, list) and _is_page(record):
            out.extend(item for item in data if isinstance(item, dict))
        elif isinstance(data, dict) and set(record) == {"data"}:
            out.append(data)
        else:
            out.append(record)
    return out


# Keys an export API puts beside its `data` array (OpenAI, Anthropic, Langfuse, Helicone, LiteLLM ...).
PAGE_KEYS = frozenset({"data", "has_more", "next_page", "meta", "object", "error", "total", "page", "page_size",
                       "total_pages", "first_id", "last_id", "limit", "offset"})


def _is_page(record: Record) -> bool:
    return set(record) <= PAGE_KEYS


def _sample_rows(store: Store, query: str, path: Path, container: Container) -> list[Record]:
    rows = _query(store, query, path, container.compression)
    return [r for r in (_loads(str(row[0])) for row in rows) if isinstance(r, dict)]


def _query(store: Store, name: str, path: Path, compression: str) -> list[tuple[object, ...]]:
    try:
        return store.rows(name, path=literal_path(path), compression=compression, limit=SAMPLE_RECORDS,
                          max_object=max_object_size(path, compression))
    except Exception as exc:  # duckdb raises many classes; all mean "this file cannot be read"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputFileError(
            f"{path}: cannot read as {name.removeprefix('stage_').removeprefix('sample_')}: {first}",
            hint="check that the file is a complete, uncorrupted log export (or pass --format)",
        ) from exc


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # nested deeper than Python parses: DuckDB judges the record
        return None
