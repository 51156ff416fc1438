-- macros_fast_openai: the fast path's columns of OpenAI records (created with queries/store/macros.sql on
-- every connection: ftaudit.store.connection.create_macros).

-- A field of the object a record reports on, as extract_openai finds it: response.body (Batch output),
-- else response (a {request, response} pair), else the record itself (a bare object). `j` is the typed
-- struct a fast stage reads (fast_stage_openai: the row of read_json; fast_stage_lines_openai:
-- json_transform of the line), with the same body fields at the three levels. A JSON null reads as
-- absent here but not there: a bare object beside "response": null is the one shape they read apart.
create or replace temp macro openai_body(j, field) as
    case when j.response.body is not null then struct_extract(j.response.body, field)
         when j.response is not null then struct_extract(j.response, field)
         else struct_extract(j, field) end;

-- A request's messages as extract_openai reads them (JSON[]): Chat `messages`, else Responses `input`
-- (an array of items, or a string as one user message), with `instructions` first as a system message.
create or replace temp macro openai_fast_messages(r) as
    with_system_message(r.instructions,
        case when r.messages is not null then r.messages
             when json_type(r.input) = 'ARRAY' then cast(r.input as json[])
             when json_type(r.input) = 'VARCHAR' then [json_object('role', 'user', 'content', r.input ->> '$')] end);

-- The prefix columns of prefix_hash_of / prefix_chars_of / variable_chars_of (queries/store/macros.sql),
-- from the position of the last user message and each message's characters computed once.
create or replace temp macro fast_prefix_hash(msgs, lup) as
    case when lup > 1 then md5(list_slice(msgs, 1, lup - 1)::varchar) end;

create or replace temp macro fast_prefix_chars(chars, lup) as
    case when lup is not null then coalesce(list_sum(list_slice(chars, 1, lup - 1)), 0)::bigint end;

create or replace temp macro fast_variable_chars(chars, lup) as
    case when lup is not null then coalesce(list_sum(list_slice(chars, lup, len(chars))), 0)::bigint end;

-- Output hidden in total_tokens (extract_openai: total > prompt + completion, e.g. Gemini's
-- OpenAI-compatible endpoint): total - prompt - completion when both counts are not negative.
create or replace temp macro openai_hidden_output(total, prompt, completion) as
    case when prompt >= 0 and completion >= 0 then total - prompt - completion end;

-- Output and reasoning tokens of a usage struct, with the output extract_openai finds hidden in total_tokens.
create or replace temp macro openai_fast_output(u) as
    tok_int(coalesce(u.completion_tokens, u.output_tokens))
    + greatest(coalesce(openai_hidden_output(tok_int(u.total_tokens), tok_int(coalesce(u.prompt_tokens, u.input_tokens)),
                                             tok_int(coalesce(u.completion_tokens, u.output_tokens))), 0), 0);

create or replace temp macro openai_fast_reasoning(u) as
    case when coalesce(u.completion_tokens_details.reasoning_tokens, u.output_tokens_details.reasoning_tokens) is null
              and openai_hidden_output(tok_int(u.total_tokens), tok_int(coalesce(u.prompt_tokens, u.input_tokens)),
                                       tok_int(coalesce(u.completion_tokens, u.output_tokens))) > 0
         then openai_hidden_output(tok_int(u.total_tokens), tok_int(coalesce(u.prompt_tokens, u.input_tokens)),
                                   tok_int(coalesce(u.completion_tokens, u.output_tokens)))
         else fast_optional(coalesce(u.completion_tokens_details.reasoning_tokens, u.output_tokens_details.reasoning_tokens)) end;

