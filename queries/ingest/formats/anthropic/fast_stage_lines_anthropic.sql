-- fast_stage_lines_anthropic: the columns of fast_stage_anthropic (macro anthropic_fast_columns), plus
-- source_line, from the text of each staged line that is JSON (see fast_stage_lines_openai_chat). A line
-- that names a custom_id anywhere (an OpenAI Batch output shape, even with a null value, which a typed
-- read cannot tell from an absent key) is left to the careful path.
-- params: $ts_default, $ts_path
create or replace temp table fast_staged as
select source_line,
       unnest(anthropic_fast_columns(j, b, msgs, parts, last_user_by_parts(parts), $ts_default::timestamptz,
                                     ts_field_unset($ts_path) and not named_custom_id))
from (
select source_line, named_custom_id, j, b, msgs, prefix_parts_of(msgs) as parts
from (
select source_line, named_custom_id, j, anthropic_fast_body(j) as b, fast_system_messages(j.request) as msgs
from (
    select valid_line as source_line, contains(line, '"custom_id"') as named_custom_id,
           json_transform(line, '{"ts": "VARCHAR", "latency_ms": "VARCHAR", "custom_id": "VARCHAR", "schemaType": "VARCHAR",
               "result": "JSON", "body": "JSON", "metadata": "JSON",
               "request": {"model": "VARCHAR", "system": "JSON", "messages": ["JSON"], "metadata": "JSON"},
               "response": {"id": "VARCHAR", "type": "VARCHAR", "model": "VARCHAR", "stop_reason": "VARCHAR",
                   "usage": {"input_tokens": "VARCHAR", "cache_read_input_tokens": "VARCHAR",
                             "cache_creation_input_tokens": "VARCHAR",
                             "cache_creation": {"ephemeral_5m_input_tokens": "VARCHAR", "ephemeral_1h_input_tokens": "VARCHAR"},
                             "output_tokens": "VARCHAR", "output_tokens_details": {"thinking_tokens": "VARCHAR"},
                             "service_tier": "VARCHAR"}},
               "id": "VARCHAR", "type": "VARCHAR", "model": "VARCHAR", "stop_reason": "VARCHAR",
               "usage": {"input_tokens": "VARCHAR", "cache_read_input_tokens": "VARCHAR",
                         "cache_creation_input_tokens": "VARCHAR",
                         "cache_creation": {"ephemeral_5m_input_tokens": "VARCHAR", "ephemeral_1h_input_tokens": "VARCHAR"},
                         "output_tokens": "VARCHAR", "output_tokens_details": {"thinking_tokens": "VARCHAR"},
                         "service_tier": "VARCHAR"}}') as j
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line)
)
)
)
