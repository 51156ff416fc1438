-- fast_stage_lines_anthropic: the columns of fast_stage_anthropic (macro anthropic_fast_columns), plus
-- source_line, from the text of each staged line that is JSON (see fast_stage_lines_openai). A line that
-- names a custom_id beside a response, error or body anywhere (an OpenAI Batch line's shape, even with
-- null values, which a typed read cannot tell from absent keys) is left to the careful path. params: $ts_default, $ts_path
create or replace temp table fast_staged as
select source_line,
       unnest(anthropic_fast_columns(j, b, l, last_user_of_roles(l.roles), $ts_default::timestamptz,
                                     ts_field_unset($ts_path) and not batch_shape))
from (
    select source_line, batch_shape, j, b, chat_message_lists(sys, msgs, parts) as l
    from (
        select source_line, batch_shape, j, b, sys, msgs, message_parts_of(msgs) as parts
        from (
            select source_line, batch_shape, j, anthropic_fast_body(j) as b, chat_system_prompt(j.request.system) as sys,
                   j.request.messages as msgs
            from (
                select valid_line as source_line, contains(line, '"custom_id"')
                           and (contains(line, '"response"') or contains(line, '"error"') or contains(line, '"body"'))
                           as batch_shape,
                       json_transform(line, '{"ts": "VARCHAR", "latency_ms": "VARCHAR", "custom_id": "VARCHAR", "schemaType": "VARCHAR",
                       "body": "JSON", "metadata": "JSON", "error": "JSON",
                   "result": {"type": "VARCHAR", "message": {"id": "VARCHAR", "type": "VARCHAR", "model": "VARCHAR", "stop_reason": "VARCHAR",
                           "usage": {"input_tokens": "VARCHAR", "cache_read_input_tokens": "VARCHAR",
                                     "cache_creation_input_tokens": "VARCHAR",
                                     "cache_creation": {"ephemeral_5m_input_tokens": "VARCHAR", "ephemeral_1h_input_tokens": "VARCHAR"},
                                     "output_tokens": "VARCHAR", "output_tokens_details": {"thinking_tokens": "VARCHAR"},
                                     "service_tier": "VARCHAR"}}},
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
                from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line
                      from staged_lines)
                where json_valid(line)
            )
        )
    )
)
