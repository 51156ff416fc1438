-- fast_stage_lines_openrouter_generation: OpenRouter /generation records, one a line, bare or as the API
-- returns them ({"data": {...}}, unwrapped as stage_records does), from the text of each staged line
-- (staged_lines), into fast_staged (source_line and the FAST_COLUMNS, by fast_columns_of_texts over
-- extract_openrouter_generation's expressions). Each record is parsed once; every field is read as JSON
-- and its text taken by ->> '$' (the text json_extract_string gives the careful path). A line that
-- mentions "error" goes the careful way (a failed lookup is an api_error even when its error is null,
-- which a typed read cannot tell from no error at all).
create or replace temp table fast_staged as
with lines as (
    select valid_line as source_line, line,
           coalesce(starts_with(line, '{"data"') and json_keys(line) = ['data'] and json_type(line, '$.data') = 'OBJECT',
                    false) as wrapped
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line) and json_type(line) = 'OBJECT'
),
records as (
    select source_line, not contains(line, '"error"') as ok,
           json_transform(case when wrapped then (line -> '$.data')::varchar else line end,
               '{"id": "JSON", "created_at": "JSON", "model": "JSON", "native_tokens_prompt": "JSON",
                 "tokens_prompt": "JSON", "native_tokens_cached": "JSON", "native_tokens_completion": "JSON",
                 "tokens_completion": "JSON", "native_tokens_reasoning": "JSON", "latency": "JSON",
                 "finish_reason": "JSON", "cancelled": "JSON", "total_cost": "JSON", "usage": "JSON",
                 "service_tier": "JSON", "provider_name": "JSON", "app_id": "JSON", "workspace_id": "JSON",
                 "external_user": "JSON", "session_id": "JSON", "api_type": "JSON", "origin": "JSON",
                 "is_byok": "JSON"}') as j
    from lines
),
fields as (
    select source_line, ok,
           [j.id ->> '$', j.created_at ->> '$', j.model ->> '$', j.native_tokens_prompt ->> '$',
            j.tokens_prompt ->> '$', j.native_tokens_cached ->> '$', j.native_tokens_completion ->> '$',
            j.tokens_completion ->> '$', j.native_tokens_reasoning ->> '$', j.latency ->> '$',
            j.finish_reason ->> '$', j.cancelled ->> '$', j.total_cost ->> '$', j.usage ->> '$',
            j.service_tier ->> '$', j.provider_name ->> '$', j.app_id ->> '$', j.workspace_id ->> '$',
            j.external_user ->> '$', j.session_id ->> '$', j.api_type ->> '$', j.origin ->> '$',
            j.is_byok ->> '$'] as f
    from records
)
select source_line,
       unnest(fast_columns_of_texts(
           ok, 'openrouter:' || f[1], f[2], 'iso', 'openrouter', f[3], coalesce(f[4], f[5]), true, f[6],
           null::varchar, null::varchar, coalesce(f[7], f[8]), f[9], f[15], f[10],
           case when f[12] = 'true' then 'cancelled' else f[11] end, coalesce(f[13], f[14]), null::json[],
           json_merge_patch('{}', json_object('provider_name', f[16], 'app_id', f[17], 'workspace', f[18], 'user', f[19],
                                              'session_id', f[20], 'api_type', f[21], 'origin', f[22], 'is_byok', f[23]))))
from fields
