-- macros: helpers every parsing query shares, created as temp macros on each connection.

-- An integer token count from JSON/CSV text: NULL unless it is a whole number (12, "12", 12.0).
-- A count of 1e15 or more is no call's (and would overflow sums): both paths refuse it (TOKEN_BOUND).
create or replace temp macro tok(s) as
    case when try_cast(s as double) = floor(try_cast(s as double))
              and abs(try_cast(s as double)) < 1e15
         then try_cast(s as double)::bigint end;

-- Why a token text is not a count: NULL when fine (or absent and optional).
create or replace temp macro tok_problem(s, required) as
    case when s is null then (case when required then 'missing_field' end)
         when tok(s) is null then 'bad_type'
         when tok(s) < 0 then 'negative_tokens' end;

-- A timestamp from epoch seconds, never an error: NULL for NaN, +/-infinity past what a timestamp holds
-- (1e20 seconds is "in the future", not a conversion error that refuses the whole file).
create or replace temp macro epoch_ts(secs) as
    case when abs(secs) < 1e12 then to_timestamp(secs)  -- NaN compares greater than any number
         when secs > 0 and isfinite(secs) then 'infinity'::timestamptz
         when secs < 0 and isfinite(secs) then '-infinity'::timestamptz end;

-- A timestamp from epoch seconds/ms/us or ISO-8601 text (naive ISO is taken as UTC).
create or replace temp macro parse_ts(s, unit) as
    case when s is null then null
         when try_cast(s as double) is not null then
             epoch_ts(try_cast(s as double) / case unit when 'ms' then 1e3 when 'us' then 1e6 else 1 end)
         else try_cast(s as timestamptz)  -- the session time zone is UTC, so naive text is UTC
    end;

-- Why a timestamp is refused (the detail of a bad_timestamp reject), NULL when it is fine.
create or replace temp macro ts_problem(s, parsed, floor_ts, ceiling_ts) as
    case when parsed is null and try_cast(s as double) is not null then 'not a finite number'
         when parsed is null then 'not a number nor an ISO-8601 date'
         when parsed < floor_ts then 'before ' || strftime(floor_ts, '%Y-%m-%d')
         when parsed > ceiling_ts then 'in the future (after ' || strftime(ceiling_ts, '%Y-%m-%d %H:%M UTC') || ')' end;

-- The model a fine-tune derives from: ft:gpt-4o-mini-2024-07-18:acme::abc -> gpt-4o-mini-2024-07-18;
-- Azure style gpt-4o-mini-2024-07-18.ft-abc -> gpt-4o-mini-2024-07-18.
create or replace temp macro base_model_of(m) as
    case when m like 'ft:%' then split_part(m, ':', 2)
         when m like '%.ft-%' then split_part(m, '.ft-', 1)
         else m end;

create or replace temp macro is_fine_tuned_model(m) as (m like 'ft:%' or m like '%.ft-%');

-- Identity of a call's billable content; equal hashes under one call_id are true duplicates.
create or replace temp macro call_content_hash(ts, model, input_tokens, cache_read, cache_write, output_tokens, cost) as
    hash(ts, model, input_tokens, cache_read, cache_write, output_tokens, cost::varchar);

-- Characters of a chat message's content (a string, or the JSON text of a list of parts).
create or replace temp macro message_chars(m) as length(coalesce(json_extract_string(m, '$.content'), ''));

-- 1-based position of the last user message in a JSON[] of chat messages (NULL if none).
create or replace temp macro last_user_position(msgs) as
    len(msgs) + 1 - list_position(list_reverse(list_transform(msgs, lambda m: json_extract_string(m, '$.role'))), 'user');

-- A request's chat messages with its separate system prompt (Anthropic / Bedrock `system`, Gemini
-- `systemInstruction`, OpenAI Responses `instructions`) put first, as a system message.
create or replace temp macro with_system_message(system, msgs) as
    case when system is not null and msgs is not null
         then list_prepend(json_object('role', 'system', 'content', system), msgs)
         else msgs end;

-- md5 of a static prefix's text. The text may be one of the file's common prefixes, hashed once before the
-- file (ftaudit/ingest/prefix_sample.py: the map ftaudit_prefix_md5, text -> md5(text)); the result is
-- md5(text) either way. While that module samples a file (ftaudit_prefix_collect), the text itself.
create or replace temp macro prefix_md5(text) as
    case when getvariable('ftaudit_prefix_collect') then text
         else coalesce(getvariable('ftaudit_prefix_md5')[text], md5(text)) end;

-- Static prefix = every message before the last user turn; its md5 names the workload's prompt.
create or replace temp macro prefix_hash_of(msgs) as
    case when last_user_position(msgs) > 1 then prefix_md5(list_slice(msgs, 1, last_user_position(msgs) - 1)::varchar) end;

create or replace temp macro prefix_chars_of(msgs) as
    case when last_user_position(msgs) is not null
         then coalesce(list_sum(list_transform(list_slice(msgs, 1, last_user_position(msgs) - 1), lambda m: message_chars(m))), 0) end;

