"""Large files of the gateway formats (LiteLLM SpendLogs CSV, Langfuse observations, Helicone, OpenRouter
/generation, a mapped CSV) for the ingest benchmark, written by DuckDB from one real-shaped record (the
fixtures in tests/data/formats) varied per row: ids, times, token counts, a cache split on one row in
two, chat messages on one row in five.

    python benchmarks/make_gateway.py litellm_csv 1000000 /tmp/litellm_1m.csv

benchmarks/gateway.py imports `write(family, path, n)`, `SELECT_STAR[family]` (DuckDB's own read of the
same file) and `INGEST_ARGS[family]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

_MESSAGES = """case when i % 5 = 0 then to_json([{'role': 'system', 'content': repeat('You label support tickets. ', 40)},
                                         {'role': 'user', 'content': 'ticket ' || i}]) end"""

_LITELLM_CSV = f"""
copy (
    select 'chatcmpl-' || lpad(i::varchar, 12, '0') as request_id, 'acompletion' as call_type,
           '88dc28d0f030c55ed4' as api_key, (0.0001 + (i % 997) * 1e-7)::varchar as spend,
           2200 + i % 300 as total_tokens, 2000 + i % 200 as prompt_tokens, 200 + i % 100 as completion_tokens,
           strftime(timestamp '2026-10-01' + (i % 2592000) * interval '1 second', '%Y-%m-%d %H:%M:%S.%g') as startTime,
           strftime(timestamp '2026-10-01 00:00:01.5' + (i % 2592000) * interval '1 second', '%Y-%m-%d %H:%M:%S.%g')
               as endTime,
           null as completionStartTime, case when i % 2 = 0 then 1500 end as request_duration_ms,
           'gpt-4o-mini-2024-07-18' as model, 'c3d4' as model_id, 'gpt-4o-mini' as model_group,
           'openai' as custom_llm_provider, 'https://api.openai.com/v1' as api_base,
           case when i % 3 = 0 then 'svc-' || (i % 7) end as "user",
           to_json({{'user_api_key_alias': 'team-' || (i % 5),
                     'usage_object': {{'prompt_tokens': 2000 + i % 200, 'completion_tokens': 200 + i % 100,
                                       'prompt_tokens_details': {{'cached_tokens': (i % 2) * 1024}}}}}})::varchar
               as metadata,
           'False' as cache_hit, null as cache_key, '["feature:classify"]' as request_tags, 'team-7' as team_id,
           null as end_user, null as requester_ip_address, coalesce({_MESSAGES}, '{{}}')::varchar as messages,
           '{{}}' as response, null as session_id, 'success' as status
    from range($n) t(i)
) to '{{path}}' (format csv, header true)
"""

_TIME = "strftime(timestamp '2026-10-01' + (i % 2592000) * interval '1 second', '%Y-%m-%dT%H:%M:%S.%gZ')"
_END = "strftime(timestamp '2026-10-01 00:00:01.5' + (i % 2592000) * interval '1 second', '%Y-%m-%dT%H:%M:%S.%gZ')"
_MESSAGE_LIST = """case when i % 5 = 0 then [{'role': 'system', 'content': repeat('You label support tickets. ', 40)},
                                     {'role': 'user', 'content': 'ticket ' || i}] end"""

# tests/data/formats/langfuse_observations.jsonl line 1, with the chat input on one line in five
_LANGFUSE = f"""
copy (
    select 'obs-' || lpad(i::varchar, 12, '0') as id, 'trace-' || (i // 3) as traceId, 'GENERATION' as type,
           'classify-ticket' as name, {_TIME} as startTime, {_END} as endTime, 'gpt-4o-mini' as model,
           'ticket-classifier' as promptName, 7 as promptVersion, 'production' as environment, 'DEFAULT' as level,
           {{'input': 300 + i % 200, 'input_cached_tokens': (i % 2) * 1536, 'output': 40 + i % 60,
             'output_reasoning_tokens': 0, 'total': 340 + i % 200 + (i % 2) * 1536 + i % 60}} as usageDetails,
           {{'input': 0.0000468, 'total': 0.0001866}} as costDetails, 1.5 as latency,
           {{'ls_provider': 'openai'}} as metadata, {_MESSAGE_LIST} as input
    from range($n) t(i)
) to '{{path}}' (format json)
"""

# tests/data/formats/helicone_export.jsonl line 2
_HELICONE = f"""
copy (
    select 'req-' || lpad(i::varchar, 12, '0') as request_id, {_TIME} as request_created_at,
           {_END} as response_created_at, 200 as response_status, 'OPENAI' as provider,
           'gpt-4o-mini-2024-07-18' as model, '/v1/chat/completions' as request_path, 400 + i % 200 as prompt_tokens,
           (i % 2) * 1024 as prompt_cache_read_tokens, 0 as prompt_cache_write_tokens, 100 + i % 50 as completion_tokens,
           1500 as delay_ms, 0.0002202 as costUSD, 'svc-' || (i % 7) as request_user_id,
           {{'feature': 'summarize'}} as request_properties,
           {{'model': 'gpt-4o-mini', 'messages': {_MESSAGE_LIST}}} as request_body
    from range($n) t(i)
) to '{{path}}' (format json)
"""

# tests/data/formats/openrouter_generations.jsonl line 2, as the API returns it: {{"data": {{...}}}}
_OPENROUTER = f"""
copy (
    select {{'id': 'gen-' || lpad(i::varchar, 12, '0'), 'created_at': {_TIME}, 'model': 'anthropic/claude-3.5-sonnet',
             'provider_name': 'Anthropic', 'api_type': 'completions', 'streamed': false, 'cancelled': false,
             'finish_reason': 'stop', 'tokens_prompt': 2100, 'tokens_completion': 180,
             'native_tokens_prompt': 2300 + i % 100, 'native_tokens_completion': 190, 'native_tokens_reasoning': 0,
             'native_tokens_cached': (i % 2) * 2048, 'total_cost': 0.0039684, 'usage': 0.0039684, 'is_byok': false,
             'latency': 2100, 'generation_time': 1900, 'external_user': 'user-' || (i % 77)}} as data
    from range($n) t(i)
) to '{{path}}' (format json)
"""

# the Azure LLM inference trace shape (log-formats.md section 11), read with --map
_MAPPED_CSV = """
copy (
    select strftime(timestamp '2026-10-01' + (i * 37) * interval '1 millisecond', '%Y-%m-%d %H:%M:%S.%f') as "TIMESTAMP",
           100 + (i * 7919) % 4000 as "ContextTokens", 1 + (i * 104729) % 700 as "GeneratedTokens"
    from range($n) t(i)
) to '{path}' (format csv, header true)
"""

WRITERS = {"litellm_csv": _LITELLM_CSV, "langfuse": _LANGFUSE, "helicone": _HELICONE, "openrouter": _OPENROUTER,
           "mapped_csv": _MAPPED_CSV}
# what `ftaudit ingest` needs beside the file
INGEST_ARGS = {"mapped_csv": ["--map", "ts=TIMESTAMP", "--map", "input_tokens=ContextTokens",
                              "--map", "output_tokens=GeneratedTokens", "--model", "gpt-4o-mini"]}

_READ_JSON = "create table t as select * from read_json('{path}', format = 'newline_delimited')"
SELECT_STAR = {family: "create table t as select * from read_csv('{path}')" if family.endswith("csv") else _READ_JSON
               for family in WRITERS}


def write(family: str, path: Path, n: int) -> None:
    with duckdb.connect() as con:
        con.execute(WRITERS[family].replace("{path}", str(path)), {"n": n})


def write_litellm_csv(path: Path, n: int) -> None:
    write("litellm_csv", path, n)


if __name__ == "__main__":
    write(sys.argv[1], Path(sys.argv[3]), int(sys.argv[2]))
