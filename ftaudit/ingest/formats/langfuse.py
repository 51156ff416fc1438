"""Langfuse observations: v1 API pages, UI export JSON/JSONL/CSV (log-formats.md §7); only GENERATION and
EMBEDDING are calls (others: not_a_call). usageDetails keys are disjoint parts, prompt = keys containing
"input". input_is_total rule: a `*cache*` input key (read/cached or creation/write; spellings of one count
take the larger) means `input` is uncached (false, the cache is added back); without one the input keys
are the total (true; legacy promptTokens, Vertex cached_modality_* as a subset). `latency` is seconds.
"""

from __future__ import annotations

import re

from ftaudit.ingest.formats import FastPath, Reader, Sample

_OBSERVATION_KEYS = {"traceId", "type", "startTime"}
_USAGE_KEYS = {"usageDetails", "promptTokens", "usage", "costDetails", "calculatedTotalCost"}
# The messages of a prefix come from an `input` that is a list, an object or a JSON text (langfuse_fast_msgs):
# a head without such a key holds none (usageDetails' `"input": 312` is a number).
_PROMPT = re.compile(rb'"input"\s*:\s*["\[{]')


def _is_observations(sample: Sample) -> bool:
    return any(record.keys() >= _OBSERVATION_KEYS and _USAGE_KEYS & record.keys() for record in sample.records)


READERS = [
    Reader(
        name="langfuse_observations",
        provider="langfuse",
        description="Langfuse observations (v1 API pages, UI export JSON/JSONL/CSV); GENERATION and EMBEDDING only",
        detect=_is_observations,
        extract_query="extract_langfuse",
        fast=FastPath(stage_file="fast_stage_langfuse", stage_lines="fast_stage_lines_langfuse", prefix_marker=_PROMPT),
        priority=72,
    ),
]
