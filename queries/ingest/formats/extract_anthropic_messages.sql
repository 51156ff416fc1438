-- extract_anthropic_messages: Anthropic Message objects, bare, in {"request", "response", "ts"} wrappers,
-- or as Message Batches results lines {"custom_id", "result": {"type", "message"}}. See log-formats.md
-- section 4. Cache reads/writes are outside usage.input_tokens (input_is_total false: the validator adds
-- them). A Message has no time: the --ts-field value, else the wrapper's ts, else $ts_default (--ts, or
-- the ended_at of the Message Batch object beside a results file), else bad_timestamp (batch results
-- without any time refuse the whole file instead: refuse_untimed_batch_results).
-- params: $ts_path (JSON path of the --ts-field key), $ts_unit (unit of a numeric --ts-field value),
-- $ts_default TIMESTAMPTZ (nullable)
-- Returns the EXTRACTED_COLUMNS of ftaudit/formats/__init__.py.
with shaped as (
    select source_line, raw, js,
           case when json_type(js, '$.result') = 'OBJECT' then js -> '$.result.message'
                when json_type(js, '$.response') = 'OBJECT' then js -> '$.response'
                else js end as body,
           case when json_type(js, '$.request') = 'OBJECT' then js -> '$.request' end as request,
           json_type(js, '$.result') = 'OBJECT' and (js ->> '$.custom_id') is not null as is_batch_line,
           json_extract_string(js, [$ts_path, '$.ts', '$.custom_id', '$.result.type', '$.latency_ms',
                                    '$.request.model']) as w
    from records
),
fields as (
    select *,
           json_extract_string(body, ['$.id', '$.type', '$.model', '$.stop_reason',
               '$.usage.input_tokens', '$.usage.cache_read_input_tokens', '$.usage.cache_creation_input_tokens',
               '$.usage.cache_creation.ephemeral_5m_input_tokens', '$.usage.cache_creation.ephemeral_1h_input_tokens',
               '$.usage.output_tokens', '$.usage.output_tokens_details.thinking_tokens', '$.usage.service_tier'
           ]) as f,
           coalesce(json_type(body, '$.usage') = 'OBJECT', false) as has_usage,
           case when json_type(request, '$.messages') = 'ARRAY' then cast(request -> '$.messages' as json[]) end
               as msgs0,
           case when json_type(request, '$.system') in ('VARCHAR', 'ARRAY') then request -> '$.system' end as system,
           json_merge_patch(  -- merge_patch drops keys whose value is null
               case when json_type(js, '$.metadata') = 'OBJECT' then js -> '$.metadata' else '{}'::json end,
               case when json_type(request, '$.metadata') = 'OBJECT' then request -> '$.metadata' else '{}'::json end,
               json_object('custom_id', w[3])
           ) as hints
    from shaped
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when is_batch_line and w[4] is distinct from 'succeeded' then 'api_error'
         when f[2] = 'error' then 'api_error'
         when not is_batch_line and not has_usage and f[2] is distinct from 'message' then 'not_a_call'
         when coalesce(w[1], w[2]) is null and $ts_default is null then 'bad_timestamp'
    end as reader_problem,
    f[1] as call_id,
    coalesce(w[1], w[2]) as ts_text,
    case when w[1] is not null then $ts_unit else 's' end as ts_unit,
    'anthropic' as provider,
    coalesce(f[3], w[6]) as model,
    false as is_bucket,
    '1' as request_count_text,
    f[5] as input_text,
    false as input_is_total,
    f[6] as cache_read_text,
    -- cache_creation_input_tokens = 5m + 1h writes; some dumps carry only the split
    case when f[7] is not null then f[7]
         when tok_problem(f[8], false) is not null then f[8]
         when tok_problem(f[9], false) is not null then f[9]
         when f[8] is not null or f[9] is not null then (coalesce(tok(f[8]), 0) + coalesce(tok(f[9]), 0))::varchar
    end as cache_write_text,
    f[9] as cache_write_1h_text,
    f[10] as output_text,
    f[11] as reasoning_text,
    is_batch_line or coalesce(f[12] = 'batch', false) as is_batch,
    f[12] as service_tier,
    w[5] as latency_ms_text,
    f[4] as status,
    null::varchar as billed_cost_text,
    prefix_hash_of(msgs) as prefix_hash,
    prefix_chars_of(msgs) as prefix_chars,
    variable_chars_of(msgs) as variable_chars,
    hints
from (
    select *,
           with_system_message(system, msgs0) as msgs
    from fields
)
order by source_line
