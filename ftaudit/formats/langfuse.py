"""Langfuse observations: v1 API pages and the UI batch export as JSON, JSONL or CSV (log-formats.md §7).

Only GENERATION and EMBEDDING observations are calls; other types are rejected as `not_a_call`.
`usageDetails` keys are disjoint parts (Langfuse prices each key), so prompt tokens = every key
containing "input": cache keys (`*cache*` with read/cached or creation/write; spellings of one count
take the larger) and the rest (`input`, `input_audio_tokens`, ...). With a cache key present `input`
is uncached (input_is_total false, the cache is added back); without one (legacy `promptTokens`,
Vertex `cached_modality_*` subsets) the input count is the total. `latency` is seconds.
"""

from __future__ import annotations

from ftaudit.formats import Reader, Sample

_OBSERVATION_KEYS = {"traceId", "type", "startTime"}
_USAGE_KEYS = {"usageDetails", "promptTokens", "usage", "costDetails", "calculatedTotalCost"}


def _is_observations(sample: Sample) -> bool:
    return any(_OBSERVATION_KEYS <= record.keys() and _USAGE_KEYS & record.keys() for record in sample.records)


READERS = [
    Reader(
        name="langfuse_observations",
        provider="langfuse",
        description="Langfuse observations (v1 API pages, UI export JSON/JSONL/CSV); GENERATION and EMBEDDING only",
        detect=_is_observations,
        extract_query="extract_langfuse",
        priority=72,
    ),
]
