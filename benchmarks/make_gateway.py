"""Large files of the gateway formats (LiteLLM SpendLogs CSV, Langfuse observations, Helicone, OpenRouter
/generation, a mapped CSV) for the ingest benchmark, written by DuckDB from one real-shaped record (the
fixtures in tests/data/formats) varied per row: ids, times, token counts, a cache split on one row in
two, chat messages on one row in five.

    python benchmarks/make_gateway.py litellm_csv 1000000 /tmp/litellm_1m.csv

`measure(path, baseline)` prints nothing; the benchmark imports `write_<family>(path, n)` and
`SELECT_STAR[<family>]`, DuckDB's own read of the same file.
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

WRITERS = {"litellm_csv": _LITELLM_CSV}

SELECT_STAR = {
    "litellm_csv": "create table t as select * from read_csv('{path}')",
}


def write(family: str, path: Path, n: int) -> None:
    with duckdb.connect() as con:
        con.execute(WRITERS[family].replace("{path}", str(path)), {"n": n})


def write_litellm_csv(path: Path, n: int) -> None:
    write("litellm_csv", path, n)


if __name__ == "__main__":
    write(sys.argv[1], Path(sys.argv[3]), int(sys.argv[2]))
