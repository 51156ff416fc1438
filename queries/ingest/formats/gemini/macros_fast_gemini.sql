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

-- The JSON text of each of a request's contents as the message extract_gemini builds from it
-- (json_object('role', role, 'content', parts)), from the typed STRUCT(role, parts JSON)[]: a null or
-- absent role or parts is null there.
create or replace temp macro gemini_fast_texts(contents) as
    list_transform(contents, lambda c: '{"role":' || coalesce(to_json(c.role)::varchar, 'null') || ',"content":'
                                       || coalesce(c.parts::varchar, 'null') || '}');

-- The lists (texts, roles, chars) of a request's contents with the system instruction's parts first.
create or replace temp macro gemini_fast_lists(sys, contents, texts) as
    lists_with_system(sys, texts, list_transform(contents, lambda c: c.role),
                      list_transform(contents, lambda c: json_text_chars(c.parts)));

-- The FAST_COLUMNS (ftaudit/ingest/formats/__init__.py) of one response line, as extract_gemini reads it,
-- from the typed struct `j` a fast stage reads (fast_stage_gemini: the row of read_json;
-- fast_stage_lines_gemini: json_transform of the line), its response `b` (gemini_fast_body), `u`: its
-- usage [prompt, cached, candidates, thoughts, tool use prompt, traffic type] (camelCase, else the SDK's
-- snake_case), the lists `l` of its messages (gemini_fast_lists) and the last user turn's position. `fast_ok` is false for a response without an id (a stream chunk's id seen twice is
-- left to the careful path by the fast inserts), an error, a --ts-field time, a system instruction
-- without parts (its null `parts` is JSON null to the careful path, absent to a typed read), a number
-- for a role, or a record another
-- reader would claim line by line (Bedrock, Anthropic, an OpenAI Batch line), numbers where text is expected.
create or replace temp macro gemini_fast_columns(j, b, u, l, last_user, ts_default, ts_field_is_unset) as {
    'fast_ok': ts_field_is_unset
               and coalesce(b.responseId, b.response_id) is not null and b.error is null
               and j.result is null and j.custom_id is null and j.schemaType is null and j.starting_at is null
               and b.type is null
               and fast_text_ok(coalesce(b.responseId, b.response_id))
               and fast_text_ok(coalesce(b.modelVersion, b.model_version, j.request.model))
               and fast_text_ok(u[6]) and fast_text_ok(coalesce(b.candidates[1].finishReason, b.candidates[1].finish_reason))
               and (j.latency_ms is null or try_cast(j.latency_ms as double) is not null)
               and (j.request.systemInstruction is null or j.request.systemInstruction.parts is not null)
               and (j.request.system_instruction is null or j.request.system_instruction.parts is not null)
               and coalesce(list_bool_and(list_transform(j.request.contents, lambda c: fast_text_ok(c.role))), true),
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
    'prefix_hash': prefix_hash_of_lists(l, last_user),
    'prefix_chars': prefix_chars_of_counts(l.chars, last_user),
    'variable_chars': variable_chars_of_counts(l.chars, last_user),
    'hints': case when j.metadata is null and j.request.labels is null then '{}'::json  -- no merge of two {} per record
                  else json_merge_patch(case when json_type(j.metadata) = 'OBJECT' then j.metadata else '{}'::json end,
                                        case when json_type(j.request.labels) = 'OBJECT' then j.request.labels
                                             else '{}'::json end) end
};

-- [prompt, cached, candidates, thoughts, tool use prompt, traffic type] of a response's usage.
create or replace temp macro gemini_fast_usage(b) as
    [coalesce(b.usageMetadata.promptTokenCount, b.usage_metadata.prompt_token_count),
     coalesce(b.usageMetadata.cachedContentTokenCount, b.usage_metadata.cached_content_token_count),
     coalesce(b.usageMetadata.candidatesTokenCount, b.usage_metadata.candidates_token_count),
     coalesce(b.usageMetadata.thoughtsTokenCount, b.usage_metadata.thoughts_token_count),
     coalesce(b.usageMetadata.toolUsePromptTokenCount, b.usage_metadata.tool_use_prompt_token_count),
     coalesce(b.usageMetadata.trafficType, b.usage_metadata.traffic_type)];