create or replace temp macro variable_chars_of(msgs) as
    case when last_user_position(msgs) is not null
         then coalesce(list_sum(list_transform(list_slice(msgs, last_user_position(msgs), len(msgs)), lambda m: message_chars(m))), 0) end;

-- The fast path's cheaper tok: an integer written the plain way (JSON numbers arrive as text), else
-- NULL, so the row is not taken and the careful path decides. The text must read back unchanged:
-- try_cast alone would also take "0x10", "0b1" or 5e-1 (as 1), which tok rejects.
-- The same bound as tok: below 1e15 either way.
create or replace temp macro tok_int(s) as
    case when try_cast(s as bigint)::varchar = s and try_cast(s as bigint) between -999999999999999 and 999999999999999
         then try_cast(s as bigint) end;

-- The cost in USD of a call (or a group of calls) from its token leaves and one replay_prices row's
-- rates: tokens x rate per 1M tokens, output leaves x output_ratio, requests x rate per 1K requests.
-- The one place replay prices tokens, per call (replay_call_costs) and per day (replay_daily).
create or replace temp macro leaves_cost_usd(uncached, cache_read, cache_write_5m, cache_write_1h, output_other, reasoning,
                                             output_ratio, requests, input_rate, cache_read_rate, cache_write_rate,
                                             cache_write_1h_rate, output_rate, reasoning_rate, requests_rate) as
    (uncached * input_rate + cache_read * cache_read_rate + cache_write_5m * cache_write_rate
     + cache_write_1h * cache_write_1h_rate + (output_other * output_rate + reasoning * reasoning_rate) * output_ratio) * 0.000001
    + requests * requests_rate * 0.001;

-- Whether a text field starts as a JSON number would (a digit or '-'; by byte order, so '.' and '/' too):
-- false for NULL.
create or replace temp macro looks_numeric(v) as coalesce(v >= '-' and v < ':', false);

-- An optional token count on the fast path: 0 when absent, NULL (the row is not taken) when present
-- but not a plain whole number.
create or replace temp macro fast_optional(s) as case when s is null then 0::bigint else tok_int(s) end;

-- Whether a call's time falls in [since, until); a NULL bound is open.
create or replace temp macro in_window(call_ts, since, until) as
    (since is null or call_ts >= since) and (until is null or call_ts < until);

-- The workload / model / time filter of the stats and report queries (ftaudit.workload_stats.Filters):
-- a NULL filter matches every call.
create or replace temp macro matches_filters(call_workload, call_model, call_ts, workload, model, since, until) as
    (workload is null or call_workload = workload) and (model is null or call_model = model)
    and in_window(call_ts, since, until);

-- The results of OpenAI bucket pages (Usage and Costs APIs, log-formats.md section 3), one row per
-- result: its bucket's start and end, the text a reject shows, and a problem when the result is not an
-- object or the bucket has no results array (then one row with result NULL). Takes the staged records'
-- table name ('records'): a table macro binds the tables it names when it is created.
create or replace temp macro openai_bucket_results(records_table) as table
    select r.source_line, u.nth, r.js ->> '$.start_time' as start_time, r.js ->> '$.end_time' as end_time,
           json_object('start_time', r.js -> '$.start_time', 'end_time', r.js -> '$.end_time', 'result', u.res)::varchar
               as raw,
           u.res,
           case when json_type(u.res) <> 'OBJECT' then 'bad_type' end as problem
    from query_table(records_table) r, unnest(cast(r.js -> '$.results' as json[])) with ordinality as u(res, nth)
    where json_type(r.js, '$.results') = 'ARRAY'
    union all
    select source_line, 0, js ->> '$.start_time', js ->> '$.end_time', raw, null::json, 'missing_field'
    from query_table(records_table)
    where coalesce(json_type(js, '$.results'), '') <> 'ARRAY';

