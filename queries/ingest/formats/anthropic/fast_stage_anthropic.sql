-- fast_stage_anthropic: a plain JSONL file of Anthropic Messages (bare, or {ts, request, response}
-- wrappers), typed by a strict read_json, into the temp table fast_staged (FAST_COLUMNS, by the macro
-- anthropic_fast_columns) in file order (see fast_stage_openai). Each message is parsed once, for
-- the prefix columns (macros_fast_common), in its own subquery. fast_stage_lines_anthropic reads the
-- same fields. params: $path, $compression, $ts_default, $ts_path
create or replace temp table fast_staged as
select unnest(anthropic_fast_columns(j, b, l, last_user_of_roles(l.roles), $ts_default::timestamptz, ts_field_unset($ts_path)))
from (
    select j, b, chat_message_lists(sys, msgs, parts) as l
    from (
        select j, b, sys, msgs, message_parts_of(msgs) as parts
        from (
            select j, anthropic_fast_body(j) as b, chat_system_prompt(j.request.system) as sys, j.request.messages as msgs
            from read_json($path, format = 'newline_delimited', compression = $compression,
                   columns = {ts: 'VARCHAR', latency_ms: 'VARCHAR', custom_id: 'VARCHAR', schemaType: 'VARCHAR',
                              body: 'JSON', metadata: 'JSON', error: 'JSON',
                          result: 'STRUCT(type VARCHAR, message STRUCT(id VARCHAR, type VARCHAR, model VARCHAR, stop_reason VARCHAR, usage STRUCT(
                                  input_tokens VARCHAR, cache_read_input_tokens VARCHAR, cache_creation_input_tokens VARCHAR,
                                  cache_creation STRUCT(ephemeral_5m_input_tokens VARCHAR, ephemeral_1h_input_tokens VARCHAR),
                                  output_tokens VARCHAR, output_tokens_details STRUCT(thinking_tokens VARCHAR), service_tier VARCHAR)))',
                              request: 'STRUCT(model VARCHAR, system JSON, messages JSON[], metadata JSON)',
                              response: 'STRUCT(id VARCHAR, type VARCHAR, model VARCHAR, stop_reason VARCHAR, usage STRUCT(
                                  input_tokens VARCHAR, cache_read_input_tokens VARCHAR, cache_creation_input_tokens VARCHAR,
                                  cache_creation STRUCT(ephemeral_5m_input_tokens VARCHAR, ephemeral_1h_input_tokens VARCHAR),
                                  output_tokens VARCHAR, output_tokens_details STRUCT(thinking_tokens VARCHAR), service_tier VARCHAR))',
                              id: 'VARCHAR', type: 'VARCHAR', model: 'VARCHAR', stop_reason: 'VARCHAR',
                              usage: 'STRUCT(input_tokens VARCHAR, cache_read_input_tokens VARCHAR, cache_creation_input_tokens VARCHAR,
                                  cache_creation STRUCT(ephemeral_5m_input_tokens VARCHAR, ephemeral_1h_input_tokens VARCHAR),
                                  output_tokens VARCHAR, output_tokens_details STRUCT(thinking_tokens VARCHAR), service_tier VARCHAR)'}) j
        )
    )
)
