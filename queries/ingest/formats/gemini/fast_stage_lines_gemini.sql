-- fast_stage_lines_gemini: the columns of fast_stage_gemini (macro gemini_fast_columns), plus source_line,
-- from the text of each staged line that is JSON (see fast_stage_lines_anthropic). A line naming a
-- custom_id or starting_at (an OpenAI Batch line's or an Anthropic usage report's shape, even with null
-- values) is left to the careful path. params: $ts_default, $ts_path
create or replace temp table fast_staged as
select source_line, unnest(gemini_fast_columns(j, b, gemini_fast_usage(b), l, last_user_of_roles(l.roles),
                                               $ts_default::timestamptz, ts_field_unset($ts_path)))
from (
    select source_line, j, b, gemini_fast_lists(sys, contents, texts) as l
    from (
        select source_line, j, b, sys, contents, gemini_fast_texts(contents) as texts
        from (
            select source_line, j, gemini_fast_body(j) as b, j.request.contents as contents,
                   coalesce(j.request.systemInstruction.parts, j.request.system_instruction.parts) as sys
            from (
                select valid_line as source_line,
                       json_transform(line, '{"ts": "VARCHAR", "latency_ms": "VARCHAR", "custom_id": "VARCHAR",
                               "schemaType": "VARCHAR", "result": "JSON", "starting_at": "VARCHAR", "metadata": "JSON",
                               "request": {"model": "VARCHAR", "contents": [{"role": "VARCHAR", "parts": "JSON"}],
                                           "systemInstruction": {"parts": "JSON"}, "system_instruction": {"parts": "JSON"}, "labels": "JSON"},
                               "response": {"responseId": "VARCHAR", "response_id": "VARCHAR", "createTime": "VARCHAR",
                                   "create_time": "VARCHAR", "modelVersion": "VARCHAR", "model_version": "VARCHAR",
                                   "usageMetadata": {"promptTokenCount": "VARCHAR", "cachedContentTokenCount": "VARCHAR",
                                       "candidatesTokenCount": "VARCHAR", "thoughtsTokenCount": "VARCHAR",
                                       "toolUsePromptTokenCount": "VARCHAR", "trafficType": "VARCHAR"},
                                   "usage_metadata": {"prompt_token_count": "VARCHAR", "cached_content_token_count": "VARCHAR",
                                       "candidates_token_count": "VARCHAR", "thoughts_token_count": "VARCHAR",
                                       "tool_use_prompt_token_count": "VARCHAR", "traffic_type": "VARCHAR"},
                                   "candidates": [{"finishReason": "VARCHAR", "finish_reason": "VARCHAR"}], "error": "JSON",
                                   "type": "VARCHAR"},
                               "responseId": "VARCHAR", "response_id": "VARCHAR", "createTime": "VARCHAR", "create_time": "VARCHAR",
                               "modelVersion": "VARCHAR", "model_version": "VARCHAR",
                               "usageMetadata": {"promptTokenCount": "VARCHAR", "cachedContentTokenCount": "VARCHAR",
                                   "candidatesTokenCount": "VARCHAR", "thoughtsTokenCount": "VARCHAR",
                                   "toolUsePromptTokenCount": "VARCHAR", "trafficType": "VARCHAR"},
                               "usage_metadata": {"prompt_token_count": "VARCHAR", "cached_content_token_count": "VARCHAR",
                                   "candidates_token_count": "VARCHAR", "thoughts_token_count": "VARCHAR",
                                   "tool_use_prompt_token_count": "VARCHAR", "traffic_type": "VARCHAR"},
                               "candidates": [{"finishReason": "VARCHAR", "finish_reason": "VARCHAR"}], "error": "JSON",
                               "type": "VARCHAR"}') as j
                from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line
                      from staged_lines)
                where json_valid(line) and not contains(line, '"custom_id"') and not contains(line, '"starting_at"')
            )
        )
    )
)
