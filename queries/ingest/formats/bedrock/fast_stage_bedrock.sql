-- fast_stage_bedrock: a plain JSONL file of Bedrock ModelInvocationLog records, typed by a strict
-- read_json, into the temp table fast_staged (FAST_COLUMNS, by the macro bedrock_fast_columns) in file
-- order (see fast_stage_openai); each message parsed once (see fast_stage_anthropic).
-- fast_stage_lines_bedrock reads the same fields. params: $path, $compression
create or replace temp table fast_staged as
select unnest(bedrock_fast_columns(j, o, l, last_user_of_roles(l.roles)))
from (
    select j, o, chat_message_lists(sys, msgs, parts) as l
    from (
        select j, o, sys, msgs, message_parts_of(msgs) as parts
        from (
            select j, bedrock_fast_output_fields(j.output.outputBodyJson) as o,
                   chat_system_prompt(j.input.inputBodyJson.system) as sys, j.input.inputBodyJson.messages as msgs
            from read_json($path, format = 'newline_delimited', compression = $compression,
                   columns = {schemaType: 'VARCHAR', requestId: 'VARCHAR', timestamp: 'VARCHAR', modelId: 'VARCHAR',
                              operation: 'VARCHAR', custom_id: 'VARCHAR', identity: 'STRUCT(arn VARCHAR)',
                              requestMetadata: 'JSON',
                              input: 'STRUCT(inputBodyJson STRUCT(system JSON, messages JSON[]), inputTokenCount VARCHAR,
                                             cacheReadInputTokenCount VARCHAR, cacheWriteInputTokenCount VARCHAR)',
                              output: 'STRUCT(outputBodyJson JSON, outputTokenCount VARCHAR)'}) j
        )
    )
)
