"""Fast paths of the Anthropic, Bedrock and Gemini readers (issue 12): a clean file of each is stored
entirely the fast way, with exactly the calls the careful path stores; the lines a fast stage cannot
read exactly (a bad line, a stream chunk, a --ts-field time) go the careful way without changing what is
stored. Expected token totals are computed here from the fixtures with `json` and each provider's
documented rule (log-formats.md sections 4, 5, 10), never read back from the code under test.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftaudit
from tests.conftest import DATA, Cli, query
from tests.conftest import ingest_file as ingest
from tests.test_fuzz_ingest import _stored, mutated_line

FORMATS = DATA / "formats"
ANTHROPIC = FORMATS / "anthropic_messages_clean.jsonl"
BEDROCK = FORMATS / "bedrock_invocations_clean.jsonl"
GEMINI = FORMATS / "gemini_clean.jsonl"
STREAM_CHUNKS = FORMATS / "variants" / "gemini_vertex_stream_chunks.jsonl"

EVERY_COLUMN_BUT_THE_FILE = (
    "call_id, ts, provider, model, base_model, is_fine_tuned, workload, is_bucket, request_count, input_tokens, "
    "cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, is_batch, "
    "service_tier, latency_ms, status, billed_cost_usd, prefix_hash, prefix_chars, variable_chars, hints::varchar, "
    "content_hash, source_line"
)


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _n(value: Any) -> int:
    return int(value or 0)


def anthropic_tokens(record: dict[str, Any]) -> tuple[int, int]:
    """(input, output): input_tokens + cache reads + cache writes (cache_creation_input_tokens, else its
    5m + 1h split), Anthropic's own formula."""
    usage = record.get("response", record)["usage"]
    split = usage.get("cache_creation", {})
    writes = usage.get("cache_creation_input_tokens")
    if writes is None:
        writes = _n(split.get("ephemeral_5m_input_tokens")) + _n(split.get("ephemeral_1h_input_tokens"))
    return usage["input_tokens"] + _n(usage.get("cache_read_input_tokens")) + writes, usage["output_tokens"]


def bedrock_tokens(record: dict[str, Any]) -> tuple[int, int]:
    """inputTokenCount excludes the cache reads and writes (Claude on Bedrock)."""
    given = record["input"]
    read, write = _n(given.get("cacheReadInputTokenCount")), _n(given.get("cacheWriteInputTokenCount"))
    return given["inputTokenCount"] + read + write, record["output"]["outputTokenCount"]


def gemini_tokens(record: dict[str, Any]) -> tuple[int, int]:
    """input = prompt (cache included) + tool-use prompt; output = candidates + thoughts."""
    body = record.get("response", record)
    usage = body.get("usageMetadata") or body["usage_metadata"]

    def count(camel: str, snake: str) -> int:
        return _n(usage.get(camel, usage.get(snake)))

    prompt = count("promptTokenCount", "prompt_token_count") + count("toolUsePromptTokenCount", "tool_use_prompt_token_count")
    return prompt, count("candidatesTokenCount", "candidates_token_count") + count("thoughtsTokenCount", "thoughts_token_count")


def stored(db: Path) -> list[tuple[Any, ...]]:
    return query(db, f"select {EVERY_COLUMN_BUT_THE_FILE} from calls order by source_line")


def careful(path: Path, db: Path, **options: Any) -> dict[str, Any]:
    """The reference: every record the careful way."""
    with ftaudit.open_store(db) as store:
        summary = ftaudit.ingest(store, [path], ftaudit.IngestOptions(fast=False, **options)).summary()
    (file,) = summary["files"]
    assert file["fast_rows"] == 0
    return dict(file)


CLEAN = [
    pytest.param(ANTHROPIC, "anthropic_messages", anthropic_tokens, id="anthropic"),
    pytest.param(BEDROCK, "bedrock_invocations", bedrock_tokens, id="bedrock"),
    pytest.param(GEMINI, "gemini", gemini_tokens, id="gemini"),
]


@pytest.mark.parametrize(("path", "format_name", "tokens"), CLEAN)
def test_a_clean_file_is_stored_entirely_by_the_fast_path(
    cli: Cli, db: Path, tmp_path: Path, path: Path, format_name: str, tokens: Callable[[dict[str, Any]], tuple[int, int]]
) -> None:
    lines = records(path)
    file = ingest(cli, db, path)
    assert (file["format"], file["fast_path"]) == (format_name, True)
    assert file["fast_rows"] == file["rows_accepted"] == len(lines)
    expected = [tokens(r) for r in lines]
    assert query(db, "select sum(input_tokens)::bigint, sum(output_tokens)::bigint from calls")[0] == (
        sum(i for i, _ in expected), sum(o for _, o in expected))
    reference = tmp_path / "careful.duckdb"
    careful(path, reference)
    assert stored(db) == stored(reference)


