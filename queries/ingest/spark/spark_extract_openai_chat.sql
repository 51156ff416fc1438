-- spark_extract_openai_chat: the Spark SQL twin of extract_openai for Chat Completion objects, bare or as
-- {"request", "response"} pairs (and Batch output lines, without a Batch input file's prefix hash).
-- Reads the view spark_records(file_id, source_line, raw, v VARIANT, problem); returns file_id and the
-- EXTRACTED_COLUMNS of ftaudit/ingest/formats/__init__.py.
with shaped as (
    select file_id, source_line, raw, v,
           coalesce(try_variant_get(v, '$.response.body', 'variant'), try_variant_get(v, '$.response', 'variant'), v) as body,
           case when try_variant_get(v, '$.request.messages', 'array<variant>') is not null
                then from_json(get_json_object(raw, '$.request.messages'), 'array<string>') end as msgs,
           coalesce(try_variant_get(v, '$.request.metadata', 'map<string,variant>'), cast(map() as map<string, variant>)) as metadata,
           try_variant_get(v, '$.request.user', 'string') as user_hint,
           try_variant_get(v, '$.custom_id', 'string') as custom_id,
           coalesce(not is_variant_null(try_variant_get(v, '$.error', 'variant')), false)
               and coalesce(is_variant_null(try_variant_get(v, '$.response', 'variant')), true) as failed
    from spark_records
    where problem is null
)
select
    file_id,
    source_line,
    raw,
    case when failed then 'api_error' end as reader_problem,
    coalesce(try_variant_get(body, '$.id', 'string'), 'batch:' || custom_id) as call_id,
    coalesce(try_variant_get(v, '$.ts', 'string'), try_variant_get(body, '$.created', 'string'),
             try_variant_get(body, '$.created_at', 'string')) as ts_text,
    's' as ts_unit,
    'openai' as provider,
    try_variant_get(body, '$.model', 'string') as model,
    false as is_bucket,
    '1' as request_count_text,
    coalesce(try_variant_get(body, '$.usage.prompt_tokens', 'string'), try_variant_get(body, '$.usage.input_tokens', 'string'))
        as input_text,
    true as input_is_total,
    coalesce(try_variant_get(body, '$.usage.prompt_tokens_details.cached_tokens', 'string'),
             try_variant_get(body, '$.usage.input_tokens_details.cached_tokens', 'string')) as cache_read_text,
    coalesce(try_variant_get(body, '$.usage.prompt_tokens_details.cache_write_tokens', 'string'),
             try_variant_get(body, '$.usage.input_tokens_details.cache_write_tokens', 'string')) as cache_write_text,
    cast(null as string) as cache_write_1h_text,
    coalesce(try_variant_get(body, '$.usage.completion_tokens', 'string'), try_variant_get(body, '$.usage.output_tokens', 'string'))
        as output_text,
    coalesce(try_variant_get(body, '$.usage.completion_tokens_details.reasoning_tokens', 'string'),
             try_variant_get(body, '$.usage.output_tokens_details.reasoning_tokens', 'string')) as reasoning_text,
    custom_id is not null as is_batch,
    try_variant_get(body, '$.service_tier', 'string') as service_tier,
    try_variant_get(v, '$.latency_ms', 'string') as latency_ms_text,
    coalesce(try_variant_get(body, '$.status', 'string'), try_variant_get(v, '$.response.status_code', 'string'), 'completed')
        as status,
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
    json_hints(map_concat(metadata, map('user', cast(user_hint as variant), 'custom_id', cast(custom_id as variant)))) as hints
from (select *, prefix_text_of(msgs) as prefix_text from shaped)
