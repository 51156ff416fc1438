-- macros_fast_anthropic: the fast path's columns of Anthropic Message records (created with
-- queries/store/macros.sql on every connection: ftaudit.store.connection.create_macros).

-- The Message a batch result, a wrapper or a bare line carries (extract_anthropic_messages' `body`):
-- the result's message, else the response, else the record (a result or response that is not an object
-- gives a struct of NULLs: no id, not taken).
create or replace temp macro anthropic_fast_body(j) as
    case when j.result is not null then j.result.message
         else coalesce(j.response, struct_pack(id := j.id, type := j.type, model := j.model, stop_reason := j.stop_reason,
                                               usage := j.usage)) end;

-- cache_creation_input_tokens, else the sum of its 5m and 1h split (some dumps carry only the split), as
-- extract_anthropic_messages reads it; NULL (not taken) when a count present is not a whole number.
create or replace temp macro anthropic_fast_cache_write(u) as
    case when u.cache_creation_input_tokens is not null then tok_int(u.cache_creation_input_tokens)
         else fast_optional(u.cache_creation.ephemeral_5m_input_tokens)
              + fast_optional(u.cache_creation.ephemeral_1h_input_tokens) end;

-- The FAST_COLUMNS (ftaudit/ingest/formats/__init__.py) of one Message line, from the typed struct `j` a
-- fast stage reads (fast_stage_anthropic: the row of read_json; fast_stage_lines_anthropic: json_transform
-- of the line), its Message `b` (anthropic_fast_body), the lists `l` of its request's messages with the
-- system prompt first (chat_message_lists: texts, roles, chars) and the position of the last user turn
-- (last_user_of_roles). `fast_ok` is false for what the careful reader reads differently or another
-- reader would claim line by line: batch results that did not succeed, error responses, records without
-- an id, a --ts-field time, a Bedrock log, a custom_id beside a response or error (an OpenAI Batch output
-- line), numbers where text is expected. A Message Batches result has no time of its own: it is taken
-- with --ts or the batch's ended_at ($ts_default), else the careful path refuses the file.
create or replace temp macro anthropic_fast_columns(j, b, l, last_user, ts_default, ts_field_is_unset) as {
    'fast_ok': ts_field_is_unset
               and b.type = 'message' and b.id is not null
               and case when j.result is null then j.custom_id is null
                        else j.custom_id is not null and j.result.type = 'succeeded' and j.response is null
                             and j.error is null end
               and j.body is null and j.schemaType is null and fast_text_ok(j.custom_id)
               and fast_text_ok(b.id) and fast_text_ok(b.model) and fast_text_ok(j.request.model)
               and fast_text_ok(b.stop_reason) and fast_text_ok(b.usage.service_tier)
               and (j.latency_ms is null or try_cast(j.latency_ms as double) is not null),
    'call_id': b.id,
    'ts': case when j.ts is null then ts_default else parse_ts(j.ts, 's') end,
    'provider': 'anthropic',
    'model': coalesce(b.model, j.request.model),
    'input_tokens': tok_int(b.usage.input_tokens) + fast_optional(b.usage.cache_read_input_tokens)
                    + anthropic_fast_cache_write(b.usage),
    'cache_read_tokens': fast_optional(b.usage.cache_read_input_tokens),
    'cache_write_tokens': anthropic_fast_cache_write(b.usage),
    'cache_write_1h_tokens': fast_optional(b.usage.cache_creation.ephemeral_1h_input_tokens),
    'output_tokens': tok_int(b.usage.output_tokens),
    'reasoning_tokens': fast_optional(b.usage.output_tokens_details.thinking_tokens),
    'is_batch': j.result is not null or coalesce(b.usage.service_tier = 'batch', false),
    'service_tier': b.usage.service_tier,
    'latency_ms': try_cast(j.latency_ms as double),
    'status': b.stop_reason,
    'billed_cost_usd': null::decimal(38, 12),
    'prefix_hash': prefix_hash_of_lists(l, last_user),
    'prefix_chars': prefix_chars_of_counts(l.chars, last_user),
    'variable_chars': variable_chars_of_counts(l.chars, last_user),
    'hints': case when j.metadata is null and j.request.metadata is null and j.custom_id is null then '{}'::json
                  else json_merge_patch(case when json_type(j.metadata) = 'OBJECT' then j.metadata else '{}'::json end,
                                        case when json_type(j.request.metadata) = 'OBJECT' then j.request.metadata
                                             else '{}'::json end,
                                        json_object('custom_id', j.custom_id)) end
};
