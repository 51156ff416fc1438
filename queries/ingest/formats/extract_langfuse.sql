-- extract_langfuse: Langfuse observations (v1 API, UI export JSON/JSONL/CSV; in CSV the map columns are
-- JSON text). See log-formats.md section 7 and ftaudit/formats/langfuse.py for the usageDetails rule.
-- Returns the EXTRACTED_COLUMNS. Only GENERATION and EMBEDDING observations are calls.
with parsed as (
    select source_line, raw, js,
           json_cell(js, '$.usageDetails') as usage_details,
           json_cell(js, '$.costDetails') as cost_details,
           json_cell(js, '$.usage') as usage_legacy,
           json_cell(js, '$.metadata') as meta,
           json_cell(js, '$.input') as prompt,
           -- a map cell of a CSV export that does not parse (cut off) hides the usage split
           list_bool_or(list_transform(['$.usageDetails', '$.costDetails'], lambda p: json_cell_broken(js, p))) as bad_json_cell,
           json_extract_string(js, ['$.id', '$.type', '$.startTime', '$.endTime', '$.model', '$.latency', '$.level',
               '$.calculatedTotalCost', '$.promptTokens', '$.completionTokens', '$.name', '$.promptName',
               '$.promptVersion', '$.traceName', '$.userId', '$.environment', '$.sessionId']) as f
    from records
),
entries as (  -- the usageDetails rule: the steps of macros_fast_langfuse, which the fast stages share
    select *,
           langfuse_usage_entries(usage_details) as e,
           case when json_type(prompt) = 'ARRAY' then cast(prompt as json[])
                when json_type(prompt, '$.messages') = 'ARRAY' then cast(prompt -> '$.messages' as json[]) end as msgs
    from parsed
),
parts as (select *, langfuse_usage_kv(e, usage_legacy) as kv from entries),
bits as (select *, langfuse_usage_bits(kv) as b from parts),
sums as (select *, langfuse_usage_sums(kv, b, f[9], f[10]) as s from bits),
checked as (select *, langfuse_usage_texts(s, f[2]) as u from sums)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when f[2] is null then 'missing_field'
         when f[2] not in ('GENERATION', 'EMBEDDING') then 'not_a_call'
         when bad_json_cell then 'malformed_json'
         when f[7] = 'ERROR' and s.no_usage then 'api_error'
         when s.bad_count then 'bad_type'
         when s.negative_count then 'negative_tokens'
    end as reader_problem,
    'langfuse:' || f[1] as call_id,
    f[3] as ts_text,
    'iso' as ts_unit,
    coalesce(meta ->> '$.ls_provider', 'langfuse') as provider,
    f[5] as model,
    false as is_bucket,
    '1' as request_count_text,
    u.input_text as input_text,
    u.input_is_total as input_is_total,
    u.cache_read_text as cache_read_text,
    u.cache_write_text as cache_write_text,
    u.cache_write_1h_text as cache_write_1h_text,
    u.output_text as output_text,
    u.reasoning_text as reasoning_text,
    false as is_batch,
    null::varchar as service_tier,
    case when try_cast(f[6] as double) is not null then (try_cast(f[6] as double) * 1000)::varchar
         else coalesce(f[6], (epoch_ms(try_cast(f[4] as timestamptz)) - epoch_ms(try_cast(f[3] as timestamptz)))::varchar)
    end as latency_ms_text,
    f[7] as status,
    coalesce(cost_details ->> '$.total', f[8]) as billed_cost_text,
    prefix_hash_of(msgs) as prefix_hash,
    prefix_chars_of(msgs) as prefix_chars,
    variable_chars_of(msgs) as variable_chars,
    json_merge_patch(
        case when json_type(meta) = 'OBJECT' then meta else '{}'::json end,
        json_object('name', f[11], 'prompt_name', f[12], 'prompt_version', f[13], 'trace_name', f[14],
                    'user', f[15], 'environment', f[16], 'session_id', f[17])
    ) as hints
from checked
order by source_line
