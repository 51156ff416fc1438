-- spark_extract_openai_chat: the Spark SQL twin of extract_openai for Chat Completion objects, bare or as
-- {"request", "response"} pairs (and Batch output lines, without a Batch input file's prefix hash); streamed
-- chat.completion.chunk lines (the one with usage is the call, the others superseded), OpenRouter's usage.cost,
-- output = total - prompt when total_tokens exceeds prompt + completion.
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
),
counts as (
    select *,
           try_variant_get(body, '$.object', 'string') as object,
           try_variant_get(body, '$.id', 'string') as body_id,
           coalesce(try_variant_get(body, '$.usage', 'map<string,variant>') is not null, false) as has_usage,
           coalesce(try_variant_get(body, '$.usage.prompt_tokens', 'string'), try_variant_get(body, '$.usage.input_tokens', 'string'))
               as prompt,
           coalesce(try_variant_get(body, '$.usage.completion_tokens', 'string'), try_variant_get(body, '$.usage.output_tokens', 'string'))
               as completion,
           coalesce(try_variant_get(body, '$.usage.completion_tokens_details.reasoning_tokens', 'string'),
                    try_variant_get(body, '$.usage.output_tokens_details.reasoning_tokens', 'string')) as reasoning,
           try_variant_get(body, '$.usage.total_tokens', 'string') as total,
           try_variant_get(body, '$.usage.cost', 'string') as cost
    from shaped
),
snapshots as (
    select *,
           case when tok(prompt) >= 0 and tok(completion) >= 0 then tok(total) - tok(prompt) - tok(completion) end as hidden_output,
           (object = 'chat.completion.chunk' and not has_usage)
           or (object = 'response' and try_variant_get(body, '$.status', 'string') in ('queued', 'in_progress'))
           or (object = 'chat.completion.chunk' and body_id is not null
               and coalesce(tok(total), tok(prompt) + tok(completion), -1)
                   < max(coalesce(tok(total), tok(prompt) + tok(completion), -1)) over (partition by file_id, object, body_id))
               as superseded
    from counts
)
select
    file_id,
    source_line,
    raw,
    case when superseded then 'superseded' when failed then 'api_error' end as reader_problem,
    coalesce(try_variant_get(body, '$.id', 'string'), 'batch:' || custom_id) as call_id,
    coalesce(try_variant_get(v, '$.ts', 'string'), try_variant_get(body, '$.created', 'string'),
             try_variant_get(body, '$.created_at', 'string')) as ts_text,
    's' as ts_unit,
    case when cost is not null or body_id like 'gen-%' then 'openrouter' else 'openai' end as provider,
    try_variant_get(body, '$.model', 'string') as model,
    false as is_bucket,
    '1' as request_count_text,
    prompt as input_text,
    true as input_is_total,
    coalesce(try_variant_get(body, '$.usage.prompt_tokens_details.cached_tokens', 'string'),
             try_variant_get(body, '$.usage.input_tokens_details.cached_tokens', 'string')) as cache_read_text,
    coalesce(try_variant_get(body, '$.usage.prompt_tokens_details.cache_write_tokens', 'string'),
             try_variant_get(body, '$.usage.input_tokens_details.cache_write_tokens', 'string')) as cache_write_text,
    cast(null as string) as cache_write_1h_text,
    case when hidden_output > 0 then cast(tok(completion) + hidden_output as string) else completion end as output_text,
    case when hidden_output > 0 and reasoning is null then cast(hidden_output as string) else reasoning end as reasoning_text,
    custom_id is not null as is_batch,
    try_variant_get(body, '$.service_tier', 'string') as service_tier,
    try_variant_get(v, '$.latency_ms', 'string') as latency_ms_text,
    coalesce(try_variant_get(body, '$.status', 'string'), try_variant_get(v, '$.response.status_code', 'string'), 'completed')
        as status,
    cost as billed_cost_text,  -- OpenRouter: the amount charged for the call (USD)
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
from (select *, prefix_text_of(msgs) as prefix_text from snapshots)
