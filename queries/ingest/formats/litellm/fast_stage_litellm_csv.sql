-- fast_stage_litellm_csv: a LiteLLM_SpendLogs CSV export into the temp table fast_staged (the FAST_COLUMNS,
-- by the macro litellm_fast_columns), each row read once and its JSON cells parsed once, in file order
-- (fast_rows_csv_by_rowid numbers them as stage_csv does). Read by the parallel reader (3x faster than
-- stage_csv's serial one, which null_padding needs): a clean file reads as stage_csv reads it; a row
-- that reader cannot take (a cut or short row) is not an error here but a row of fast_csv_errors,
-- and then csv_fast.py leaves the whole file to the careful path.
-- Columns an older export lacks read as NULL (the empty select it is united with by name), as the careful
-- path's JSON paths do.
create or replace temp table fast_staged as
with csv_rows as (
    -- only the columns read (the CSV reader skips the others' values)
    select struct_pack(request_id, startTime, endTime, request_duration_ms, model, model_group, custom_llm_provider,
                       prompt_tokens, completion_tokens, spend, status, cache_read_input_tokens, "user", end_user,
                       team_id, call_type, session_id, metadata, request_tags, messages, usage) as r
    from (select * from read_csv($path, all_varchar = true, header = true, compression = $compression,
                                 store_rejects = true, rejects_table = 'fast_csv_errors', rejects_scan = 'fast_csv_scans')
          union all by name
          select null::varchar as request_id, null::varchar as startTime, null::varchar as endTime,
                 null::varchar as request_duration_ms, null::varchar as model, null::varchar as model_group,
                 null::varchar as custom_llm_provider, null::varchar as prompt_tokens,
                 null::varchar as completion_tokens, null::varchar as spend, null::varchar as status,
                 null::varchar as cache_read_input_tokens, null::varchar as "user", null::varchar as end_user,
                 null::varchar as team_id, null::varchar as call_type, null::varchar as session_id,
                 null::varchar as metadata, null::varchar as request_tags, null::varchar as messages,
                 null::varchar as usage
          where false)
),
cells as (
    select r,
           try_cast(r.metadata as json) as meta, try_cast(r.request_tags as json) as tags,
           try_cast(r.messages as json) as messages, try_cast(r.usage as json) as usage
    from csv_rows
),
messages as (  -- each message parsed once: its [role, content] (parts) and the last user turn (lup)
    select *, last_user_of_roles(list_transform(parts, lambda p: p[1])) as lup
    from (select *, message_parts_of(msgs) as parts
          from (select *, case when json_type(messages) = 'ARRAY' then cast(messages as json[]) end as msgs from cells))
)
select unnest(litellm_fast_columns(r, meta, tags, msgs, parts, lup,
                                   json_extract_string(usage, ['$.prompt_tokens', '$.completion_tokens']),
                                   litellm_metadata_fields(meta),
                                   csv_json_cell_broken(r.metadata, meta) or csv_json_cell_broken(r.request_tags, tags)
                                   or csv_json_cell_broken(r.messages, messages) or csv_json_cell_broken(r.usage, usage)))
from messages
