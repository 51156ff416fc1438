"""OpenAI per-call logs: Chat Completions and Responses objects, request/response pairs, Batch files.

Field names from log-formats.md §1 (openai-openapi, CompletionUsage / ResponseUsage) and §2
(BatchRequestInput / BatchRequestOutput). Cached and cache-write tokens are a subset of the prompt
count, so `input_tokens` is `prompt_tokens` as logged. Stream chunks and background polls before the
final state of a call are counted as superseded (extract_openai). A Batch input file is stored in
`batch_requests` and joined to its output lines by `custom_id` for the prefix hash.
"""

from __future__ import annotations

import re

from ftaudit.ingest.formats import FastPath, Reader, Sample, dig


def _body(record: dict[str, object]) -> object:
    return dig(record, "response", "body") or record.get("response") or record


def _is_chat(sample: Sample) -> bool:
    """Chat Completions, or streamed chunks (the last one of a stream carries the usage)."""
    return any(dig(_body(r), "object") in ("chat.completion", "chat.completion.chunk") for r in sample.records)


def _is_responses(sample: Sample) -> bool:
    """Responses with usage, or background snapshots polled while queued / in progress (no usage yet)."""
    return any(
        dig(_body(r), "object") == "response"
        and (dig(_body(r), "usage") is not None or dig(_body(r), "status") in ("queued", "in_progress"))
        for r in sample.records
    )


def _is_batch_output(sample: Sample) -> bool:
    return any("custom_id" in r and ("response" in r or "error" in r) and "body" not in r for r in sample.records)


def _is_batch_input(sample: Sample) -> bool:
    return any("custom_id" in r and isinstance(r.get("body"), dict) and "url" in r for r in sample.records)


# Only a {request, response} pair has messages, so a static prefix: bare objects skip the prefix sample.
_REQUEST = re.compile(rb'"request"')

READERS = [
    Reader(
        name="openai_batch_input",
        provider="openai",
        description="OpenAI Batch input JSONL (custom_id, method, url, body); joined to its output by custom_id",
        detect=_is_batch_input,
        extract_query=None,
        sink_queries=("batch_input_outcomes", "insert_batch_requests", "update_batch_calls_prefix"),
        priority=10,
    ),
    Reader(
        name="openai_batch_output",
        provider="openai",
        description="OpenAI Batch output JSONL (custom_id, response.body with usage); flagged is_batch",
        detect=_is_batch_output,
        extract_query="extract_openai",
        fast=FastPath(None, "fast_stage_lines_openai"),  # the prefix is joined from batch_requests line by line
        priority=20,
    ),
    Reader(
        name="openai_chat",
        provider="openai",
        description="OpenAI Chat Completion objects, bare or as {request, response} pairs (JSONL or JSON array), "
        "and streamed chunks (the one with usage is the call)",
        detect=_is_chat,
        extract_query="extract_openai",
        fast=FastPath("fast_stage_openai", "fast_stage_lines_openai", prefix_marker=_REQUEST),
        priority=95,  # after the gateways: their logs may embed an OpenAI response object
    ),
    Reader(
        name="openai_responses",
        provider="openai",
        description="OpenAI Responses API objects, bare or as {request, response} pairs; background polls while "
        "queued / in progress are superseded",
        detect=_is_responses,
        extract_query="extract_openai",
        fast=FastPath("fast_stage_openai", "fast_stage_lines_openai", prefix_marker=_REQUEST),
        priority=96,
    ),
]
