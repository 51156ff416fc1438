-- fast_stage_bedrock: a plain JSONL file of Bedrock ModelInvocationLog records, typed by a strict
-- read_json, into the temp table fast_staged (FAST_COLUMNS, by the macro bedrock_fast_columns) in file
-- order (see fast_stage_openai_chat). fast_stage_lines_bedrock reads the same fields.
-- params: $path, $compression
create or replace temp table fast_staged as
select unnest(bedrock_fast_columns(j, o, msgs, parts, last_user_by_parts(parts)))
from (
    select j, o, msgs, prefix_parts_of(msgs) as parts
    from (
        select j, bedrock_fast_output_fields(j.output.outputBodyJson) as o,
               fast_system_messages(j.input.inputBodyJson) as msgs
        from read_json($path, format = 'newline_delimited', compression = $compression,
               columns = {schemaType: 'VARCHAR', requestId: 'VARCHAR', timestamp: 'VARCHAR', modelId: 'VARCHAR',
                          operation: 'VARCHAR', custom_id: 'VARCHAR', identity: 'STRUCT(arn VARCHAR)',
                          requestMetadata: 'JSON',
                          input: 'STRUCT(inputBodyJson STRUCT(system JSON, messages JSON[]), inputTokenCount VARCHAR,
                                         cacheReadInputTokenCount VARCHAR, cacheWriteInputTokenCount VARCHAR)',
                          output: 'STRUCT(outputBodyJson JSON, outputTokenCount VARCHAR)'}) j
    )
)
