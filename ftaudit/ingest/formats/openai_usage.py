"""OpenAI organization Usage API completions buckets and Costs API (log-formats.md §3). Usage results are
bucket rows (input_tokens includes cached and cache-write tokens, num_model_requests calls); a result with
`model` null (not grouped by model) cannot be priced: a file where every result is so (exported without
group_by=model) is refused with one error saying to re-export; a stray one is rejected as missing_field.
Costs results are not calls: a sink stores them in `billed_costs`, one row per (day, line item, project,
API key), so overlapping exports add nothing."""

from __future__ import annotations

from collections.abc import Iterator

from ftaudit.ingest.formats import Reader, Record, Sample

_COMPLETIONS = "organization.usage.completions.result"
_COSTS = "organization.costs.result"


def _results(sample: Sample) -> Iterator[Record]:
    for bucket in sample.records:
        results = bucket.get("results")
        if "start_time" in bucket and isinstance(results, list):
            yield from (r for r in results if isinstance(r, dict))


def _is_completions_usage(sample: Sample) -> bool:
    """Completions results, or only idle OpenAI buckets (`results: []`): those read as zero rows."""
    if all(b.get("object") == "bucket" and "start_time" in b and b.get("results") == [] for b in sample.records):
        return True
    return any(
        r.get("object") == _COMPLETIONS
        or (r.get("object") is None and {"input_tokens", "output_tokens", "num_model_requests"} <= r.keys())
        for r in _results(sample)
    )


def _is_costs(sample: Sample) -> bool:
    return any(
        r.get("object") == _COSTS or (r.get("object") is None and isinstance(r.get("amount"), dict))
        for r in _results(sample)
    )


READERS = [
    Reader(
        name="openai_costs",
        provider="openai",
        description="OpenAI Costs API daily buckets: stored in billed_costs (not calls)",
        detect=_is_costs,
        extract_query=None,
        sink_queries=("costs_outcomes", "insert_billed_costs"),
        priority=60,
    ),
    Reader(
        name="openai_usage_completions",
        provider="openai",
        description="OpenAI Usage API completions buckets (pages, JSONL of pages, or a JSON array of buckets)",
        detect=_is_completions_usage,
        extract_query="extract_openai_usage",
        priority=61,
        refuse="refuse_usage_without_model",
    ),
]
