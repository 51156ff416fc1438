-- fast_stage_gemini: a plain JSONL file of Gemini / Vertex responses (bare, or {ts, request, response}
-- wrappers; camelCase or the SDK's snake_case), typed by a strict read_json, into the temp table
-- fast_staged (FAST_COLUMNS, by the macro gemini_fast_columns) in file order (see fast_stage_openai_chat).
-- fast_stage_lines_gemini reads the same fields. params: $path, $compression, $ts_default, $ts_path
create or replace temp table fast_staged as
select unnest(gemini_fast_columns(j, b, gemini_fast_usage(b), msgs, parts, last_user_by_parts(parts),
                                  $ts_default::timestamptz, ts_field_unset($ts_path)))
from (
    select j, b, msgs, prefix_parts_of(msgs) as parts
    from (
        select j, gemini_fast_body(j) as b, gemini_fast_messages(j.request) as msgs
        from read_json($path, format = 'newline_delimited', compression = $compression,
               columns = {ts: 'VARCHAR', latency_ms: 'VARCHAR', custom_id: 'VARCHAR', schemaType: 'VARCHAR',
                          result: 'JSON', starting_at: 'VARCHAR', metadata: 'JSON',
                          request: 'STRUCT(model VARCHAR, contents JSON[], systemInstruction JSON, system_instruction JSON,
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