@pytest.mark.parametrize(("path", "format_name", "tokens"), CLEAN)
def test_a_bad_line_leaves_the_other_lines_on_the_fast_path(
    cli: Cli, db: Path, tmp_path: Path, path: Path, format_name: str, tokens: Callable[[dict[str, Any]], tuple[int, int]]
) -> None:
    with_bad = tmp_path / path.name
    text = path.read_text(encoding="utf-8").splitlines()
    with_bad.write_text("\n".join([*text[:2], '{"cut off', *text[2:]]) + "\n", encoding="utf-8")
    file = ingest(cli, db, with_bad)
    assert (file["fast_path"], file["fast_rows"], file["rows_accepted"]) == (False, len(text), len(text))
    assert file["rejects_by_reason"] == {"malformed_json": 1}
    reference = tmp_path / "careful.duckdb"
    assert careful(with_bad, reference)["rejects_by_reason"] == {"malformed_json": 1}
    assert stored(db) == stored(reference)
    assert query(db, "select source_line from calls order by source_line") == [(n,) for n in (1, 2, *range(4, len(text) + 2))]


def test_the_shared_system_prompt_is_one_static_prefix(cli: Cli, db: Path) -> None:
    """Lines 1 and 4 send the same system prompt (a string) before their own question: one prefix hash,
    and the prefix is the system prompt's characters, the variable part the question's."""
    ingest(cli, db, ANTHROPIC)
    first, fourth = records(ANTHROPIC)[0]["request"], records(ANTHROPIC)[3]["request"]
    rows = query(db, "select source_line, prefix_hash, prefix_chars, variable_chars from calls where source_line in (1, 4) "
                     "order by source_line")
    assert rows[0][1] == rows[1][1] is not None
    assert [r[2:] for r in rows] == [
        (len(first["system"]), len(first["messages"][0]["content"])),
        (len(fourth["system"]), len(fourth["messages"][0]["content"])),
    ]


def _anthropic_line(i: int, system: str, messages: list[dict[str, str]]) -> str:
    return json.dumps({
        "ts": f"2025-08-01T09:{i // 60 % 60:02d}:{i % 60:02d}Z", "latency_ms": 900,
        "request": {"model": "claude-sonnet-4-20250514", "max_tokens": 64, "system": system, "messages": messages},
        "response": {"id": f"msg_sampled{i:06d}", "type": "message", "role": "assistant",
                     "model": "claude-sonnet-4-20250514", "content": [{"type": "text", "text": "ok"}],
                     "stop_reason": "end_turn", "usage": {"input_tokens": 40, "output_tokens": 2}}})


def test_common_prefixes_hashed_once_are_the_md5_of_their_text(tmp_path: Path) -> None:
    """A file larger than the head ftaudit samples for its common prefixes (ftaudit/ingest/prefix_sample.py):
    three system prompts shared by most lines (one with a quote and a newline), one seen once in the head
    and often after it, a unique one per 97th line, two-turn requests (the prefix is system + user +
    assistant), requests without a system prompt whose prefix is one common assistant message. Every prefix
    hash is the md5 of the prefix's JSON text, computed here with hashlib, and every column equals the
    careful path's."""
    from ftaudit.ingest.prefix_sample import SAMPLE_BYTES

    policy = "Policy clause: refunds within 30 days, exchanges within 60 days. " * 25
    shared = [f"You are the {role} of Acme Parcel. {policy}" for role in ("support agent", "claims classifier")]
    shared.append('You are the "router".\nRoute by the policy. ' + policy)
    late = "You are the late reviewer. " + policy
    greeting = "Hello from Acme Parcel, how can I help? " + policy
    lines, expected = [], []
    for i in range(3200):
        system = (f"Unique prompt {i}. " + policy if i % 97 == 0 else late if i == 5 or i > 2500
                  else shared[i % 3])
        question = {"role": "user", "content": f"Where is order {i}?"}
        turns = [question] if i % 5 else [question, {"role": "assistant", "content": "Which order?"}, question]
        if i % 7 == 3:  # no system prompt: the prefix is the one message before the question, common too
            record = json.loads(_anthropic_line(i, system, [{"role": "assistant", "content": greeting}, question]))
            del record["request"]["system"]
            lines.append(json.dumps(record))
            prefix = [{"role": "assistant", "content": greeting}]
        else:
            lines.append(_anthropic_line(i, system, turns))
            prefix = [{"role": "system", "content": system}, *turns[:-1]]
        text = "[" + ", ".join(json.dumps(m, separators=(",", ":"), ensure_ascii=False) for m in prefix) + "]"
        expected.append(hashlib.md5(text.encode()).hexdigest())
    path = tmp_path / "anthropic_large.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > SAMPLE_BYTES
    with ftaudit.open_store(tmp_path / "fast.duckdb") as store:
        (file,) = ftaudit.ingest(store, [path]).summary()["files"]
    assert (file["fast_path"], file["fast_rows"]) == (True, 3200)
    assert [h for (h,) in query(tmp_path / "fast.duckdb", "select prefix_hash from calls order by source_line")] == expected
    careful(path, tmp_path / "careful.duckdb")
    assert stored(tmp_path / "fast.duckdb") == stored(tmp_path / "careful.duckdb")


