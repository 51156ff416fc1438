"""Hypothesis fuzzing: valid records of every JSONL fixture, mutated (truncated, keys deleted, values
replaced by other JSON), never crash ingestion, and every record is accounted for."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import duckdb
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ftaudit
from ftaudit.errors import FtauditError
from tests.conftest import DATA

FIXTURES = sorted(p for p in DATA.rglob("*.jsonl") if "bad" not in p.parts)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def leaf_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [prefix] + [p for k, v in value.items() for p in leaf_paths(v, (*prefix, k))]
    if isinstance(value, list):
        return [prefix] + [p for i, v in enumerate(value) for p in leaf_paths(v, (*prefix, i))]
    return [prefix]


@st.composite
def mutated_line(draw: st.DrawFn, record: dict[str, Any]) -> str:
    kind = draw(st.sampled_from(["keep", "truncate", "replace", "delete", "garbage"]))
    text = json.dumps(record)
    if kind == "keep":
        return text
    if kind == "truncate":
        return text[: draw(st.integers(1, max(1, len(text) - 1)))]
    if kind == "garbage":
        return draw(st.text(min_size=1, max_size=40)).replace("\n", " ").replace("\r", " ")
    paths = [p for p in leaf_paths(record) if p]
    if not paths:
        return text
    path = draw(st.sampled_from(paths))
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    if kind == "delete" and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = draw(JSON_VALUES)
    return json.dumps(record)


@st.composite
def fuzzed_file(draw: st.DrawFn) -> tuple[str, list[str]]:
    fixture = draw(st.sampled_from(FIXTURES))
    records = [json.loads(line) for line in fixture.read_text().splitlines() if line.strip() and _is_json(line)]
    chosen = draw(st.lists(st.sampled_from(records), min_size=1, max_size=6)) if records else []
    return fixture.name, [draw(mutated_line(json.loads(json.dumps(r)))) for r in chosen]


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fuzzed_file())
@example(  # found by this test: a list where detection expected a string crashed format detection
    (
        "anthropic_batch_results.jsonl",
        ['{"custom_id": "t-1", "batch_ended_at": "2025-08-05T03:12:40Z", "result": {"type": [], "error": {"type": "error"}}}'],
    )
)
def test_mutated_records_are_all_accounted_for(case: tuple[str, list[str]]) -> None:
    _check_accounted_for(case[1])


@st.composite
def mixed_file(draw: st.DrawFn) -> list[str]:
    """Lines of two or three fixtures of different formats, interleaved, some mutated (issue 14 item 7:
    each line is read by its own format's reader)."""
    fixtures = draw(st.lists(st.sampled_from(FIXTURES), min_size=2, max_size=3, unique=True))
    pools = [[json.loads(line) for line in f.read_text().splitlines() if line.strip() and _is_json(line)] for f in fixtures]
    records = [r for pool in pools for r in pool]
    chosen = draw(st.lists(st.sampled_from(records), min_size=2, max_size=8)) if records else []
    return [draw(mutated_line(json.loads(json.dumps(r)))) for r in chosen]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mixed_file())
def test_mixed_format_files_are_all_accounted_for(lines: list[str]) -> None:
    _check_accounted_for(lines)


