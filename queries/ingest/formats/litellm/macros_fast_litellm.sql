-- macros_fast_litellm: the fast path's columns of LiteLLM_SpendLogs rows (created on every connection with
-- queries/store/macros.sql: ftaudit.store.connection.create_macros).

-- FAST_COLUMNS (ftaudit/ingest/formats/__init__.py) of one SpendLogs row, from its cells as text `r` (a
-- CSV row read with every column VARCHAR: fast_stage_litellm_csv) and the JSON cells parsed once beside
-- it: `meta` (metadata), `tags` (request_tags), `msgs` (messages as JSON[] when an array) with its `parts`
-- and `lup` (litellm_message_parts: each message parsed once), `u` and `m`
-- (the lists of fields extract_litellm reads from `usage` and from `metadata`). Every value is computed
-- by the expression extract_litellm and validated_records use, so a taken row is stored as the careful
-- path stores it; `fast_ok` is false for a row the careful path rejects on its own (a cut JSON cell, a
-- failure status) and an optional count or the latency or cost present but unreadable leaves a NULL
-- that fast_insert_calls does not take.
create or replace temp macro litellm_fast_columns(r, meta, tags, msgs, parts, lup, u, m, not_fast) as {
    'fast_ok': not not_fast and lower(coalesce(r.status, m[7])) is distinct from 'failure'
               and (coalesce(r.request_duration_ms, r.endTime) is null
                    or try_cast(litellm_latency_text(r) as double) is not null)
               and (r.spend is null or try_cast(r.spend as decimal(38, 12)) is not null),
    'call_id': 'litellm:' || r.request_id,
    'ts': parse_ts(r.startTime, 'iso'),
    'provider': coalesce(nullif(r.custom_llm_provider, ''), 'litellm'),
    'model': coalesce(nullif(r.model, ''), nullif(r.model_group, '')),
    'input_tokens': tok(litellm_input_text(coalesce(r.prompt_tokens, u[1]), litellm_cache_read(r, m), coalesce(m[3], m[6]))),
    'cache_read_tokens': fast_optional_tok(litellm_cache_read(r, m)),
    'cache_write_tokens': fast_optional_tok(coalesce(m[3], m[6])),
    'cache_write_1h_tokens': 0::bigint,
    'output_tokens': tok(coalesce(r.completion_tokens, u[2])),
    'reasoning_tokens': fast_optional_tok(m[4]),
    'is_batch': false,
    'service_tier': null::varchar,
    'latency_ms': try_cast(litellm_latency_text(r) as double),
    'status': coalesce(r.status, m[7]),
    'billed_cost_usd': try_cast(r.spend as decimal(38, 12)),
    'prefix_hash': prefix_hash_of_json(msgs, lup),
    'prefix_chars': prefix_chars_of_counts(chars_of_parts(parts), lup),
    'variable_chars': variable_chars_of_counts(chars_of_parts(parts), lup),
    'hints': json_merge_patch(
        case when json_type(meta, '$.spend_logs_metadata') = 'OBJECT' then meta -> '$.spend_logs_metadata'
             else '{}'::json end,
        json_object('tags', case when json_type(tags) = 'ARRAY' and json_array_length(tags) > 0 then tags end,
                    'user_api_key_alias', m[8], 'team', coalesce(m[9], nullif(r.team_id, ''), m[10]),
                    'user', nullif(r.user, ''), 'end_user', nullif(r.end_user, ''), 'model_group', nullif(r.model_group, ''),
                    'call_type', r.call_type, 'session_id', r.session_id))
};

-- extract_litellm's cache reads: either spelling in usage_object (the larger wins), else
-- additional_usage_values, else the top-level column.
create or replace temp macro litellm_cache_read(r, m) as
    case when try_cast(m[2] as double) > coalesce(try_cast(m[1] as double), -1) then m[2]
         else coalesce(m[1], m[2], m[5], r.cache_read_input_tokens) end;

-- extract_litellm's input text: older LiteLLM added only cache reads to prompt_tokens.
create or replace temp macro litellm_input_text(prompt, cache_read, cache_write) as
    case when tok(prompt) >= coalesce(tok(cache_read), 0)
              and tok(prompt) < coalesce(tok(cache_read), 0) + coalesce(tok(cache_write), 0)
         then (tok(prompt) + tok(cache_write))::varchar
         else prompt end;

create or replace temp macro litellm_latency_text(r) as
    coalesce(r.request_duration_ms,
             (epoch_ms(try_cast(r.endTime as timestamptz)) - epoch_ms(try_cast(r.startTime as timestamptz)))::varchar);

-- validated_records' optional count: 0 when absent, NULL (not taken: the careful path says bad_type)
-- when present but not a whole number as `tok` reads it.
create or replace temp macro fast_optional_tok(s) as case when s is null then 0::bigint else tok(s) end;

-- The metadata fields extract_litellm reads (the list `m` above), from metadata parsed as JSON.
create or replace temp macro litellm_metadata_fields(meta) as
    json_extract_string(meta, ['$.usage_object.prompt_tokens_details.cached_tokens',
        '$.usage_object.cache_read_input_tokens', '$.usage_object.cache_creation_input_tokens',
        '$.usage_object.completion_tokens_details.reasoning_tokens',
        '$.additional_usage_values.cache_read_input_tokens',
        '$.additional_usage_values.cache_creation_input_tokens',
        '$.status', '$.user_api_key_alias', '$.user_api_key_team_alias', '$.user_api_key_team_id']);

-- Whether a CSV cell `s` meant to hold JSON is non-blank text that does not parse (`parsed`, its
-- try_cast as json, is NULL): json_cell_broken of queries/store/macros.sql, for a cell known to be text.
create or replace temp macro csv_json_cell_broken(s, parsed) as coalesce(parsed is null and trim(s) <> '', false);

