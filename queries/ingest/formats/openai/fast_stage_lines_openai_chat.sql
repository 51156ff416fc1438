-- fast_stage_lines_openai_chat: the columns of fast_stage_openai_chat (macro chat_fast_columns), plus
-- source_line, from the text of each staged line (staged_lines, numbered by stage_jsonl) that is JSON.
-- Lines that are not (malformed, blank) are left out here; the careful path reads them. Other JSON
-- values than objects give NULL fields, which fast_insert_calls does not take.
create or replace temp table fast_staged as
select valid_line as source_line,
       unnest(chat_fast_columns(json_transform(line, '{"id": "VARCHAR", "object": "VARCHAR", "created": "DOUBLE",
           "model": "VARCHAR", "service_tier": "VARCHAR",
           "usage": {"prompt_tokens": "VARCHAR", "completion_tokens": "VARCHAR", "total_tokens": "VARCHAR", "cost": "VARCHAR",
                     "prompt_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                     "completion_tokens_details": {"reasoning_tokens": "VARCHAR"}},
           "ts": "VARCHAR", "latency_ms": "VARCHAR", "status": "VARCHAR", "custom_id": "VARCHAR",
           "error": "VARCHAR", "request": "VARCHAR", "response": "VARCHAR"}')))
from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
where json_valid(line)
