"""OpenRouter: `/generation` records, bare or `{"data": {...}}`, and the `/activity` daily aggregate as
JSON or CSV with the same field names (log-formats.md §9). Billing uses the provider's `native_*` counts;
`native_tokens_cached` is taken as a subset of `native_tokens_prompt` (OpenAI-style, as the doc assumes).
`/activity` rows are buckets (one UTC day per model and endpoint) whose prompt tokens include cache.
The Activity page's summary CSV (undocumented header) is refused.
"""

from __future__ import annotations

from ftaudit.ingest.formats import FastPath, Reader, Sample

_GENERATION_KEYS = {"created_at", "total_cost"}
_ACTIVITY_KEYS = {"date", "model", "requests", "prompt_tokens", "completion_tokens"}


def _is_generation(sample: Sample) -> bool:
    return any(
        record.keys() >= _GENERATION_KEYS and ("native_tokens_prompt" in record or "tokens_prompt" in record)
        for record in sample.records
    )


def _is_activity(sample: Sample) -> bool:
    return any(
        record.keys() >= _ACTIVITY_KEYS and {"endpoint_id", "model_permaslug", "provider_name", "usage"} & record.keys()
        for record in sample.records
    )


READERS = [
    Reader(
        name="openrouter_generation",
        provider="openrouter",
        description="OpenRouter /generation records (bare or {data: ...}), native token counts and total_cost",
        detect=_is_generation,
        extract_query="extract_openrouter_generation",
        fast=FastPath(stage_file=None, stage_lines="fast_stage_lines_openrouter_generation"),
        priority=80,
    ),
    Reader(
        name="openrouter_activity",
        provider="openrouter",
        description="OpenRouter /activity daily aggregates (JSON or CSV): bucket rows per day, model and endpoint",
        detect=_is_activity,
        extract_query="extract_openrouter_activity",
        priority=81,
    ),
]
