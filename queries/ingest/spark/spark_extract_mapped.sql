-- spark_extract_mapped: the Spark SQL twin of extract_mapped: any CSV / JSONL / Parquet file through a
-- user column mapping (--map FIELD=COLUMN). Each :map_* parameter is a Spark JSON path such as
-- $['ContextTokens'] (a key no file has when not mapped). Relative timestamps (--start) are shifted to
-- absolute UTC seconds here. params: :map_*, :start, :ts_unit, :provider, :model
-- Reads the view spark_records, returns file_id and the EXTRACTED_COLUMNS of ftaudit/ingest/formats/__init__.py.
with v as (
    select file_id, source_line, raw,
           try_variant_get(v, :map_call_id, 'string') as f_call_id,
           try_variant_get(v, :map_ts, 'string') as f_ts,
           try_variant_get(v, :map_model, 'string') as f_model,
           try_variant_get(v, :map_input_tokens, 'string') as f_input,
           try_variant_get(v, :map_cache_read_tokens, 'string') as f_cache_read,
           try_variant_get(v, :map_cache_write_tokens, 'string') as f_cache_write,
           try_variant_get(v, :map_output_tokens, 'string') as f_output,
           try_variant_get(v, :map_reasoning_tokens, 'string') as f_reasoning,
           try_variant_get(v, :map_billed_cost_usd, 'string') as f_cost,
           try_variant_get(v, :map_latency_ms, 'string') as f_latency,
           try_variant_get(v, :map_service_tier, 'string') as f_tier,
           try_variant_get(v, :map_status, 'string') as f_status,
           try_variant_get(v, :map_workload, 'string') as f_workload
    from spark_records
    where problem is null
)
select
    file_id,
    source_line,
    raw,
    cast(null as string) as reader_problem,
    f_call_id as call_id,
    case when cast(:start as timestamp) is null then f_ts
         when try_cast(f_ts as double) is null then null
         else cast(unix_micros(cast(:start as timestamp)) / 1e6
                   + try_cast(f_ts as double) / case :ts_unit when 'ms' then 1e3 when 'us' then 1e6 else 1d end as string)
    end as ts_text,
    case when cast(:start as timestamp) is null then :ts_unit else 's' end as ts_unit,
    coalesce(:provider, 'custom') as provider,
    coalesce(f_model, :model) as model,
    false as is_bucket,
    '1' as request_count_text,
    f_input as input_text,
    true as input_is_total,
    f_cache_read as cache_read_text,
    f_cache_write as cache_write_text,
    cast(null as string) as cache_write_1h_text,
    f_output as output_text,
    f_reasoning as reasoning_text,
    false as is_batch,
    f_tier as service_tier,
    f_latency as latency_ms_text,
    f_status as status,
    f_cost as billed_cost_text,
    cast(null as string) as prefix_hash,
    cast(null as bigint) as prefix_chars,
    cast(null as bigint) as variable_chars,
    case when f_workload is not null then to_json(named_struct('workload', f_workload)) else '{}' end as hints
from v