def _check_accounted_for(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        db = Path(tmp) / "fuzz.duckdb"
        with ftaudit.open_store(db) as store:
            try:
                result = ftaudit.ingest(store, [path])
            except FtauditError as error:  # allowed: a clear, one-line refusal of the whole file
                assert "\n" not in error.message
                return
        summary = result.summary()
        assert summary["rows_read"] == (
            summary["rows_accepted"] + summary["rows_rejected"] + summary["rows_duplicate"] + summary["rows_superseded"]
        )
        with duckdb.connect(str(db), read_only=True) as con:
            calls, rejects, ledger = con.execute(
                "select (select count(*) from calls), (select count(*) from rejects), "
                "(select sum(rows_accepted + rows_rejected)::bigint from ingested_files)"
            ).fetchall()[0]
        sinks = sum(f["rows_accepted"] for f in summary["files"] if f["format"] in _SINK_FORMATS)
        assert calls + sinks == summary["rows_accepted"]
        assert rejects == summary["rows_rejected"]
        assert ledger == summary["rows_accepted"] + summary["rows_rejected"]


_SINK_FORMATS = {r.name for r in ftaudit.readers() if r.sink}


CHAT_FIXTURE = DATA / "openai" / "chat_responses.jsonl"
CHAT_RECORDS = [json.loads(line) for line in CHAT_FIXTURE.read_text().splitlines()]
BY_LINE = "order by source_line"
# The horizon of "in the future (after ...)" is the clock at ingest plus a margin: two ingests a minute
# apart name different minutes, so the comparison masks it.
REJECTS = "select source_line, reason, regexp_replace(detail, '\\(after [^)]*\\)', '(after the horizon)') from rejects"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CHAT_RECORDS).flatmap(lambda r: mutated_line(json.loads(json.dumps(r)))), min_size=1, max_size=8))
@example(  # found by this test: a number for the id is stored as the double's text by the careful reader
    [json.dumps({**CHAT_RECORDS[0], "id": 1e16})]
)
@example(  # issue 14: a time no timestamp holds, and counts at and past the one token bound (1e15)
    [
        json.dumps({**CHAT_RECORDS[0], "created": 1e20}),
        json.dumps({**CHAT_RECORDS[1], "created": "NaN"}),
        json.dumps({**CHAT_RECORDS[2], "usage": {**CHAT_RECORDS[2]["usage"], "prompt_tokens": 10**15}}),
        json.dumps({**CHAT_RECORDS[3], "usage": {**CHAT_RECORDS[3]["usage"], "prompt_tokens": 10**15 - 1}}),
        json.dumps({**CHAT_RECORDS[4], "usage": {**CHAT_RECORDS[4]["usage"], "prompt_tokens": 2**63 - 1}}),
    ]
)
def test_fast_paths_store_what_the_careful_path_stores(lines: list[str]) -> None:
    """Chat Completion lines, some mutated: the fast paths (whole file, or clean lines beside the
    careful path) store exactly the calls and rejects that the careful path alone stores."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chat.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        stored = []
        for fast in (True, False):
            db = Path(tmp) / f"{fast}.duckdb"
            with ftaudit.open_store(db) as store:
                try:
                    ftaudit.ingest(store, [path], ftaudit.IngestOptions(format="openai_chat", fast=fast))
                except FtauditError as error:
                    stored.append(("error", error.message))
                    continue
            with duckdb.connect(str(db), read_only=True) as con:
                calls = con.execute(f"select * exclude (file_id, source_file, ingested_at) from calls {BY_LINE}").fetchall()
                rejects = con.execute(f"{REJECTS} {BY_LINE}").fetchall()
                stored.append((calls, rejects))
        assert stored[0] == stored[1]


def _stored(path: Path, db: Path, options: ftaudit.IngestOptions) -> tuple[Any, ...]:
    """What an ingest stored: calls, rejects and the ledger's counts (or the error that refused the file)."""
    with ftaudit.open_store(db) as store:
        try:
            ftaudit.ingest(store, [path], options)
        except FtauditError as error:
            return ("error", error.message.replace(str(db), ""))
    with duckdb.connect(str(db), read_only=True) as con:
        # several rows per line (bucket pages): every column orders them
        calls = con.execute("select * exclude (file_id, source_file, ingested_at) from calls order by all").fetchall()
        rejects = con.execute(f"{REJECTS} order by all").fetchall()
        ledger = con.execute(
            "select format, rows_read, rows_accepted, rows_rejected, rows_duplicate, rows_superseded from ingested_files"
        ).fetchall()
    return calls, rejects, ledger


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fuzzed_file())
@example(  # issue 12 variant 5 beside a negative count: the hidden output is not made of a bad count
    (
        "gemini_openai_compat.jsonl",
        [
            '{"id": "a", "object": "chat.completion", "created": 1754474400, "model": "gemini-2.5-flash", '
            '"usage": {"prompt_tokens": 8, "completion_tokens": -3, "total_tokens": 417}}'
        ],
    )
)
def test_fast_and_careful_paths_store_the_same_for_every_format(case: tuple[str, list[str]]) -> None:
    """Lines of any format's fixture (the variants of issue 12 included), some mutated, format detected:
    the fast paths and the careful path alone store the same calls, rejects and ledger counts."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_text("\n".join(case[1]) + "\n", encoding="utf-8")
        fast = _stored(path, Path(tmp) / "fast.duckdb", ftaudit.IngestOptions(fast=True))
        careful = _stored(path, Path(tmp) / "careful.duckdb", ftaudit.IngestOptions(fast=False))
        assert fast == careful


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fuzzed_file(), st.integers(1, 4000), st.booleans())
@example(  # found by this test: a stream's first chunk (no output count yet) in a run before its last chunk
    (
        "gemini_vertex_stream_chunks.jsonl",
        [
            '{"candidates": [{"content": {"role": "model", "parts": [{"text": "Once"}]}}], "usageMetadata": '
            '{"promptTokenCount": 8, "totalTokenCount": 8}, "modelVersion": "gemini-2.5-flash", '
            '"createTime": "2025-08-06T10:00:00.100000Z", "responseId": "q8CXaOXgLsXm7M8P2rKo4Ag"}',
            '{"candidates": [{"content": {"role": "model", "parts": [{"text": " a time"}]}, "finishReason": "STOP"}], '
            '"usageMetadata": {"promptTokenCount": 8, "candidatesTokenCount": 5, "totalTokenCount": 13}, '
            '"modelVersion": "gemini-2.5-flash", "createTime": "2025-08-06T10:00:00.100000Z", '
            '"responseId": "q8CXaOXgLsXm7M8P2rKo4Ag"}',
        ],
    ),
    1,
    False,
)
def test_a_file_read_in_chunks_stores_what_one_pass_stores(case: tuple[str, list[str]], chunk_bytes: int, fast: bool) -> None:
    """Issue 12: the careful path reads a JSONL file's lines in runs of about `chunk_bytes` characters
    (bounded memory); any run size (1: every line a run of its own) stores the calls, rejects and ledger
    counts of one run over the whole file, repeated lines without an id included."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_text("\n".join(case[1]) + "\n", encoding="utf-8")
        chunked = _stored(path, Path(tmp) / "chunked.duckdb", ftaudit.IngestOptions(fast=fast, chunk_bytes=chunk_bytes))
        whole = _stored(path, Path(tmp) / "whole.duckdb", ftaudit.IngestOptions(fast=fast, chunk_bytes=1 << 30))
        assert chunked == whole
