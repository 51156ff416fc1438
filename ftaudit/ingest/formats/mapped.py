"""Any CSV, JSONL or Parquet file read through a user column mapping (`--map FIELD=COLUMN`).

Used when `--map` is given (or `--format mapped`); never auto-detected. The Azure LLM inference
traces and the Mooncake traces of log-formats.md §11 are read this way (see the README).
"""

from __future__ import annotations

from ftaudit.ingest.formats import FastPath, Reader, Sample

# Canonical fields a mapping may name, in the order of extract_mapped.sql's $map_* parameters.
MAPPABLE_FIELDS = (
    "call_id",
    "ts",
    "model",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "output_tokens",
    "reasoning_tokens",
    "billed_cost_usd",
    "latency_ms",
    "service_tier",
    "status",
    "workload",
)
REQUIRED_FIELDS = ("ts", "input_tokens", "output_tokens")


def _never(sample: Sample) -> bool:
    return False


READERS = [
    Reader(
        name="mapped",
        provider="custom",
        description="any CSV / JSONL / Parquet through --map FIELD=COLUMN (with --model, --ts-unit, --start)",
        detect=_never,
        extract_query="extract_mapped",
        fast=FastPath(stage_file=None, stage_lines="fast_stage_lines_mapped", stage_csv="fast_stage_mapped_csv"),
        priority=1000,
    ),
]
