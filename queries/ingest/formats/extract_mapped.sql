-- extract_mapped: any CSV / JSONL / Parquet file through a user column mapping (--map FIELD=COLUMN).
-- Each $map_* parameter is a JSON path such as $."ContextTokens" (NULL when not mapped).
-- Relative timestamps (--start) are shifted to absolute UTC seconds here; input_tokens counts every
-- prompt token (cache included), as OpenAI does.
with v as (
    select source_line, raw,
           json_extract_string(js, [$map_call_id, $map_ts, $map_model, $map_input_tokens, $map_cache_read_tokens,
                                    $map_cache_write_tokens, $map_output_tokens, $map_reasoning_tokens,
                                    $map_billed_cost_usd, $map_latency_ms, $map_service_tier, $map_status,
                                    $map_workload]) as f
    from records
)
select
    source_line,
    record_ref(raw) as raw_ref,
    null::varchar as reader_problem,
    f[1] as call_id,
    case when $start is null then f[2]
         when try_cast(f[2] as double) is null then null
         else (epoch($start::timestamptz)
               + try_cast(f[2] as double) / case $ts_unit when 'ms' then 1e3 when 'us' then 1e6 else 1 end)::varchar
    end as ts_text,
    case when $start is null then $ts_unit else 's' end as ts_unit,
    coalesce($provider, 'custom') as provider,
    coalesce(f[3], $model) as model,
    false as is_bucket,
    '1' as request_count_text,
    f[4] as input_text,
    true as input_is_total,
    f[5] as cache_read_text,
    f[6] as cache_write_text,
    null::varchar as cache_write_1h_text,
    f[7] as output_text,
    f[8] as reasoning_text,
    false as is_batch,
    f[11] as service_tier,
    f[10] as latency_ms_text,
    f[12] as status,
    f[9] as billed_cost_text,
    null::varchar as prefix_hash,
    null::bigint as prefix_chars,
    null::bigint as variable_chars,
    case when f[13] is not null then json_object('workload', f[13]) else '{}'::json end as hints
from v
order by source_line
