-- extract_helicone: Helicone request rows (REST / export JSON or JSONL, raw ClickHouse rows, and the
-- @helicone/export CSV whose map and body columns are JSON text). See log-formats.md section 8.
-- Returns the EXTRACTED_COLUMNS. prompt_tokens excludes cache reads and writes (input_is_total false).
with parsed as (
    select source_line, raw, js,
           case when json_type(js, '$.request_properties') = 'VARCHAR'
                then try_cast(js ->> '$.request_properties' as json)
                else coalesce(js -> '$.request_properties', js -> '$.properties') end as props,
           json_cell(js, '$.request_body') as body,
           -- a raw ClickHouse row stores cost as an integer of USD x 1e9
           json_exists(js, '$.organization_id') and json_exists(js, '$.status')
               and not json_exists(js, '$.response_status') as is_clickhouse_row,
           json_extract_string(js, ['$.request_id', '$.response_id', '$.request_created_at', '$.provider', '$.model',
               '$.response_model', '$.request_model', '$.prompt_tokens', '$.prompt_cache_read_tokens',
               '$.prompt_cache_write_tokens', '$.completion_tokens', '$.delay_ms', '$.latency', '$.response_status',
               '$.status', '$.cost', '$.costUSD', '$.cost_usd', '$.request_user_id', '$.user_id', '$.helicone_user',
               '$.request_path', '$.prompt_id']) as f
    from records
),
shaped as (
    select *,
           coalesce(f[14], f[15]) as status,
           case when is_clickhouse_row and try_cast(f[16] as decimal(38, 0)) is not null
                    and try_cast(f[16] as double) = floor(try_cast(f[16] as double))
                then (try_cast(f[16] as decimal(38, 0)) * 0.000000001)::varchar
                else coalesce(f[16], f[17], nullif(f[18], '')) end as cost_usd,
           case when json_type(body, '$.messages') = 'ARRAY' then cast(body -> '$.messages' as json[]) end as msgs
    from parsed
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when try_cast(status as integer) not between 200 and 299 then 'api_error' end as reader_problem,
    'helicone:' || coalesce(f[1], f[2]) as call_id,
    f[3] as ts_text,
    'iso' as ts_unit,
    coalesce(lower(nullif(f[4], '')), 'helicone') as provider,
    coalesce(nullif(f[5], ''), nullif(f[6], ''), nullif(f[7], '')) as model,
    false as is_bucket,
    '1' as request_count_text,
    f[8] as input_text,
    false as input_is_total,
    f[9] as cache_read_text,
    f[10] as cache_write_text,
    null::varchar as cache_write_1h_text,
    f[11] as output_text,
    null::varchar as reasoning_text,
    false as is_batch,
    null::varchar as service_tier,
    coalesce(f[12], nullif(f[13], '')) as latency_ms_text,
    status,
    cost_usd as billed_cost_text,
    prefix_hash_of(msgs) as prefix_hash,
    prefix_chars_of(msgs) as prefix_chars,
    variable_chars_of(msgs) as variable_chars,
    json_merge_patch(
        case when json_type(props) = 'OBJECT' then props else '{}'::json end,
        json_object('user', coalesce(nullif(f[19], ''), nullif(f[20], ''), nullif(f[21], '')),
                    'path', f[22], 'prompt_id', f[23])
    ) as hints
from shaped
order by source_line
