"""Google Gemini API and Vertex AI responses with `usageMetadata` (log-formats.md §5).

REST camelCase and Python SDK snake_case dumps, bare or in `{request, response, ts}` wrappers. Cached
tokens are a subset of the prompt (`input_is_total` true); billed output is candidates + thoughts.
Time is Vertex `createTime`, else `--ts-field`, else the wrapper's `ts`; never invented.
"""

from __future__ import annotations

from typing import Any

from ftaudit.ingest.formats import FastPath, Reader, Record, Sample


def _body(record: Record) -> Any:
    response = record.get("response")
    return response if isinstance(response, dict) else record


def _is_response(body: Any) -> bool:
    if not isinstance(body, dict):
        return False
    if isinstance(body.get("usageMetadata"), dict) or isinstance(body.get("usage_metadata"), dict):
        return True
    return "candidates" in body and ("modelVersion" in body or "model_version" in body)


def _is_gemini(sample: Sample) -> bool:
    return any(_is_response(_body(r)) for r in sample.records)


READERS = [
    Reader(
        name="gemini",
        provider="google",
        description="Gemini API / Vertex AI GenerateContentResponse (usageMetadata, camelCase or SDK "
        "snake_case), bare or as {request, response, ts} wrappers",
        detect=_is_gemini,
        extract_query="extract_gemini",
        fast=FastPath("fast_stage_gemini", "fast_stage_lines_gemini"),
        priority=55,
    ),
]
