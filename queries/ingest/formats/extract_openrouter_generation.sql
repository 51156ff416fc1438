-- extract_openrouter_generation: OpenRouter /generation records (the engine unwraps {"data": {...}}).
-- See log-formats.md section 9. Returns the EXTRACTED_COLUMNS. native_* counts (the provider's
-- tokenizer, what is billed) are preferred over the OpenRouter-normalised tokens_*; native_tokens_cached
-- is taken as a subset of native_tokens_prompt; latency is in ms. A failed lookup ({"error": ...}) is
-- an api_error.
with fields as (
    select source_line, raw, json_exists(js, '$.error') as failed,
           json_extract_string(js, ['$.id', '$.created_at', '$.model', '$.native_tokens_prompt', '$.tokens_prompt',
               '$.native_tokens_cached', '$.native_tokens_completion', '$.tokens_completion',
               '$.native_tokens_reasoning', '$.latency', '$.finish_reason', '$.cancelled', '$.total_cost', '$.usage',
               '$.service_tier', '$.provider_name', '$.app_id', '$.workspace_id', '$.external_user', '$.session_id',
               '$.api_type', '$.origin', '$.is_byok']) as f
    from records
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when failed then 'api_error' end as reader_problem,
    'openrouter:' || f[1] as call_id,
    f[2] as ts_text,
    'iso' as ts_unit,
    'openrouter' as provider,
    f[3] as model,
    false as is_bucket,
    '1' as request_count_text,
    coalesce(f[4], f[5]) as input_text,
    true as input_is_total,
    f[6] as cache_read_text,
    null::varchar as cache_write_text,
    null::varchar as cache_write_1h_text,
    coalesce(f[7], f[8]) as output_text,
    f[9] as reasoning_text,
    false as is_batch,
    f[15] as service_tier,
    f[10] as latency_ms_text,
    case when f[12] = 'true' then 'cancelled' else f[11] end as status,
    coalesce(f[13], f[14]) as billed_cost_text,
    null::varchar as prefix_hash,
    null::bigint as prefix_chars,
    null::bigint as variable_chars,
    json_merge_patch('{}', json_object('provider_name', f[16], 'app_id', f[17], 'workspace', f[18], 'user', f[19],
                                       'session_id', f[20], 'api_type', f[21], 'origin', f[22], 'is_byok', f[23]))
        as hints
from fields
order by source_line
