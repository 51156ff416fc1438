"""Helicone request logs: REST/export rows as JSON or JSONL, and the export tool's CSV (log-formats.md §8).

`prompt_tokens` is the fresh, uncached part (Helicone's cost code); `prompt_cache_read_tokens` and
`prompt_cache_write_tokens` are added to it. `cost`/`costUSD`/`cost_usd` are USD, except in a raw
ClickHouse `request_response_rmt` row (`status`, `latency`, `organization_id`), where `cost` is USD x 1e9.
The export CSV has no cache columns: its cache split is unknown and read as zero.
"""

from __future__ import annotations

from ftaudit.ingest.formats import FastPath, Reader, Sample

_ROW_KEYS = {"request_id", "response_id", "response_status", "status", "prompt_tokens"}


def _is_helicone(sample: Sample) -> bool:
    return any("request_created_at" in record and len(_ROW_KEYS & record.keys()) >= 2 for record in sample.records)


READERS = [
    Reader(
        name="helicone_requests",
        provider="helicone",
        description="Helicone request rows: REST/export JSON or JSONL, @helicone/export CSV",
        detect=_is_helicone,
        extract_query="extract_helicone",
        fast=FastPath(stage_file=None, stage_lines="fast_stage_lines_helicone"),
        priority=74,
    ),
]
