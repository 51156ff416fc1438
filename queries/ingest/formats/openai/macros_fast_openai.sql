-- macros_fast_openai: the fast path's columns of OpenAI records (created with queries/store/macros.sql on
-- every connection: ftaudit.store.connection.create_macros).

-- The object a record reports on, as extract_openai finds it: response.body (Batch output), else response
-- (a {request, response} pair), else the record itself (a bare object). `j` is the typed struct a fast
-- stage reads (fast_stage_openai: the row of read_json; fast_stage_lines_openai: json_transform of the
-- line), with the same body fields, of the same types, at the three levels. A JSON null reads as absent
-- here but not there: a bare object beside "response": null is the one shape they read apart.
create or replace temp macro openai_fast_body(j) as
    case when j.response.body is not null then j.response.body
         when j.response is not null
         then {'id': j.response.id, 'object': j.response.object, 'created': j.response.created,
               'created_at': j.response.created_at, 'model': j.response.model, 'service_tier': j.response.service_tier,
               'status': j.response.status, 'usage': j.response.usage}
         else {'id': j.id, 'object': j.object, 'created': j.created, 'created_at': j.created_at, 'model': j.model,
               'service_tier': j.service_tier, 'status': j.status, 'usage': j.usage} end;

-- The token counts of a body's usage, Chat or Responses vocabulary, as integers (tok_int: NULL when not a
-- plain whole number); optional details stay text for fast_optional.
create or replace temp macro openai_fast_tokens(u) as {
    'input': tok_int(coalesce(u.prompt_tokens, u.input_tokens)),
    'output': tok_int(coalesce(u.completion_tokens, u.output_tokens)),
    'total_text': u.total_tokens,
    'total': tok_int(u.total_tokens),
    'reasoning_text': coalesce(u.completion_tokens_details.reasoning_tokens, u.output_tokens_details.reasoning_tokens),
    'cache_read_text': coalesce(u.prompt_tokens_details.cached_tokens, u.input_tokens_details.cached_tokens),
    'cache_write_text': coalesce(u.prompt_tokens_details.cache_write_tokens, u.input_tokens_details.cache_write_tokens),
    'cost_text': u.cost
};

-- A request's messages as extract_openai reads them (JSON[]): Chat `messages`, else Responses `input`
-- (an array of items, or a string as one user message), with `instructions` first as a system message.
create or replace temp macro openai_fast_messages(r) as
    with_system_message(r.instructions,
        case when r.messages is not null then r.messages
             when json_type(r.input) = 'ARRAY' then cast(r.input as json[])
             when json_type(r.input) = 'VARCHAR' then [json_object('role', 'user', 'content', r.input ->> '$')] end);

-- Output hidden in total_tokens (extract_openai: total > prompt + completion, e.g. Gemini's
-- OpenAI-compatible endpoint): total - prompt - completion when both counts are not negative.
create or replace temp macro openai_hidden_output(total, prompt, completion) as
    case when prompt >= 0 and completion >= 0 then total - prompt - completion end;

-- The fast path's columns of one OpenAI record (FAST_COLUMNS of ftaudit/ingest/formats/__init__.py):
-- Chat Completion and Responses objects, bare, as {request, response} pairs or Batch output lines. The stage
-- computes once per record, in inner selects, what is used several times: `b` (openai_fast_body(j)), `t`
-- (openai_fast_tokens(b.usage)), `msgs` (openai_fast_messages), `parts` (message_parts_of(msgs)) and
-- `lup` (last_user_of_roles of the parts' roles); `batch` is the batch_requests row of the line's custom_id (NULL for none).
-- Token fields arrive as text so that 12.5 or true is not cast to an integer. `fast_ok` is false when the
-- record is not a final chat.completion / response, or carries a field extract_openai reads in a way this
-- does not: an error, a total not written as a plain integer, a number where text is expected (it starts
-- with a digit or '-' and may be written differently: 1e-05 / 0.00001), a cost or latency that is not valid.
create or replace temp macro openai_fast_columns(j, b, t, msgs, parts, lup, batch) as {
    'fast_ok': (b.object = 'chat.completion'
                or (b.object = 'response' and coalesce(b.status, '') not in ('queued', 'in_progress')))
               and j.error is null
               and not (looks_numeric(b.id) or looks_numeric(b.model) or looks_numeric(b.service_tier)
                        or looks_numeric(b.status) or looks_numeric(j.custom_id) or looks_numeric(j.request.instructions)
                        or looks_numeric(j.request."user"))
               and (j.response.status_code is null or tok_int(j.response.status_code) is not null
                    or not looks_numeric(j.response.status_code))
               and (j.latency_ms is null or try_cast(j.latency_ms as double) >= 0)
               and (t.cost_text is null or try_cast(t.cost_text as decimal(38, 12)) is not null)
               and (t.total_text is null or t.total is not null),
    'call_id': coalesce(b.id, 'batch:' || j.custom_id),
    'ts': parse_ts(coalesce(j.ts, b.created, b.created_at), 's'),
    'provider': if(t.cost_text is not null or b.id like 'gen-%', 'openrouter', 'openai'),
    'model': b.model,
    'input_tokens': t.input,
    'cache_read_tokens': fast_optional(t.cache_read_text),
    'cache_write_tokens': fast_optional(t.cache_write_text),
    'cache_write_1h_tokens': 0::bigint,
    'output_tokens': t.output + greatest(coalesce(openai_hidden_output(t.total, t.input, t.output), 0), 0),
    'reasoning_tokens': case when t.reasoning_text is null and openai_hidden_output(t.total, t.input, t.output) > 0
                             then openai_hidden_output(t.total, t.input, t.output)
                             else fast_optional(t.reasoning_text) end,
    'is_batch': j.custom_id is not null,
    'service_tier': b.service_tier,
    'latency_ms': try_cast(j.latency_ms as double),
    'status': coalesce(b.status, j.response.status_code, 'completed'),
    'billed_cost_usd': try_cast(t.cost_text as decimal(38, 12)),
    'prefix_hash': coalesce(prefix_hash_of_json(msgs, lup), batch.prefix_hash),
    'prefix_chars': coalesce(prefix_chars_of_counts(chars_of_parts(parts), lup),
                             batch.prefix_chars),
    'variable_chars': coalesce(variable_chars_of_counts(chars_of_parts(parts), lup),
                               batch.variable_chars),
    -- (no metadata, user, custom_id or batch hints: '{}' without building and merging objects, 0.4 s of CPU per 1M)
    'hints': case when j.request.metadata is null and j.request."user" is null and j.custom_id is null
                       and batch.hints is null then '{}'::json
                  else json_merge_patch(coalesce(batch.hints, '{}'::json), json_merge_patch(
                      case when json_type(j.request.metadata) = 'OBJECT' then j.request.metadata else '{}'::json end,
                      json_object('user', j.request."user", 'custom_id', j.custom_id))) end
};
