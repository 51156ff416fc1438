-- fast_stage_lines_langfuse: Langfuse observations, one JSON object a line (UI export JSONL, API items),
-- from the text of each staged line (staged_lines), into fast_staged (source_line and the FAST_COLUMNS).
-- Each line is parsed once (json_transform) and then read with extract_langfuse's expressions, step by
-- step (see it for the usageDetails rule), so a taken line is stored as the careful path stores it. Not
-- taken (fast_ok false): what extract_langfuse rejects on its own (not a GENERATION / EMBEDDING, a cut
-- map cell, an error without usage, a bad count).
create or replace temp table fast_staged as
with lines as (
    -- every field as JSON and its text by ->> '$': the text json_extract_string gives the careful path,
    -- numbers included
    select valid_line as source_line,
           json_transform(line, '{"id": "JSON", "type": "JSON", "startTime": "JSON", "endTime": "JSON",
               "model": "JSON", "latency": "JSON", "level": "JSON", "calculatedTotalCost": "JSON",
               "promptTokens": "JSON", "completionTokens": "JSON", "name": "JSON", "promptName": "JSON",
               "promptVersion": "JSON", "traceName": "JSON", "userId": "JSON", "environment": "JSON",
               "sessionId": "JSON", "usageDetails": "JSON", "costDetails": "JSON", "usage": "JSON",
               "metadata": "JSON", "input": "JSON"}') as j
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line) and json_type(line) = 'OBJECT'
),
fields as (
    select source_line, j,
           {'id': j.id ->> '$', 'type': j.type ->> '$', 'startTime': j.startTime ->> '$', 'endTime': j.endTime ->> '$',
            'model': j.model ->> '$', 'latency': j.latency ->> '$', 'level': j.level ->> '$',
            'calculatedTotalCost': j.calculatedTotalCost ->> '$', 'promptTokens': j.promptTokens ->> '$',
            'completionTokens': j.completionTokens ->> '$', 'name': j.name ->> '$', 'promptName': j.promptName ->> '$',
            'promptVersion': j.promptVersion ->> '$', 'traceName': j.traceName ->> '$', 'userId': j.userId ->> '$',
            'environment': j.environment ->> '$', 'sessionId': j.sessionId ->> '$'} as r
    from lines
),
parsed as (
    select source_line, r,
           json_text_cell(j.usageDetails) as usage_details,
           json_text_cell(j.costDetails) as cost_details,
           json_text_cell(j.usage) as usage_legacy,
           json_text_cell(j.metadata) as meta,
           json_text_cell(j.input) as prompt,
           json_text_cell_broken(j.usageDetails) or json_text_cell_broken(j.costDetails) as bad_json_cell
    from fields
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
           coalesce(legacy[1], r.promptTokens) as legacy_input,
           coalesce(legacy[2], r.completionTokens) as legacy_output
    from parts
),
checked as (
    select *,
           not has_input_keys and len(outputs) = 0
               and coalesce(tok(legacy_input), 0) = 0 and coalesce(tok(legacy_output), 0) = 0 as no_usage
    from sums
),
texts as (  -- extract_langfuse's EXTRACTED_COLUMNS, as text
    select source_line, r, meta, msgs,
           coalesce(r.type not in ('GENERATION', 'EMBEDDING') or bad_json_cell
                    or (r.level = 'ERROR' and no_usage)
                    or list_bool_or(list_transform(counted, lambda v: tok(v) is null or tok(v) < 0)), true) as not_fast,
           case when no_usage then null
                when has_input_keys then coalesce(base_n, 0)::varchar
                else legacy_input end as input_text,
           not cache_is_separate as input_is_total,
           (case when cache_is_separate then read_n else subset_read_n end)::varchar as cache_read_text,
           write_n::varchar as cache_write_text,
           write_1h_n::varchar as cache_write_1h_text,
           case when no_usage then null
                when len(outputs) > 0 then output_n::varchar
                else coalesce(legacy_output, case when r.type = 'EMBEDDING' then '0' end) end as output_text,
           reasoning_n::varchar as reasoning_text,
           case when try_cast(r.latency as double) is not null then (try_cast(r.latency as double) * 1000)::varchar
                else coalesce(r.latency, (epoch_ms(try_cast(r.endTime as timestamptz))
                                          - epoch_ms(try_cast(r.startTime as timestamptz)))::varchar)
           end as latency_ms_text,
           coalesce(cost_details ->> '$.total', r.calculatedTotalCost) as billed_cost_text
    from checked
)
select source_line,
       unnest(fast_columns_of_texts(
           not not_fast, 'langfuse:' || r.id, r.startTime, 'iso', coalesce(meta ->> '$.ls_provider', 'langfuse'), r.model,
           input_text, input_is_total, cache_read_text, cache_write_text, cache_write_1h_text, output_text,
           reasoning_text, null::varchar, latency_ms_text, r.level, billed_cost_text, msgs,
           json_merge_patch(
               case when json_type(meta) = 'OBJECT' then meta else '{}'::json end,
               json_object('name', r.name, 'prompt_name', r.promptName, 'prompt_version', r.promptVersion,
                           'trace_name', r.traceName, 'user', r.userId, 'environment', r.environment,
                           'session_id', r.sessionId))))
from texts
