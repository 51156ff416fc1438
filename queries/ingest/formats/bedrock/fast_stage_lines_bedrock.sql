-- fast_stage_lines_bedrock: the columns of fast_stage_bedrock (macro bedrock_fast_columns), plus
-- source_line, from the text of each staged line that is JSON (see fast_stage_lines_anthropic: a line
-- naming a custom_id is left to the careful path).
create or replace temp table fast_staged as
select source_line, unnest(bedrock_fast_columns(j, o, l, last_user_of_roles(l.roles)))
from (
    select source_line, j, o, chat_message_lists(sys, msgs, parts) as l
    from (
        select source_line, j, o, sys, msgs, message_parts_of(msgs) as parts
        from (
            select source_line, j, bedrock_fast_output_fields(j.output.outputBodyJson) as o,
                   chat_system_prompt(j.input.inputBodyJson.system) as sys, j.input.inputBodyJson.messages as msgs
            from (
                select valid_line as source_line,
                       json_transform(line, '{"schemaType": "VARCHAR", "requestId": "VARCHAR", "timestamp": "VARCHAR",
                               "modelId": "VARCHAR", "operation": "VARCHAR", "custom_id": "VARCHAR", "identity": {"arn": "VARCHAR"},
                               "requestMetadata": "JSON",
                               "input": {"inputBodyJson": {"system": "JSON", "messages": ["JSON"]}, "inputTokenCount": "VARCHAR",
                                         "cacheReadInputTokenCount": "VARCHAR", "cacheWriteInputTokenCount": "VARCHAR"},
                               "output": {"outputBodyJson": "JSON", "outputTokenCount": "VARCHAR"}}') as j
                from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line
                      from staged_lines)
                where json_valid(line) and not contains(line, '"custom_id"')
            )
        )
    )
)
