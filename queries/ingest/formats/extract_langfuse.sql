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
entries as (
    select *,
           list_filter(coalesce(map_entries(try_cast(usage_details as map(varchar, varchar))), []),
                       lambda e: e.value is not null) as kv,
           case when json_type(prompt) = 'ARRAY' then cast(prompt as json[])
                when json_type(prompt, '$.messages') = 'ARRAY' then cast(prompt -> '$.messages' as json[]) end as msgs
    from parsed
),
parts as (
    select *,
           list_filter(kv, lambda e: e.key like '%input%' and e.key not like '%cache%') as base,
           list_filter(kv, lambda e: e.key like '%input%' and e.key like '%cache%'
                                     and (e.key like '%read%' or e.key like '%cached%')) as reads,
           list_filter(kv, lambda e: e.key like '%input%' and e.key like '%cache%' and e.key not like '%read%'
                                     and e.key not like '%cached%' and (e.key like '%creation%' or e.key like '%write%'))
               as writes,
           list_filter(kv, lambda e: e.key like 'cached_modality%') as subset_reads,
           list_filter(kv, lambda e: e.key like '%output%') as outputs,
           json_extract_string(usage_legacy, ['$.input', '$.output']) as legacy
    from entries
),
sums as (
    select *,
           list_sum(list_transform(base, lambda e: tok(e.value))) as base_n,
           list_max(list_transform(reads, lambda e: tok(e.value))) as read_n,
           coalesce(list_max(list_transform(list_filter(writes, lambda e: e.key not like '%ephemeral%'),
                                             lambda e: tok(e.value))),
                    list_sum(list_transform(writes, lambda e: tok(e.value)))) as write_n,
           list_sum(list_transform(list_filter(writes, lambda e: e.key like '%ephemeral_1h%'),
                                   lambda e: tok(e.value))) as write_1h_n,
           list_sum(list_transform(subset_reads, lambda e: tok(e.value))) as subset_read_n,
           list_sum(list_transform(outputs, lambda e: tok(e.value))) as output_n,
           list_sum(list_transform(list_filter(outputs, lambda e: e.key like 'output_reasoning%'),
                                   lambda e: tok(e.value))) as reasoning_n,
           list_transform(base || reads || writes || subset_reads || outputs, lambda e: e.value) as counted,
           len(base) + len(reads) + len(writes) > 0 as has_input_keys,
           len(reads) + len(writes) > 0 as cache_is_separate,
           coalesce(legacy[1], f[9]) as legacy_input,
           coalesce(legacy[2], f[10]) as legacy_output
    from parts
),
checked as (
    select *,
           not has_input_keys and len(outputs) = 0
               and coalesce(tok(legacy_input), 0) = 0 and coalesce(tok(legacy_output), 0) = 0 as no_usage
    from sums
)
select
    source_line,
    raw,
    case when f[2] is null then 'missing_field'
         when f[2] not in ('GENERATION', 'EMBEDDING') then 'not_a_call'
         when bad_json_cell then 'malformed_json'
         when f[7] = 'ERROR' and no_usage then 'api_error'
         when list_bool_or(list_transform(counted, lambda v: tok(v) is null)) then 'bad_type'
         when list_bool_or(list_transform(counted, lambda v: tok(v) < 0)) then 'negative_tokens'
    end as reader_problem,
    'langfuse:' || f[1] as call_id,
    f[3] as ts_text,
    'iso' as ts_unit,
    coalesce(meta ->> '$.ls_provider', 'langfuse') as provider,
    f[5] as model,
    false as is_bucket,
    '1' as request_count_text,
    case when no_usage then null
         when has_input_keys then coalesce(base_n, 0)::varchar
         else legacy_input end as input_text,
    not cache_is_separate as input_is_total,
    (case when cache_is_separate then read_n else subset_read_n end)::varchar as cache_read_text,
    write_n::varchar as cache_write_text,
    write_1h_n::varchar as cache_write_1h_text,
    case when no_usage then null
         when len(outputs) > 0 then output_n::varchar
         else coalesce(legacy_output, case when f[2] = 'EMBEDDING' then '0' end) end as output_text,
    reasoning_n::varchar as reasoning_text,
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
