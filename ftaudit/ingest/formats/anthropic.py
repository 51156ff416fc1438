"""Anthropic logs (log-formats.md §4): Messages API responses and Admin usage-report buckets.

Messages come bare, in `{request, response, ts}` wrappers or as Message Batches results lines. Cache
reads and writes are outside Anthropic's `input_tokens`, so `input_is_total` is false. A Message has
no time of its own: this reader takes one from the log (`ts`, `--ts-field`), `--ts`, or for batch
results the `ended_at` of the batch object saved beside them; it never invents one.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from ftaudit.ingest.formats import FastPath, Reader, Record, Sample, dig

_BATCH_RESULT_TYPES = {"succeeded", "errored", "canceled", "expired"}
_BATCH_OBJECT_MAX_BYTES = 1 << 20  # a batch object (or a page of them) is a few hundred bytes each


def _message(record: Record) -> Any:
    """The Message a record carries: a batch result's, a wrapper's response, or the record itself."""
    if isinstance(record.get("result"), dict):
        return dig(record, "result", "message")
    response = record.get("response")
    return response if isinstance(response, dict) else record


def _is_message(body: Any) -> bool:
    return isinstance(body, dict) and body.get("type") == "message" and isinstance(body.get("usage"), dict)


def _is_batch_result(record: Record) -> bool:
    kind = dig(record, "result", "type")
    return "custom_id" in record and isinstance(kind, str) and kind in _BATCH_RESULT_TYPES


def _is_messages(sample: Sample) -> bool:
    return any(_is_message(_message(r)) or _is_batch_result(r) for r in sample.records)


def _is_usage_report(sample: Sample) -> bool:
    """Every record is a bucket `{starting_at, ending_at, results}` and the results carry usage (the
    cost report has the same buckets with `amount`); a sample of only empty buckets is accepted too."""
    if not all("starting_at" in r and "ending_at" in r for r in sample.records):
        return False
    results = [x for r in sample.records if isinstance(r.get("results"), list) for x in r["results"]]
    return not results or any(isinstance(x, dict) and "uncached_input_tokens" in x for x in results)


def is_batch_object(record: Record) -> bool:
    """A Message Batch object (`GET /v1/messages/batches/{id}`): not a log, the time of its results."""
    return record.get("type") == "message_batch" and isinstance(record.get("id"), str)


def batch_ended_at(results: Path) -> datetime | None:
    """`ended_at` of the Message Batch object saved as JSON beside a results file (alone, or a
    `GET /v1/messages/batches` page): the batch whose id the results file's name contains, else the only
    ended batch there. None when there is none, or several and the name tells none of them."""
    ended: list[Record] = []
    for other in sorted(results.parent.glob("*.json")):
        if other == results or other.stat().st_size > _BATCH_OBJECT_MAX_BYTES:
            continue
        try:
            value = json.loads(other.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        page = value.get("data") if isinstance(value, dict) else None
        items: list[Any] = page if isinstance(page, list) else [value]
        ended += [b for b in items if isinstance(b, dict) and is_batch_object(b) and isinstance(b.get("ended_at"), str)]
    named = [b for b in ended if b["id"] in results.name]
    chosen = named or ended
    if len({b["id"] for b in chosen}) != 1:
        return None
    try:
        return datetime.fromisoformat(chosen[0]["ended_at"].replace("Z", "+00:00"))
    except ValueError:
        return None


READERS = [
    Reader(
        name="anthropic_messages",
        provider="anthropic",
        description="Anthropic Message objects, bare or as {request, response, ts} wrappers, and Message "
        "Batches results (custom_id, result); time from ts, --ts-field, --ts or the batch object beside the results",
        detect=_is_messages,
        extract_query="extract_anthropic_messages",
        fast=FastPath("fast_stage_anthropic", "fast_stage_lines_anthropic"),
        priority=50,
        refuse="refuse_untimed_batch_results",
        time_beside=batch_ended_at,
    ),
    Reader(
        name="anthropic_usage_report",
        provider="anthropic",
        description="Anthropic Admin usage report (/v1/organizations/usage_report/messages): bucket "
        "aggregates with no request count",
        detect=_is_usage_report,
        extract_query="extract_anthropic_usage_report",
        priority=51,
    ),
]
