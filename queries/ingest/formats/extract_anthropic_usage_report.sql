-- extract_anthropic_usage_report: Anthropic Admin usage report (GET /v1/organizations/usage_report/messages,
-- log-formats.md section 4). The engine unwraps pages into buckets {starting_at, ending_at, results: [...]};
-- this returns one bucket row per result: an aggregate with no request count, timed at the bucket start.
-- input is uncached_input_tokens; cache reads/writes are added by the validator (input_is_total false).
-- raw stays the bucket's record (a reject shows which bucket); a bucket without a results array is one
-- missing_field row. A result's grouping keys are null unless the report was grouped by them: --model
-- ($model) names the model of a report not grouped by model.
-- params: $model (nullable)
-- Returns the EXTRACTED_COLUMNS of ftaudit/formats/__init__.py.
with buckets as (
    select source_line, raw, js,
           json_extract_string(js, ['$.starting_at', '$.ending_at']) as b,
           coalesce(json_type(js, '$.results') = 'ARRAY', false) as has_results
    from records
),
results as (
    select source_line, raw, item, b, position
    from buckets, unnest(cast(js -> '$.results' as json[])) with ordinality as u(item, position)
    where has_results
    union all
    select source_line, raw, null::json, b, 0
    from buckets
    where not has_results
),
fields as (
    select *,
           json_extract_string(item, ['$.uncached_input_tokens', '$.cache_read_input_tokens',
               '$.cache_creation.ephemeral_5m_input_tokens', '$.cache_creation.ephemeral_1h_input_tokens',
               '$.output_tokens', '$.model', '$.workspace_id', '$.api_key_id', '$.service_tier',
               '$.context_window', '$.inference_geo', '$.speed', '$.account_id', '$.service_account_id']) as f
    from results
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when item is null then 'missing_field' end as reader_problem,
    -- one id per bucket and grouping: the same report exported twice is recognised as duplicates
    'anthropic-usage:' || coalesce(b[1], '') || '/' || coalesce(b[2], '') || ':'
        || array_to_string(list_transform(f[6:14], lambda k: coalesce(k, '')), '|') as call_id,
    b[1] as ts_text,
    'iso' as ts_unit,
    'anthropic' as provider,
    coalesce(f[6], $model) as model,
    true as is_bucket,
    null::varchar as request_count_text,
    f[1] as input_text,
    false as input_is_total,
    f[2] as cache_read_text,
    case when tok_problem(f[3], false) is not null then f[3]
         when tok_problem(f[4], false) is not null then f[4]
         when f[3] is not null or f[4] is not null then (coalesce(tok(f[3]), 0) + coalesce(tok(f[4]), 0))::varchar
    end as cache_write_text,
    f[4] as cache_write_1h_text,
    f[5] as output_text,
    null::varchar as reasoning_text,
    coalesce(f[9] = 'batch', false) as is_batch,
    f[9] as service_tier,
    null::varchar as latency_ms_text,
    null::varchar as status,
    null::varchar as billed_cost_text,
    null::varchar as prefix_hash,
    null::bigint as prefix_chars,
    null::bigint as variable_chars,
    json_merge_patch('{}'::json, json_object('workspace_id', f[7], 'api_key_id', f[8])) as hints  -- drops nulls
from fields
order by source_line, position
