-- fast_stage_lines_openai_chat: the columns of fast_stage_openai_chat, plus source_line, from the
-- text of each staged line (staged_lines, numbered by stage_jsonl) that is JSON. Lines that are not
-- (malformed, blank) are left out here; the careful path reads them. Keep in step with
-- fast_stage_openai_chat.
create or replace temp table fast_staged as
with parsed as (
    select valid_line as source_line,
           json_transform(line, '{"id": "VARCHAR", "object": "VARCHAR", "created": "DOUBLE", "model": "VARCHAR",
               "service_tier": "VARCHAR",
               "usage": {"prompt_tokens": "VARCHAR", "completion_tokens": "VARCHAR",
                         "prompt_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                         "completion_tokens_details": {"reasoning_tokens": "VARCHAR"}},
               "ts": "VARCHAR", "latency_ms": "VARCHAR", "status": "VARCHAR", "custom_id": "VARCHAR",
               "error": "VARCHAR", "request": "VARCHAR", "response": "VARCHAR"}') as j
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line)  -- other JSON values give NULL fields, which fast_insert does not take
)
select source_line, j.id, j.object = 'chat.completion' as is_chat_completion, to_timestamp(j.created) as ts,
       j.model, j.service_tier,
       tok_int(j.usage.prompt_tokens) as input_n,
       tok_int(j.usage.prompt_tokens_details.cached_tokens) as cache_read_n,
       tok_int(j.usage.prompt_tokens_details.cache_write_tokens) as cache_write_n,
       tok_int(j.usage.completion_tokens) as output_n,
       tok_int(j.usage.completion_tokens_details.reasoning_tokens) as reasoning_n,
       j.usage.prompt_tokens_details.cached_tokens is null as no_cache_read,
       j.usage.prompt_tokens_details.cache_write_tokens is null as no_cache_write,
       j.usage.completion_tokens_details.reasoning_tokens is null as no_reasoning,
       coalesce(j.ts, j.latency_ms, j.status, j.custom_id, j.error, j.request, j.response) is null as plain
from parsed
