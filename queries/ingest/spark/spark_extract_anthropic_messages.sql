-- spark_extract_anthropic_messages: step 2 of the Spark SQL twin of extract_anthropic_messages, over the
-- materialised fields of step 1 (spark_anthropic_fields): Message objects, bare, in {"request", "response",
-- "ts"} wrappers, or Message Batches results lines. Cache reads/writes are outside usage.input_tokens
-- (input_is_total false). Time: the --ts-field value, else the wrapper's ts, else --ts.
-- params: :ts_unit, :ts_default (--ts, nullable)
-- Reads the view spark_anthropic_fields, returns file_id and the EXTRACTED_COLUMNS of ftaudit/ingest/formats/__init__.py.
select
    file_id,
    source_line,
    raw,
    case when is_batch_line and result_type is distinct from 'succeeded' then 'api_error'
         when body_type = 'error' then 'api_error'
         when not is_batch_line and not has_usage and body_type is distinct from 'message' then 'not_a_call'
         when coalesce(w_ts_field, w_ts) is null and cast(:ts_default as timestamp) is null then 'bad_timestamp'
    end as reader_problem,
    call_id,
    coalesce(w_ts_field, w_ts) as ts_text,
    case when w_ts_field is not null then :ts_unit else 's' end as ts_unit,
    'anthropic' as provider,
    coalesce(body_model, request_model) as model,
    false as is_bucket,
    '1' as request_count_text,
    input_text,
    false as input_is_total,
    cache_read_text,
    -- cache_creation_input_tokens = 5m + 1h writes, some dumps carry only the split
    case when cache_creation_text is not null then cache_creation_text
         when tok_problem(write_5m_text, false) is not null then write_5m_text
         when tok_problem(write_1h_text, false) is not null then write_1h_text
         when write_5m_text is not null or write_1h_text is not null
             then cast(coalesce(tok(write_5m_text), 0) + coalesce(tok(write_1h_text), 0) as string)
    end as cache_write_text,
    write_1h_text as cache_write_1h_text,
    output_text,
    reasoning_text,
    is_batch_line or coalesce(service_tier = 'batch', false) as is_batch,
    service_tier,
    latency_ms_text,
    status,
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
    hints
from (select *, prefix_text_of(msgs) as prefix_text from spark_anthropic_fields)
