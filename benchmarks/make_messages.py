"""Large real-shaped log files of the Anthropic, Bedrock and Gemini families, for the ingest benchmark.

    python benchmarks/make_messages.py anthropic FILE N     (also: bedrock, gemini)

`write_anthropic(path, n)`, `write_bedrock(path, n)`, `write_gemini(path, n)` write N lines (one call
each) with DuckDB's COPY: Anthropic `{ts, latency_ms, request, response}` wrappers with a system prompt
(a string or a list of blocks) and 1-3 turns, Bedrock ModelInvocationLog records (Converse and
InvokeModel bodies), Gemini `{ts, request, response}` wrappers with usageMetadata. Each line has its
own id; 20 workloads share 20 system prompts of about 1.5 KB, as a real gateway log would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

_COMMON = """
with t as (select i, i % 20 as w, 1735689600 + i // 4 as secs,
                  'You are assistant ' || (i % 20) || ' of Acme Parcel. '
                  || repeat('Follow the policy below exactly. ', 45) as sys,
                  'Where is my order ' || i || '? It was due on Monday and the tracking page says nothing.' as question
           from range($n) r(i))
"""

ANTHROPIC = _COMMON + """
select case when i % 2 = 0 then to_json(strftime(to_timestamp(secs), '%Y-%m-%dT%H:%M:%SZ')) else to_json(secs) end as ts,
       200 + i % 3000 as latency_ms,
       {'model': 'claude-sonnet-4-20250514', 'max_tokens': 1024,
        'system': case when i % 3 = 0 then to_json([{'type': 'text', 'text': sys, 'cache_control': {'type': 'ephemeral'}}])
                       else to_json(sys) end,
        'messages': case when i % 4 = 0
                         then [{'role': 'user', 'content': to_json('Hello')},
                               {'role': 'assistant', 'content': to_json([{'type': 'text', 'text': 'Hi, how can I help?'}])},
                               {'role': 'user', 'content': to_json(question)}]
                         else [{'role': 'user', 'content': to_json(question)}] end,
        'metadata': {'user_id': 'u-' || (i % 500)}} as request,
       {'id': 'msg_01' || lpad(i::varchar, 22, '0'), 'type': 'message', 'role': 'assistant',
        'model': 'claude-sonnet-4-20250514',
        'content': [{'type': 'text', 'text': 'Order ' || i || ' left our depot yesterday and arrives tomorrow.'}],
        'stop_reason': 'end_turn', 'stop_sequence': null,
        'usage': {'input_tokens': 20 + i % 200, 'cache_creation_input_tokens': case when i % 50 = 0 then 1500 else 0 end,
                  'cache_read_input_tokens': case when i % 50 = 0 then 0 else 1500 end,
                  'cache_creation': {'ephemeral_5m_input_tokens': case when i % 50 = 0 then 1500 else 0 end,
                                     'ephemeral_1h_input_tokens': 0},
                  'output_tokens': 10 + i % 400, 'service_tier': 'standard'}} as response
from t
"""

BEDROCK = _COMMON + """
select 'ModelInvocationLog' as schemaType, '1.0' as schemaVersion,
       strftime(to_timestamp(secs), '%Y-%m-%dT%H:%M:%SZ') as timestamp, '123456789012' as accountId,
       {'arn': 'arn:aws:sts::123456789012:assumed-role/app-role/session'} as identity, 'us-east-1' as region,
       uuid()::varchar as requestId, 'Converse' as operation, 'us.anthropic.claude-sonnet-4-20250514-v1:0' as modelId,
       {'inputContentType': 'application/json',
        'inputBodyJson': {'system': [{'text': sys}],
                          'messages': [{'role': 'user', 'content': [{'text': question}]}],
                          'inferenceConfig': {'maxTokens': 512}},
        'inputTokenCount': 20 + i % 200, 'cacheReadInputTokenCount': case when i % 50 = 0 then 0 else 1500 end,
        'cacheWriteInputTokenCount': case when i % 50 = 0 then 1500 else 0 end} as input,
       {'outputContentType': 'application/json',
        'outputBodyJson': {'output': {'message': {'role': 'assistant',
                                                  'content': [{'text': 'Order ' || i || ' left yesterday.'}]}},
                           'stopReason': 'end_turn',
                           'usage': {'inputTokens': 20 + i % 200, 'outputTokens': 10 + i % 400},
                           'metrics': {'latencyMs': 200 + i % 3000}},
        'outputTokenCount': 10 + i % 400} as output,
       {'team': 'team-' || w} as requestMetadata
from t
"""

GEMINI = _COMMON + """
select case when i % 2 = 0 then to_json(strftime(to_timestamp(secs), '%Y-%m-%dT%H:%M:%SZ')) else to_json(secs) end as ts,
       200 + i % 3000 as latency_ms,
       {'model': 'gemini-2.5-flash', 'systemInstruction': {'parts': [{'text': sys}]},
        'contents': [{'role': 'user', 'parts': [{'text': question}]}], 'labels': {'team': 'team-' || w}} as request,
       {'candidates': [{'content': {'role': 'model', 'parts': [{'text': 'Order ' || i || ' left yesterday.'}]},
                        'finishReason': 'STOP'}],
        'usageMetadata': {'promptTokenCount': 1500 + i % 200, 'cachedContentTokenCount': case when i % 3 = 0 then 1024 else 0 end,
                          'candidatesTokenCount': 10 + i % 400, 'thoughtsTokenCount': i % 7 * 10,
                          'totalTokenCount': 1510 + i % 200 + i % 400 + i % 7 * 10},
        'modelVersion': 'gemini-2.5-flash', 'responseId': 'resp-' || lpad(i::varchar, 16, '0')} as response
from t
"""


def _write(query: str, path: Path, n: int) -> None:
    con = duckdb.connect()
    con.execute(f"copy ({query}) to '{path}' (format json)", {"n": n})


def write_anthropic(path: Path, n: int) -> None:
    _write(ANTHROPIC, path, n)


def write_bedrock(path: Path, n: int) -> None:
    _write(BEDROCK, path, n)


def write_gemini(path: Path, n: int) -> None:
    _write(GEMINI, path, n)


WRITERS = {"anthropic": write_anthropic, "bedrock": write_bedrock, "gemini": write_gemini}

if __name__ == "__main__":
    WRITERS[sys.argv[1]](Path(sys.argv[2]), int(sys.argv[3]))
