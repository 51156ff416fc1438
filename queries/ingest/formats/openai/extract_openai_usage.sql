-- extract_openai_usage: OpenAI Usage API completions results, one bucket row per result (the engine
-- unwraps pages into buckets; an idle bucket with "results": [] yields no row). See log-formats.md
-- section 3. Returns the EXTRACTED_COLUMNS. input_tokens includes cached and cache-write tokens.
-- call_id = bucket start + every grouping key, so overlapping exports dedupe.
with results as (select * from openai_bucket_results('records')),
fields as (
    select *,
           json_extract_string(res, ['$.model', '$.project_id', '$.user_id', '$.api_key_id', '$.batch',
               '$.service_tier', '$.num_model_requests', '$.input_tokens', '$.input_cached_tokens',
               '$.input_cache_write_tokens', '$.output_tokens']) as f
    from results
)
select
    source_line,
    record_ref(raw) as raw_ref,
    problem as reader_problem,
    'openai_usage:' || json_array(start_time, f[2], f[3], f[4], f[1], f[5], f[6])::varchar as call_id,
    start_time as ts_text,
    's' as ts_unit,
    'openai' as provider,
    f[1] as model,
    true as is_bucket,
    f[7] as request_count_text,
    f[8] as input_text,
    true as input_is_total,
    f[9] as cache_read_text,
    f[10] as cache_write_text,
    null::varchar as cache_write_1h_text,
    f[11] as output_text,
    null::varchar as reasoning_text,
    f[5] = 'true' as is_batch,
    f[6] as service_tier,
    null::varchar as latency_ms_text,
    null::varchar as status,
    null::varchar as billed_cost_text,
    null::varchar as prefix_hash,
    null::bigint as prefix_chars,
    null::bigint as variable_chars,
    json_merge_patch('{}', json_object('project_id', f[2], 'api_key_id', f[4], 'user', f[3])) as hints
from fields
order by source_line, nth
