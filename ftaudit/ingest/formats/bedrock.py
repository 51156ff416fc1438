"""AWS Bedrock model invocation logs (log-formats.md §10): one `ModelInvocationLog` record per call.

Cache reads and writes are outside `input.inputTokenCount` (as Anthropic's, for Claude), so
`input_is_total` is false. `modelId` is kept as logged (a region-prefixed id or an ARN);
`requestMetadata` tags are the workload hints.
"""

from __future__ import annotations

from ftaudit.ingest.formats import FastPath, Reader, Sample


def _is_invocation_log(sample: Sample) -> bool:
    return any(r.get("schemaType") == "ModelInvocationLog" for r in sample.records)


READERS = [
    Reader(
        name="bedrock_invocations",
        provider="bedrock",
        description="AWS Bedrock model invocation logs (schemaType ModelInvocationLog), from S3 or CloudWatch",
        detect=_is_invocation_log,
        extract_query="extract_bedrock",
        fast=FastPath("fast_stage_bedrock", "fast_stage_lines_bedrock"),
        priority=40,
    ),
]