-- The fast path's columns of one OpenAI record (FAST_COLUMNS of ftaudit/ingest/formats/__init__.py):
-- Chat Completion and Responses objects, bare, as {request, response} pairs or Batch output lines.
-- `msgs`, `lup` (last_user_position(msgs)) and `chars` (message_chars of each) come computed once;
-- `batch` is the batch_requests row of the line's custom_id (NULL for none). Token fields arrive as text
-- so that 12.5 or true is not cast to an integer: tok_int turns them into integers here; an optional one
-- present but not a whole number is NULL, so the row is not taken. `fast_ok` is false when the record is
-- not a final chat.completion / response, carries a field extract_openai reads in a way this does not
-- (an error, a count not written as a plain integer, a number where text is expected: it starts with a
-- digit or '-' and may be written differently, 1e-05 / 0.00001), or a cost or latency that is not valid.
create or replace temp macro openai_fast_columns(j, msgs, lup, chars, batch) as {
    'fast_ok': (openai_body(j, 'object') = 'chat.completion'
                or (openai_body(j, 'object') = 'response' and coalesce(openai_body(j, 'status'), '') not in ('queued', 'in_progress')))
               and j.error is null
               and not (looks_numeric(openai_body(j, 'id')) or looks_numeric(openai_body(j, 'model'))
                        or looks_numeric(openai_body(j, 'service_tier')) or looks_numeric(openai_body(j, 'status'))
                        or looks_numeric(j.custom_id) or looks_numeric(j.request.instructions)
                        or looks_numeric(j.request."user"))
               and (j.response.status_code is null or tok_int(j.response.status_code) is not null
                    or not looks_numeric(j.response.status_code))
               and (j.latency_ms is null or try_cast(j.latency_ms as double) >= 0)
               and (openai_body(j, 'usage').cost is null or try_cast(openai_body(j, 'usage').cost as decimal(38, 12)) is not null)
               and (openai_body(j, 'usage').total_tokens is null or tok_int(openai_body(j, 'usage').total_tokens) is not null),
    'call_id': coalesce(openai_body(j, 'id'), 'batch:' || j.custom_id),
    'ts': parse_ts(coalesce(j.ts, openai_body(j, 'created'), openai_body(j, 'created_at')), 's'),
    'provider': if(openai_body(j, 'usage').cost is not null or openai_body(j, 'id') like 'gen-%', 'openrouter', 'openai'),
    'model': openai_body(j, 'model'),
    'input_tokens': tok_int(coalesce(openai_body(j, 'usage').prompt_tokens, openai_body(j, 'usage').input_tokens)),
    'cache_read_tokens': fast_optional(coalesce(openai_body(j, 'usage').prompt_tokens_details.cached_tokens,
                                                openai_body(j, 'usage').input_tokens_details.cached_tokens)),
    'cache_write_tokens': fast_optional(coalesce(openai_body(j, 'usage').prompt_tokens_details.cache_write_tokens,
                                                 openai_body(j, 'usage').input_tokens_details.cache_write_tokens)),
    'cache_write_1h_tokens': 0::bigint,
    'output_tokens': openai_fast_output(openai_body(j, 'usage')),
    'reasoning_tokens': openai_fast_reasoning(openai_body(j, 'usage')),
    'is_batch': j.custom_id is not null,
    'service_tier': openai_body(j, 'service_tier'),
    'latency_ms': try_cast(j.latency_ms as double),
    'status': coalesce(openai_body(j, 'status'), j.response.status_code, 'completed'),
    'billed_cost_usd': try_cast(openai_body(j, 'usage').cost as decimal(38, 12)),
    'prefix_hash': coalesce(fast_prefix_hash(msgs, lup), batch.prefix_hash),
    'prefix_chars': coalesce(fast_prefix_chars(chars, lup), batch.prefix_chars),
    'variable_chars': coalesce(fast_variable_chars(chars, lup), batch.variable_chars),
    'hints': json_merge_patch(coalesce(batch.hints, '{}'::json), json_merge_patch(
        case when json_type(j.request.metadata) = 'OBJECT' then j.request.metadata else '{}'::json end,
        json_object('user', j.request."user", 'custom_id', j.custom_id)))
};