def test_bare_messages_take_the_ts_flag_on_the_fast_path(cli: Cli, db: Path, tmp_path: Path) -> None:
    """Message objects alone carry no time: with --ts they are stored the fast way, at that time."""
    bare = tmp_path / "bare.jsonl"
    bare.write_text("".join(json.dumps(r["response"]) + "\n" for r in records(ANTHROPIC)), encoding="utf-8")
    file = ingest(cli, db, bare, "--ts", "2025-08-02T00:00:00Z")
    assert (file["fast_path"], file["fast_rows"], file["rows_accepted"]) == (True, 5, 5)
    assert query(db, "select distinct ts from calls") == [(datetime(2025, 8, 2, tzinfo=UTC),)]
    reference = tmp_path / "careful.duckdb"
    careful(bare, reference, ts=datetime(2025, 8, 2, tzinfo=UTC))
    assert stored(db) == stored(reference)


def test_a_ts_field_goes_the_careful_way(cli: Cli, db: Path, tmp_path: Path) -> None:
    """--ts-field names a key the typed fast read does not know: the careful path reads every line."""
    file = ingest(cli, db, GEMINI, "--ts-field", "ts")
    assert (file["fast_path"], file["fast_rows"], file["rows_accepted"]) == (False, 0, len(records(GEMINI)))
    reference = tmp_path / "careful.duckdb"
    careful(GEMINI, reference, ts_field="ts")
    assert stored(db) == stored(reference)


def test_stream_chunks_of_one_response_stay_careful(cli: Cli, db: Path, tmp_path: Path) -> None:
    """Chunks sharing a responseId are one call with the final usage (the careful path's rule); only the
    response logged once is stored the fast way."""
    file = ingest(cli, db, STREAM_CHUNKS)
    assert (file["fast_rows"], file["rows_accepted"], file["rows_superseded"]) == (1, 3, 4)
    reference = tmp_path / "careful.duckdb"
    careful(STREAM_CHUNKS, reference)
    assert stored(db) == stored(reference)


def test_batch_results_with_their_time_go_the_fast_way(cli: Cli, db: Path, tmp_path: Path) -> None:
    """Message Batches results that succeeded, timed by --ts (the batch's ended_at): stored the fast way,
    flagged is_batch, with their custom_id as a workload hint, as the careful path stores them."""
    lines = (FORMATS / "anthropic_batch_results.jsonl").read_text(encoding="utf-8").splitlines()
    whole = [json.loads(line) for line in lines if line.startswith("{") and line.endswith("}")]
    succeeded = [r for r in whole if r["result"]["type"] == "succeeded"]
    results = tmp_path / "msgbatch_013Zva2CMHLNnXjNJJKqJ2EF_results.jsonl"
    results.write_text("".join(json.dumps(r) + "\n" for r in succeeded), encoding="utf-8")
    file = ingest(cli, db, results, "--ts", "2025-08-05T03:12:40Z")
    assert (file["fast_path"], file["fast_rows"], file["rows_accepted"]) == (True, len(succeeded), len(succeeded))
    assert query(db, "select call_id, is_batch, hints->>'custom_id' from calls order by source_line") == [
        (r["result"]["message"]["id"], True, r["custom_id"]) for r in succeeded
    ]
    reference = tmp_path / "careful.duckdb"
    careful(results, reference, ts=datetime(2025, 8, 5, 3, 12, 40, tzinfo=UTC))
    assert stored(db) == stored(reference)


UNTIMED = [FORMATS / "anthropic_batch_results.jsonl", FORMATS / "anthropic_messages_bare.jsonl", ANTHROPIC]
UNTIMED_RECORDS = [json.loads(line) for f in UNTIMED for line in f.read_text(encoding="utf-8").splitlines()
                   if line.startswith("{") and line.endswith("}")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(UNTIMED_RECORDS).flatmap(lambda r: mutated_line(json.loads(json.dumps(r)))),
                min_size=1, max_size=8))
def test_fast_and_careful_paths_store_the_same_with_ts_given(lines: list[str]) -> None:
    """The fuzz property of tests/test_fuzz_ingest.py with --ts given, which its runs never pass: batch
    results, bare Messages and wrappers, some mutated, are stored alike by both paths."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "untimed.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ts = datetime(2025, 8, 5, 3, 12, 40, tzinfo=UTC)
        fast = _stored(path, Path(tmp) / "fast.duckdb", ftaudit.IngestOptions(fast=True, ts=ts))
        reference = _stored(path, Path(tmp) / "careful.duckdb", ftaudit.IngestOptions(fast=False, ts=ts))
        assert fast == reference
