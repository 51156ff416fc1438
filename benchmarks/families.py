"""Large log files of each format family, in the shapes real logs have (for benchmarks).

    from benchmarks.families import FAMILIES, write_pairs
    write_pairs(Path("/tmp/pairs.jsonl"), 1_000_000)

Each `write_<family>(path, n)` writes `n` calls with DuckDB's COPY (set-based, about 1-3 s per 1M
lines), shaped like the fixtures in tests/data and /work/shared/docs/log-formats.md: ids unique,
timestamps rising, token counts varying, five workloads with a long static system prompt each and a
varying user message (so prefix hashes and character counts are computed on realistic text).

Families: pairs (gateway request/response pairs with messages), anthropic (wrapped `{ts, request,
response}` with a system prompt), gemini (`{ts, request, response}` with usageMetadata), litellm_csv
(SpendLogs CSV export), langfuse (observations JSONL), bedrock (model invocation logs), responses
(bare Chat Completion responses).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

# Five workloads, each with its own static system prompt of ~1,200 characters.
_SYSTEM = (
    "'You are the ' || (['support agent', 'claims classifier', 'invoice reader', 'ticket router', "
    "'policy assistant'])[1 + i % 5] || ' of Acme Parcel. Answer from the policy below. ' "
    "|| repeat('Policy clause: refunds within 30 days, exchanges within 60 days. ', 18)"
)
_USER = "'Customer message ' || i || ': where is my order ' || (i * 7919 % 100000) || '? It was due on Monday.'"
_ANSWER = "'Order ' || (i * 7919 % 100000) || ' left our depot yesterday.'"


def _copy(select: str, path: Path, n: int, fmt: str = "json") -> None:
    options = "format json" if fmt == "json" else "format csv, header true"
    duckdb.connect().execute(f"copy ({select}) to '{path}' ({options})", {"n": n})


def _chat_response(prefix: str = "chatcmpl-") -> str:
    return f"""{{
        'id': '{prefix}' || lpad(i::varchar, 12, '0'), 'object': 'chat.completion',
        'created': 1760000000 + i // 20, 'model': 'gpt-4o-mini-2024-07-18',
        'choices': [{{'index': 0, 'message': {{'role': 'assistant', 'content': {_ANSWER}}},
                      'finish_reason': 'stop'}}],
        'usage': {{'prompt_tokens': 1000 + i % 2000, 'completion_tokens': 1 + i % 300,
                   'total_tokens': 1001 + i % 2000 + i % 300,
                   'prompt_tokens_details': {{'cached_tokens': case when i % 3 = 0 then 512 else 0 end,
                                              'audio_tokens': 0}},
                   'completion_tokens_details': {{'reasoning_tokens': 0, 'audio_tokens': 0}}}},
        'service_tier': 'default', 'system_fingerprint': 'fp_44709d6fcb'}}"""


def write_responses(path: Path, n: int) -> None:
    """Bare Chat Completion response objects, one a line."""
    body = _chat_response()
    _copy(f"select unnest({body}) from range($n) t(i)", path, n)


def write_pairs(path: Path, n: int) -> None:
    """Gateway pairs `{"request": {model, messages, metadata}, "response": <chat completion>}`."""
    _copy(
        f"""select {{'model': 'gpt-4o-mini',
                    'messages': [{{'role': 'system', 'content': {_SYSTEM}}},
                                 {{'role': 'user', 'content': 'I was charged twice'}},
                                 {{'role': 'assistant', 'content': 'billing'}},
                                 {{'role': 'user', 'content': {_USER}}}],
                    'metadata': {{'feature': 'workload-' || i % 5}}, 'user': 'u-' || i % 97}} as request,
                   {_chat_response()} as response
            from range($n) t(i)""",
        path,
        n,
    )


def write_anthropic(path: Path, n: int) -> None:
    """Anthropic Messages wrapped `{ts, latency_ms, request: {system, messages}, response}`."""
    _copy(
        f"""select strftime(timestamp '2025-08-01 00:00:00' + to_seconds(i // 10), '%Y-%m-%dT%H:%M:%SZ') as ts,
                   500 + i % 4000 as latency_ms,
                   {{'model': 'claude-sonnet-4-20250514', 'max_tokens': 1024, 'system': {_SYSTEM},
                    'messages': [{{'role': 'user', 'content': {_USER}}}],
                    'metadata': {{'user_id': 'u-' || i % 97}}}} as request,
                   {{'id': 'msg_' || lpad(i::varchar, 20, '0'), 'type': 'message', 'role': 'assistant',
                    'model': 'claude-sonnet-4-20250514',
                    'content': [{{'type': 'text', 'text': {_ANSWER}}}],
                    'stop_reason': 'end_turn', 'stop_sequence': null::varchar,
                    'usage': {{'input_tokens': 50 + i % 500,
                               'cache_creation_input_tokens': case when i % 50 = 0 then 1500 else 0 end,
                               'cache_read_input_tokens': case when i % 50 = 0 then 0 else 1500 end,
                               'cache_creation': {{'ephemeral_5m_input_tokens': case when i % 50 = 0 then 1500 else 0 end,
                                                   'ephemeral_1h_input_tokens': 0}},
                               'output_tokens': 1 + i % 700, 'service_tier': 'standard'}}}} as response
            from range($n) t(i)""",
        path,
        n,
    )


def write_gemini(path: Path, n: int) -> None:
    """Gemini API calls logged as `{ts, latency_ms, request: {model, systemInstruction, contents}, response}`."""
    _copy(
        f"""select strftime(timestamp '2025-08-07 00:00:00' + to_seconds(i // 10), '%Y-%m-%dT%H:%M:%SZ') as ts,
                   300 + i % 3000 as latency_ms,
                   {{'model': 'gemini-2.5-flash',
                    'systemInstruction': {{'parts': [{{'text': {_SYSTEM}}}]}},
                    'contents': [{{'role': 'user', 'parts': [{{'text': {_USER}}}]}}]}} as request,
                   {{'candidates': [{{'content': {{'role': 'model', 'parts': [{{'text': {_ANSWER}}}]}},
                                     'finishReason': 'STOP'}}],
                    'usageMetadata': {{'promptTokenCount': 2048 + i % 1000,
                                       'cachedContentTokenCount': case when i % 2 = 0 then 1024 else 0 end,
                                       'candidatesTokenCount': 1 + i % 400,
                                       'thoughtsTokenCount': i % 300,
                                       'totalTokenCount': 2049 + i % 1000 + i % 400 + i % 300}},
                    'modelVersion': 'gemini-2.5-flash',
                    'responseId': 'resp-' || lpad(i::varchar, 16, '0')}} as response
            from range($n) t(i)""",
        path,
        n,
    )


def write_litellm_csv(path: Path, n: int) -> None:
    """LiteLLM SpendLogs exported as CSV (the columns of the Postgres table, JSON in text columns)."""
    _copy(
        f"""select 'chatcmpl-' || lpad(i::varchar, 12, '0') as request_id, 'acompletion' as call_type,
                   '5f1e0c2b9a8d7e6f' as api_key,
                   ((1000 + i % 2000) * 0.00000015 + (1 + i % 300) * 0.0000006)::decimal(18, 12) as spend,
                   1001 + i % 2000 + i % 300 as total_tokens, 1000 + i % 2000 as prompt_tokens,
                   1 + i % 300 as completion_tokens,
                   strftime(timestamp '2025-07-01 00:00:00' + to_milliseconds(i * 250), '%Y-%m-%d %H:%M:%S.%g') as startTime,
                   strftime(timestamp '2025-07-01 00:00:00' + to_milliseconds(i * 250 + 900), '%Y-%m-%d %H:%M:%S.%g') as endTime,
                   null::varchar as completionStartTime, 900 as request_duration_ms,
                   'gpt-4o-mini-2024-07-18' as model, null::varchar as model_id, 'gpt-4o-mini' as model_group,
                   'openai' as custom_llm_provider, null::varchar as api_base, null::varchar as "user",
                   json_object('user_api_key_alias', 'workload-' || i % 5,
                               'usage_object', json_object('prompt_tokens', 1000 + i % 2000,
                                                           'completion_tokens', 1 + i % 300,
                                                           'total_tokens', 1001 + i % 2000 + i % 300,
                                                           'prompt_tokens_details',
                                                           json_object('cached_tokens',
                                                                       case when i % 3 = 0 then 512 else 0 end))
                   )::varchar as metadata,
                   'False' as cache_hit, null::varchar as cache_key, '["feature:classify"]' as request_tags,
                   'team-7' as team_id, null::varchar as end_user, null::varchar as requester_ip_address,
                   json_array(json_object('role', 'system', 'content', {_SYSTEM}),
                              json_object('role', 'user', 'content', {_USER}))::varchar as messages,
                   '{{}}' as response, null::varchar as session_id, 'success' as status
            from range($n) t(i)""",
        path,
        n,
        fmt="csv",
    )


def write_langfuse(path: Path, n: int) -> None:
    """Langfuse observations export (GENERATION rows with usageDetails and costDetails), JSONL."""
    _copy(
        """select 'obs-' || lpad(i::varchar, 16, '0') as id, 'trace-' || (i // 3) as traceId,
                  'GENERATION' as type, 'classify-ticket-' || i % 5 as name,
                  strftime(timestamp '2025-05-02 00:00:00' + to_milliseconds(i * 200), '%Y-%m-%dT%H:%M:%S.%gZ') as startTime,
                  strftime(timestamp '2025-05-02 00:00:00' + to_milliseconds(i * 200 + 900), '%Y-%m-%dT%H:%M:%S.%gZ') as endTime,
                  'gpt-4o-mini' as model, 'ticket-classifier' as promptName, 7 as promptVersion,
                  'production' as environment, 'DEFAULT' as level,
                  {'input': 300 + i % 1000, 'input_cached_tokens': case when i % 2 = 0 then 1536 else 0 end,
                   'output': 1 + i % 200, 'output_reasoning_tokens': 0,
                   'total': 301 + i % 1000 + i % 200 + case when i % 2 = 0 then 1536 else 0 end} as usageDetails,
                  {'input': ((300 + i % 1000) * 0.00000015)::decimal(18, 12),
                   'output': ((1 + i % 200) * 0.0000006)::decimal(18, 12),
                   'total': ((300 + i % 1000) * 0.00000015 + (1 + i % 200) * 0.0000006)::decimal(18, 12)} as costDetails,
                  300 + i % 1000 + case when i % 2 = 0 then 1536 else 0 end as promptTokens,
                  1 + i % 200 as completionTokens,
                  301 + i % 1000 + i % 200 + case when i % 2 = 0 then 1536 else 0 end as totalTokens,
                  'TOKENS' as unit, 0.9 as latency, {'ls_provider': 'openai'} as metadata
           from range($n) t(i)""",
        path,
        n,
    )


def write_bedrock(path: Path, n: int) -> None:
    """AWS Bedrock model invocation logs (Converse), one a line."""
    _copy(
        f"""select 'ModelInvocationLog' as schemaType, '1.0' as schemaVersion,
                   strftime(timestamp '2025-01-15 00:00:00' + to_seconds(i // 10), '%Y-%m-%dT%H:%M:%SZ') as timestamp,
                   '123456789012' as accountId,
                   {{'arn': 'arn:aws:sts::123456789012:assumed-role/app-role/session'}} as identity,
                   'us-east-1' as region, 'req-' || lpad(i::varchar, 16, '0') as requestId,
                   'Converse' as operation, 'us.anthropic.claude-sonnet-4-20250514-v1:0' as modelId,
                   {{'inputContentType': 'application/json',
                    'inputBodyJson': {{'system': [{{'text': {_SYSTEM}}}],
                                      'messages': [{{'role': 'user', 'content': [{{'text': {_USER}}}]}}],
                                      'inferenceConfig': {{'maxTokens': 512}}}},
                    'inputTokenCount': 100 + i % 900,
                    'cacheReadInputTokenCount': case when i % 4 = 0 then 0 else 2000 end,
                    'cacheWriteInputTokenCount': case when i % 4 = 0 then 2000 else 0 end}} as input,
                   {{'outputContentType': 'application/json',
                    'outputBodyJson': {{'output': {{'message': {{'role': 'assistant', 'content': [{{'text': {_ANSWER}}}]}}}},
                                       'stopReason': 'end_turn',
                                       'usage': {{'inputTokens': 100 + i % 900, 'outputTokens': 1 + i % 300,
                                                  'cacheReadInputTokens': case when i % 4 = 0 then 0 else 2000 end,
                                                  'cacheWriteInputTokens': case when i % 4 = 0 then 2000 else 0 end,
                                                  'totalTokens': 2101 + i % 900 + i % 300}},
                                       'metrics': {{'latencyMs': 400 + i % 2000}}}},
                    'outputTokenCount': 1 + i % 300}} as output,
                   {{'team': 'team-' || i % 5}} as requestMetadata
            from range($n) t(i)""",
        path,
        n,
    )


# family name -> (writer, file suffix, DuckDB reader for the `select *` baseline)
FAMILIES: dict[str, tuple[Callable[[Path, int], None], str, str]] = {
    "pairs": (write_pairs, "jsonl", "read_json"),
    "anthropic": (write_anthropic, "jsonl", "read_json"),
    "gemini": (write_gemini, "jsonl", "read_json"),
    "litellm_csv": (write_litellm_csv, "csv", "read_csv"),
    "langfuse": (write_langfuse, "jsonl", "read_json"),
    "bedrock": (write_bedrock, "jsonl", "read_json"),
    "responses": (write_responses, "jsonl", "read_json"),
}
