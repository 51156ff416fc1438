-- macros_fast_openai: the fast path's columns of OpenAI records (created with queries/store/macros.sql on
-- every connection: ftaudit.store.connection.create_macros).

-- The fast path's columns of one Chat Completion line (FAST_COLUMNS of ftaudit/ingest/formats/__init__.py),
-- from the typed struct `j` a fast stage reads (fast_stage_openai_chat: the row of read_json;
-- fast_stage_lines_openai_chat: json_transform of the line). Token fields arrive as text so that 12.5 or
-- true is not cast to an integer: tok_int turns them into integers here, while parsing; an optional one
-- present but not a whole number is NULL, so the row is not taken. `fast_ok` is false when the line is
-- not a plain chat.completion, or carries a field the careful reader (extract_openai) would use and the
-- fast one does not, or a number for its id, model or service tier.
create or replace temp macro chat_fast_columns(j) as {
    'fast_ok': j.object = 'chat.completion'
               and coalesce(j.ts, j.latency_ms, j.status, j.custom_id, j.error, j.request, j.response) is null
               -- a JSON number where text is expected (it starts with a digit or '-') reads as its own text
               -- here but as a double's text there (1e+16 -> 10000000000000000.0)
               and not (looks_numeric(j.id) or looks_numeric(j.model) or looks_numeric(j.service_tier))
               -- OpenRouter's billed usage.cost, and output hidden in total_tokens: the careful path's
               and j.usage.cost is null
               and (j.usage.total_tokens is null
                    or tok_int(j.usage.total_tokens) <= tok_int(j.usage.prompt_tokens) + tok_int(j.usage.completion_tokens)),
    'call_id': j.id,
    'ts': epoch_ts(j.created),
    'provider': 'openai',
    'model': j.model,
    'input_tokens': tok_int(j.usage.prompt_tokens),
    'cache_read_tokens': fast_optional(j.usage.prompt_tokens_details.cached_tokens),
    'cache_write_tokens': fast_optional(j.usage.prompt_tokens_details.cache_write_tokens),
    'cache_write_1h_tokens': 0::bigint,
    'output_tokens': tok_int(j.usage.completion_tokens),
    'reasoning_tokens': fast_optional(j.usage.completion_tokens_details.reasoning_tokens),
    'is_batch': false,
    'service_tier': j.service_tier,
    'latency_ms': null::double,
    'status': 'completed',
    'billed_cost_usd': null::decimal(38, 12),
    'prefix_hash': null::varchar,
    'prefix_chars': null::bigint,
    'variable_chars': null::bigint,
    'hints': null::json
};
