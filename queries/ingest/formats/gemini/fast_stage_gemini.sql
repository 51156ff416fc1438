-- fast_stage_gemini: a plain JSONL file of Gemini / Vertex responses (bare, or {ts, request, response}
-- wrappers; camelCase or the SDK's snake_case), typed by a strict read_json, into the temp table
-- fast_staged (FAST_COLUMNS, by the macro gemini_fast_columns) in file order (see fast_stage_openai).
-- The contents are typed (role, parts), so no message is parsed again for the prefix columns.
-- fast_stage_lines_gemini reads the same fields. params: $path, $compression, $ts_default, $ts_path
create or replace temp table fast_staged as
select unnest(gemini_fast_columns(j, b, gemini_fast_usage(b), l, last_user_of_roles(l.roles), $ts_default::timestamptz,
                                  ts_field_unset($ts_path)))
from (
    select j, b, gemini_fast_lists(sys, contents, texts) as l
    from (
        select j, b, sys, contents, gemini_fast_texts(contents) as texts
        from (
            select j, gemini_fast_body(j) as b, contents,
                   coalesce(j.request.systemInstruction.parts, j.request.system_instruction.parts) as sys
            from (
                select j, j.request.contents as contents
                from read_json($path, format = 'newline_delimited', compression = $compression,
                       columns = {ts: 'VARCHAR', latency_ms: 'VARCHAR', custom_id: 'VARCHAR', schemaType: 'VARCHAR',
                                  result: 'JSON', starting_at: 'VARCHAR', metadata: 'JSON',
                                  request: 'STRUCT(model VARCHAR, contents STRUCT(role VARCHAR, parts JSON)[],
                                                   systemInstruction STRUCT(parts JSON), system_instruction STRUCT(parts JSON),
                                                   labels JSON)',
                                  response: 'STRUCT(responseId VARCHAR, response_id VARCHAR, createTime VARCHAR, create_time VARCHAR, modelVersion VARCHAR,
                                      model_version VARCHAR,
                                      usageMetadata STRUCT(promptTokenCount VARCHAR, cachedContentTokenCount VARCHAR,
                                          candidatesTokenCount VARCHAR, thoughtsTokenCount VARCHAR, toolUsePromptTokenCount VARCHAR,
                                          trafficType VARCHAR),
                                      usage_metadata STRUCT(prompt_token_count VARCHAR, cached_content_token_count VARCHAR,
                                          candidates_token_count VARCHAR, thoughts_token_count VARCHAR,
                                          tool_use_prompt_token_count VARCHAR, traffic_type VARCHAR),
                                      candidates STRUCT(finishReason VARCHAR, finish_reason VARCHAR)[], error JSON, type VARCHAR)',
                                  responseId: 'VARCHAR', response_id: 'VARCHAR', createTime: 'VARCHAR', create_time: 'VARCHAR',
                                  modelVersion: 'VARCHAR', model_version: 'VARCHAR',
                                  usageMetadata: 'STRUCT(promptTokenCount VARCHAR, cachedContentTokenCount VARCHAR,
                                          candidatesTokenCount VARCHAR, thoughtsTokenCount VARCHAR, toolUsePromptTokenCount VARCHAR,
                                          trafficType VARCHAR)',
                                  usage_metadata: 'STRUCT(prompt_token_count VARCHAR, cached_content_token_count VARCHAR,
                                          candidates_token_count VARCHAR, thoughts_token_count VARCHAR,
                                          tool_use_prompt_token_count VARCHAR, traffic_type VARCHAR)',
                                  candidates: 'STRUCT(finishReason VARCHAR, finish_reason VARCHAR)[]', error: 'JSON', type: 'VARCHAR'}) j
            )
        )
    )
)
