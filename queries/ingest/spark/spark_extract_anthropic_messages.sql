-- spark_extract_anthropic_messages: the Spark SQL twin of extract_anthropic_messages: Message objects,
-- bare, in {"request", "response", "ts"} wrappers, or Message Batches results lines. Cache reads/writes
-- are outside usage.input_tokens (input_is_total false). Time: the --ts-field value, else the wrapper's ts.
-- params: :ts_path (Spark JSON path of the --ts-field key), :ts_unit, :ts_default (--ts, nullable)
-- Reads the view spark_records, returns file_id and the EXTRACTED_COLUMNS of ftaudit/ingest/formats/__init__.py.
with shaped as (
    select file_id, source_line, raw, v,
           case when try_variant_get(v, '$.result', 'map<string,variant>') is not null then try_variant_get(v, '$.result.message', 'variant')
                when try_variant_get(v, '$.response', 'map<string,variant>') is not null then try_variant_get(v, '$.response', 'variant')
                else v end as body,
           try_variant_get(v, '$.request', 'map<string,variant>') is not null as has_request,
           try_variant_get(v, '$.result', 'map<string,variant>') is not null and try_variant_get(v, '$.custom_id', 'string') is not null
               as is_batch_line,
           try_variant_get(v, :ts_path, 'string') as w_ts_field,
           try_variant_get(v, '$.ts', 'string') as w_ts,
           try_variant_get(v, '$.custom_id', 'string') as custom_id,
           try_variant_get(v, '$.result.type', 'string') as result_type,
           try_variant_get(v, '$.latency_ms', 'string') as latency_ms_text,
           try_variant_get(v, '$.request.model', 'string') as request_model,
           case when try_variant_get(v, '$.request.messages', 'array<variant>') is not null
                then from_json(get_json_object(raw, '$.request.messages'), 'array<string>') end as msgs0,
           -- the JSON text of the system prompt: a string (quoted here) or a list of blocks (as logged)
           case when try_variant_get(v, '$.request.system', 'array<variant>') is not null then get_json_object(raw, '$.request.system')
                when schema_of_variant(try_variant_get(v, '$.request.system', 'variant')) = 'STRING'
                    then to_json(try_variant_get(v, '$.request.system', 'variant')) end as system_json,
           map_concat(coalesce(try_variant_get(v, '$.metadata', 'map<string,variant>'), cast(map() as map<string, variant>)),
                      coalesce(try_variant_get(v, '$.request.metadata', 'map<string,variant>'), cast(map() as map<string, variant>)),
                      map('custom_id', cast(try_variant_get(v, '$.custom_id', 'string') as variant))) as hint_map
    from spark_records
    where problem is null
),
fields as (
    select *,
           try_variant_get(body, '$.type', 'string') as body_type,
           coalesce(try_variant_get(body, '$.usage', 'map<string,variant>') is not null, false) as has_usage,
           try_variant_get(body, '$.usage.cache_creation_input_tokens', 'string') as cache_creation_text,
           try_variant_get(body, '$.usage.cache_creation.ephemeral_5m_input_tokens', 'string') as write_5m_text,
           try_variant_get(body, '$.usage.cache_creation.ephemeral_1h_input_tokens', 'string') as write_1h_text,
           try_variant_get(body, '$.usage.service_tier', 'string') as tier,
           with_system_message(system_json, case when has_request then msgs0 end) as msgs
    from shaped
)
select
    file_id,
    source_line,
    raw,
    case when is_batch_line and result_type is distinct from 'succeeded' then 'api_error'
         when body_type = 'error' then 'api_error'
         when not is_batch_line and not has_usage and body_type is distinct from 'message' then 'not_a_call'
         when coalesce(w_ts_field, w_ts) is null and cast(:ts_default as timestamp) is null then 'bad_timestamp'
    end as reader_problem,
    try_variant_get(body, '$.id', 'string') as call_id,
    coalesce(w_ts_field, w_ts) as ts_text,
    case when w_ts_field is not null then :ts_unit else 's' end as ts_unit,
    'anthropic' as provider,
    coalesce(try_variant_get(body, '$.model', 'string'), request_model) as model,
    false as is_bucket,
    '1' as request_count_text,
    try_variant_get(body, '$.usage.input_tokens', 'string') as input_text,
    false as input_is_total,
    try_variant_get(body, '$.usage.cache_read_input_tokens', 'string') as cache_read_text,
    -- cache_creation_input_tokens = 5m + 1h writes, some dumps carry only the split
    case when cache_creation_text is not null then cache_creation_text
         when tok_problem(write_5m_text, false) is not null then write_5m_text
         when tok_problem(write_1h_text, false) is not null then write_1h_text
         when write_5m_text is not null or write_1h_text is not null
             then cast(coalesce(tok(write_5m_text), 0) + coalesce(tok(write_1h_text), 0) as string)
    end as cache_write_text,
    write_1h_text as cache_write_1h_text,
    try_variant_get(body, '$.usage.output_tokens', 'string') as output_text,
    try_variant_get(body, '$.usage.output_tokens_details.thinking_tokens', 'string') as reasoning_text,
    is_batch_line or coalesce(tier = 'batch', false) as is_batch,
    tier as service_tier,
    latency_ms_text,
    try_variant_get(body, '$.stop_reason', 'string') as status,
    cast(null as string) as billed_cost_text,
    md5(
    -- escaped surrogate pairs put back as the characters they are (see prefix_text_of)
        case when prefix_text is null or not (prefix_text rlike '\\\\uD[89AB][0-9A-F]{2}\\\\uD[C-F][0-9A-F]{2}') then prefix_text
        else aggregate(
            arrays_zip(regexp_extract_all(prefix_text, '\\\\u(D[89AB][0-9A-F]{2})\\\\u(D[C-F][0-9A-F]{2})', 1), regexp_extract_all(prefix_text, '\\\\u(D[89AB][0-9A-F]{2})\\\\u(D[C-F][0-9A-F]{2})', 2),
                       slice(split(prefix_text, '\\\\uD[89AB][0-9A-F]{2}\\\\uD[C-F][0-9A-F]{2}'), 2, size(split(prefix_text, '\\\\uD[89AB][0-9A-F]{2}\\\\uD[C-F][0-9A-F]{2}')) - 1)),
            split(prefix_text, '\\\\uD[89AB][0-9A-F]{2}\\\\uD[C-F][0-9A-F]{2}')[0],
            (acc, e) -> concat(acc, decode(unhex(concat(
                hex(240 + shiftright((65536 + (cast(conv(e.`0`, 16, 10) as int) - 55296) * 1024 + (cast(conv(e.`1`, 16, 10) as int) - 56320)), 18)), hex(128 + (shiftright((65536 + (cast(conv(e.`0`, 16, 10) as int) - 55296) * 1024 + (cast(conv(e.`1`, 16, 10) as int) - 56320)), 12) & 63)),
                hex(128 + (shiftright((65536 + (cast(conv(e.`0`, 16, 10) as int) - 55296) * 1024 + (cast(conv(e.`1`, 16, 10) as int) - 56320)), 6) & 63)), hex(128 + ((65536 + (cast(conv(e.`0`, 16, 10) as int) - 55296) * 1024 + (cast(conv(e.`1`, 16, 10) as int) - 56320)) & 63)))), 'UTF-8'), e.`2`))
        end
    ) as prefix_hash,
    prefix_chars_of(msgs) as prefix_chars,
    variable_chars_of(msgs) as variable_chars,
    json_hints(hint_map) as hints
from (select *, prefix_text_of(msgs) as prefix_text from fields)
