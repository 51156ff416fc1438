"""LiteLLM proxy spend logs: `LiteLLM_SpendLogs` rows as a Postgres/UI CSV export or the JSON list of
`/spend/logs?summarize=false` (log-formats.md §6). `prompt_tokens` includes cache reads and writes;
the split comes from `metadata.usage_object`. `spend` is LiteLLM's USD estimate, kept as billed cost.
The 2024 releases' schema is read too (`usage` JSON instead of token columns in v1.2x). Refuses the
`summarize=true` daily rollups (no per-call tokens) and `LiteLLM_ErrorLogs`.
"""

from __future__ import annotations

from ftaudit.ingest.formats import FastPath, Reader, Sample

_SPEND_LOG_KEYS = {"request_id", "call_type", "spend", "startTime"}


def _is_spend_logs(sample: Sample) -> bool:
    """Token columns, or (LiteLLM v1.2x, January 2024) one `usage` column holding them."""
    return any(
        record.keys() >= _SPEND_LOG_KEYS and ("prompt_tokens" in record or "usage" in record) for record in sample.records
    )


READERS = [
    Reader(
        name="litellm_spend_logs",
        provider="litellm",
        description="LiteLLM_SpendLogs rows: Postgres/UI CSV export or /spend/logs?summarize=false JSON",
        detect=_is_spend_logs,
        extract_query="extract_litellm",
        fast=FastPath(stage_file=None, stage_lines="fast_stage_lines_litellm", stage_csv="fast_stage_litellm_csv"),
        priority=70,
    ),
]