-- A JSON field of a record that may also arrive as JSON text (a CSV export's map and list columns,
-- Helicone's request_body): the JSON either way; NULL when the text does not parse.
create or replace temp macro json_cell(js, path) as
    case when json_type(js, path) = 'VARCHAR' then try_cast(js ->> path as json) else js -> path end;

-- Whether such a field is text that does not parse (a CSV cell cut off by the export).
create or replace temp macro json_cell_broken(js, path) as
    json_type(js, path) = 'VARCHAR' and trim(js ->> path) <> '' and try_cast(js ->> path as json) is null;

-- Whether a staged JSON object is a page of an export API: a `data` array beside nothing but paging keys
-- (keep in step with ftaudit/ingest/containers.PAGE_KEYS). Its items are the records.
create or replace temp macro is_export_page(js) as
    coalesce(json_type(js, '$.data') = 'ARRAY'
             and list_has_all(['data', 'has_more', 'next_page', 'meta', 'object', 'error', 'total', 'page',
                               'page_size', 'total_pages', 'first_id', 'last_id', 'limit', 'offset'], json_keys(js)),
             false);

-- What a staged value is (containers/stage_*.sql), decided once when it is staged so that no later step
-- parses it again to ask: NULL (not JSON), 'other' (JSON, not an object: rejected as not_an_object),
-- 'page' (an export page: its items are the records), 'wrapper' ({"data": {...}}: the object inside is
-- the record), 'object' (a record).
create or replace temp macro record_kind(js) as
    case when js is null then null
         when json_type(js) <> 'OBJECT' then 'other'
         when is_export_page(js) then 'page'
         when coalesce(json_keys(js) = ['data'] and json_type(js, '$.data') = 'OBJECT', false) then 'wrapper'
         else 'object' end;

-- The excerpt of a record that a reject keeps (rejects.raw_prefix): its first 200 characters.
create or replace temp macro record_excerpt(raw) as left(raw, 200);

-- What the steps after a reader keep of a record's text (extracted, validated, classified): its md5 (the
-- call id of a record without one) and its excerpt (a reject's), not the text.
create or replace temp macro record_ref(raw) as {'md5': md5(raw), 'head': record_excerpt(raw)};

-- The shape of a record as format detection sees it (ftaudit/ingest/per_line.py): its keys and those
-- of the objects readers look into, the fields that name an object's kind, and which fields are objects.
-- Lines of one format share a few shapes; a line of another format has another shape.
create or replace temp macro record_shape(js) as hash(
    list_transform(json_keys(js, ['$', '$.response', '$.response.body', '$.result', '$.result.message']),
                   lambda k: list_sort(k)),
    json_extract_string(js, ['$.object', '$.type', '$.schemaType', '$.response.object', '$.response.type',
                             '$.response.body.object', '$.result.type', '$.result.message.type']),
    json_type(js, ['$.usage', '$.response.usage', '$.response.body.usage', '$.usageMetadata',
                   '$.response.usageMetadata', '$.usage_metadata', '$.response.usage_metadata', '$.body', '$.results'])
)::varchar;

-- A JSON field that may also arrive as JSON text (json_cell above, for a field a fast stage read as JSON
-- `v`, which json_transform writes minified: a string starts with '"'): the JSON either way, NULL when
-- the text does not parse; and whether it is such text (json_cell_broken).
create or replace temp macro json_text_cell(v) as
    case when starts_with(v, '"') then try_cast(v ->> '$' as json) else v end;
create or replace temp macro json_text_cell_broken(v) as
    coalesce(starts_with(v, '"') and trim(v ->> '$') <> '' and try_cast(v ->> '$' as json) is null, false);

-- json_type of a value, without parsing it when its text opens with '[' or '{' (json_transform's JSON).
create or replace temp macro json_kind(v) as
    case when starts_with(v, '[') then 'ARRAY' when starts_with(v, '{') then 'OBJECT' else json_type(v) end;

-- Whether a text field read as VARCHAR by json_transform may differ from the text json_extract_string
-- gives the careful path: a JSON number printed with an exponent (1e16 reads '1e+16' there,
-- '10000000000000000.0' here). Such a record goes the careful way.
create or replace temp macro number_text_differs(v) as coalesce(contains(v, 'e') and try_cast(v as double) is not null, false);

-- The fast path's FAST_COLUMNS (ftaudit/ingest/formats/__init__.py) from a record's EXTRACTED_COLUMNS as
-- text, typed by validated_records' own expressions (a fast stage that computes a reader's extract
-- expressions over a record parsed once): a present optional count, latency or cost that
-- validated_records would refuse leaves a NULL, so fast_insert_calls does not take the record; a record
-- without a time is left to the careful path (--ts). `msgs`: the request's chat messages as JSON[].
create or replace temp macro fast_columns_of_texts(ok, call_id, ts_text, ts_unit, provider, model, input_text,
        input_is_total, cache_read_text, cache_write_text, cache_write_1h_text, output_text, reasoning_text,
        service_tier, latency_ms_text, status, billed_cost_text, msgs, hints) as {
    'fast_ok': ok and (latency_ms_text is null or try_cast(latency_ms_text as double) is not null)
               and (billed_cost_text is null or try_cast(billed_cost_text as decimal(38, 12)) is not null),
    'call_id': call_id,
    'ts': parse_ts(ts_text, ts_unit),
    'provider': provider,
    'model': model,
    'input_tokens': case when input_is_total then tok(input_text)
                         else tok(input_text) + coalesce(tok(cache_read_text), 0) + coalesce(tok(cache_write_text), 0) end,
    'cache_read_tokens': case when cache_read_text is null then 0::bigint else tok(cache_read_text) end,
    'cache_write_tokens': case when cache_write_text is null then 0::bigint else tok(cache_write_text) end,
    'cache_write_1h_tokens': case when cache_write_1h_text is null then 0::bigint else tok(cache_write_1h_text) end,
    'output_tokens': tok(output_text),
    'reasoning_tokens': case when reasoning_text is null then 0::bigint else tok(reasoning_text) end,
    'is_batch': false,
    'service_tier': service_tier,
    'latency_ms': try_cast(latency_ms_text as double),
    'status': status,
    'billed_cost_usd': try_cast(billed_cost_text as decimal(38, 12)),
    'prefix_hash': prefix_hash_of(msgs),
    'prefix_chars': prefix_chars_of(msgs),
    'variable_chars': variable_chars_of(msgs),
    'hints': hints
};
