-- extract_openrouter_activity: OpenRouter /activity items (JSON {"data": [...]} or a CSV with the same
-- field names), one bucket row per UTC day and grouping. See log-formats.md section 9. Returns the
-- EXTRACTED_COLUMNS. prompt_tokens include cached tokens (not split out); usage is USD billed by
-- OpenRouter (BYOK inference is billed by the upstream provider and kept as a hint).
-- call_id = day + every grouping key, so overlapping exports (JSON or CSV) dedupe.
with fields as (
    select source_line, raw,
           json_extract_string(js, ['$.date', '$.model', '$.model_permaslug', '$.endpoint_id', '$.provider_name',
               '$.workspace_id', '$.requests', '$.prompt_tokens', '$.completion_tokens', '$.reasoning_tokens',
               '$.usage', '$.byok_usage_inference']) as f
    from records
)
select
    source_line,
    record_ref(raw) as raw_ref,
    null::varchar as reader_problem,
    'openrouter_activity:' || json_array(f[1], f[2], f[3], f[4], f[5], f[6])::varchar as call_id,
    f[1] as ts_text,
    'iso' as ts_unit,
    'openrouter' as provider,
    f[2] as model,
    true as is_bucket,
    f[7] as request_count_text,
    f[8] as input_text,
    true as input_is_total,
    null::varchar as cache_read_text,
    null::varchar as cache_write_text,
    null::varchar as cache_write_1h_text,
    f[9] as output_text,
    f[10] as reasoning_text,
    false as is_batch,
    null::varchar as service_tier,
    null::varchar as latency_ms_text,
    null::varchar as status,
    f[11] as billed_cost_text,
    null::varchar as prefix_hash,
    null::bigint as prefix_chars,
    null::bigint as variable_chars,
    json_merge_patch('{}', json_object('provider_name', f[5], 'endpoint_id', f[4], 'model_permaslug', f[3],
                                       'workspace', f[6], 'byok_usage_inference',
                                       case when try_cast(f[12] as double) <> 0 then f[12] end)) as hints
from fields
order by source_line
