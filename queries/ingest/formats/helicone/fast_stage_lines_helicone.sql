-- fast_stage_lines_helicone: Helicone request rows, one JSON object a line (REST / export JSONL), from the
-- text of each staged line (staged_lines), into fast_staged (source_line and the FAST_COLUMNS, by
-- fast_columns_of_texts over extract_helicone's expressions). Each line is parsed once; every field is read
-- as JSON and its text taken by ->> '$' (the text json_extract_string gives the careful path). A JSON null
-- reads as absent here, so what extract_helicone tells apart by a key's presence goes the careful way:
-- rows without response_status (raw ClickHouse rows bill cost x 1e9), and request_properties null beside
-- a properties object. Error statuses are the careful path's (api_error).
create or replace temp table fast_staged as
with lines as (
    select valid_line as source_line,
           json_transform(line, '{"request_id": "JSON", "response_id": "JSON", "request_created_at": "JSON",
               "provider": "JSON", "model": "JSON", "response_model": "JSON", "request_model": "JSON",
               "prompt_tokens": "JSON", "prompt_cache_read_tokens": "JSON", "prompt_cache_write_tokens": "JSON",
               "completion_tokens": "JSON", "delay_ms": "JSON", "latency": "JSON", "response_status": "JSON",
               "status": "JSON", "cost": "JSON", "costUSD": "JSON", "cost_usd": "JSON", "request_user_id": "JSON",
               "user_id": "JSON", "helicone_user": "JSON", "request_path": "JSON", "prompt_id": "JSON",
               "request_properties": "JSON", "properties": "JSON", "request_body": "JSON"}') as j
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line) and json_type(line) = 'OBJECT'
),
fields as (
    select source_line, j,
           [j.request_id ->> '$', j.response_id ->> '$', j.request_created_at ->> '$', j.provider ->> '$',
            j.model ->> '$', j.response_model ->> '$', j.request_model ->> '$', j.prompt_tokens ->> '$',
            j.prompt_cache_read_tokens ->> '$', j.prompt_cache_write_tokens ->> '$', j.completion_tokens ->> '$',
            j.delay_ms ->> '$', j.latency ->> '$', j.response_status ->> '$', j.status ->> '$', j.cost ->> '$',
            j.costUSD ->> '$', j.cost_usd ->> '$', j.request_user_id ->> '$', j.user_id ->> '$',
            j.helicone_user ->> '$', j.request_path ->> '$', j.prompt_id ->> '$'] as f,
           case when json_type(j.request_properties) = 'VARCHAR' then try_cast(j.request_properties ->> '$' as json)
                else coalesce(j.request_properties, j.properties) end as props,
           json_text_cell(j.request_body) as body
    from lines
),
shaped as (
    select *,
           coalesce(f[14], f[15]) as status,
           case when json_type(body, '$.messages') = 'ARRAY' then cast(body -> '$.messages' as json[]) end as msgs
    from fields
)
select source_line,
       unnest(fast_columns_of_texts(
           j.response_status is not null and not (j.request_properties is null and j.properties is not null)
               and coalesce(try_cast(status as integer) between 200 and 299, true),
           'helicone:' || coalesce(f[1], f[2]), f[3], 'iso', coalesce(lower(nullif(f[4], '')), 'helicone'),
           coalesce(nullif(f[5], ''), nullif(f[6], ''), nullif(f[7], '')),
           f[8], false, f[9], f[10], null::varchar, f[11], null::varchar, null::varchar,
           coalesce(f[12], nullif(f[13], '')), status, coalesce(f[16], f[17], nullif(f[18], '')), msgs,
           json_merge_patch(
               case when json_type(props) = 'OBJECT' then props else '{}'::json end,
               json_object('user', coalesce(nullif(f[19], ''), nullif(f[20], ''), nullif(f[21], '')),
                           'path', f[22], 'prompt_id', f[23]))))
from shaped
