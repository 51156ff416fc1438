-- macros_fast_gemini: the fast path's columns of Gemini / Vertex GenerateContentResponse records (created
-- with queries/store/macros.sql on every connection: ftaudit.store.connection.create_macros).

-- The response a wrapper or a bare line carries (extract_gemini's `body`): the response when there is
-- one (a response that is not an object gives a struct of NULLs: no id, not taken).
create or replace temp macro gemini_fast_body(j) as
    coalesce(j.response, struct_pack(responseId := j.responseId, response_id := j.response_id, createTime := j.createTime,
                                     create_time := j.create_time, modelVersion := j.modelVersion,
                                     model_version := j.model_version, usageMetadata := j.usageMetadata,
                                     usage_metadata := j.usage_metadata, candidates := j.candidates, error := j.error,
                                     type := j.type));

-- The request's contents as the messages extract_gemini builds ({role, content: parts}), the system
-- instruction's parts first; `parts` is read with `->` as there (a null value is JSON null, not absent).
create or replace temp macro gemini_fast_messages(request) as
    with_system_message(coalesce(request.systemInstruction -> '$.parts', request.system_instruction -> '$.parts'),
                        list_transform(request.contents,
                                       lambda c: json_object('role', json_extract_string(c, '$.role'),
                                                             'content', json_extract(c, '$.parts'))));

-- The FAST_COLUMNS (ftaudit/ingest/formats/__init__.py) of one response line, as extract_gemini reads it,
-- from the typed struct `j` a fast stage reads (fast_stage_gemini: the row of read_json;
-- fast_stage_lines_gemini: json_transform of the line), its response `b` (gemini_fast_body), `u`: its
-- usage [prompt, cached, candidates, thoughts, tool use prompt, traffic type] (camelCase, else the SDK's
-- snake_case), the messages (gemini_fast_messages), their parts (prefix_parts_of) and the last user
-- turn's position. `fast_ok` is false for a response without an id (a stream chunk's id seen twice is
-- left to the careful path by fast_insert_calls), an error, a --ts-field time, or a record another
-- reader would claim line by line (Bedrock, Anthropic, an OpenAI Batch line), numbers where text is expected.
create or replace temp macro gemini_fast_columns(j, b, u, msgs, parts, last_user, ts_default, ts_field_is_unset) as {
    'fast_ok': ts_field_is_unset
               and coalesce(b.responseId, b.response_id) is not null and b.error is null
               and j.result is null and j.custom_id is null and j.schemaType is null and j.starting_at is null
               and b.type is null
               and fast_text_ok(coalesce(b.responseId, b.response_id))
               and fast_text_ok(coalesce(b.modelVersion, b.model_version, j.request.model))
               and fast_text_ok(u[6]) and fast_text_ok(coalesce(b.candidates[1].finishReason, b.candidates[1].finish_reason))
               and (j.latency_ms is null or try_cast(j.latency_ms as double) is not null),
    'call_id': coalesce(b.responseId, b.response_id),
    'ts': case when coalesce(b.createTime, b.create_time, j.ts) is null then ts_default
               else parse_ts(coalesce(b.createTime, b.create_time, j.ts), 's') end,
    'provider': 'google',
    'model': coalesce(b.modelVersion, b.model_version, j.request.model),
    'input_tokens': tok_int(u[1]) + fast_optional(u[5]),
    'cache_read_tokens': fast_optional(u[2]),
    'cache_write_tokens': 0::bigint,
    'cache_write_1h_tokens': 0::bigint,
    'output_tokens': case when u[3] is not null or u[4] is not null then fast_optional(u[3]) + fast_optional(u[4]) end,
    'reasoning_tokens': fast_optional(u[4]),
    'is_batch': false,
    'service_tier': u[6],
    'latency_ms': try_cast(j.latency_ms as double),
    'status': coalesce(b.candidates[1].finishReason, b.candidates[1].finish_reason),
    'billed_cost_usd': null::decimal(38, 12),
    'prefix_hash': prefix_hash_by_parts(msgs, last_user),
    'prefix_chars': prefix_chars_by_parts(parts, last_user),
    'variable_chars': variable_chars_by_parts(parts, last_user),
    'hints': json_merge_patch(case when json_type(j.metadata) = 'OBJECT' then j.metadata else '{}'::json end,
                              case when json_type(j.request.labels) = 'OBJECT' then j.request.labels else '{}'::json end)
};

-- [prompt, cached, candidates, thoughts, tool use prompt, traffic type] of a response's usage.
create or replace temp macro gemini_fast_usage(b) as
    [coalesce(b.usageMetadata.promptTokenCount, b.usage_metadata.prompt_token_count),
     coalesce(b.usageMetadata.cachedContentTokenCount, b.usage_metadata.cached_content_token_count),
     coalesce(b.usageMetadata.candidatesTokenCount, b.usage_metadata.candidates_token_count),
     coalesce(b.usageMetadata.thoughtsTokenCount, b.usage_metadata.thoughts_token_count),
     coalesce(b.usageMetadata.toolUsePromptTokenCount, b.usage_metadata.tool_use_prompt_token_count),
     coalesce(b.usageMetadata.trafficType, b.usage_metadata.traffic_type)];
