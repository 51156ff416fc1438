-- macros_fast_mapped: the fast path's columns of a file read through --map FIELD=COLUMN (created on every
-- connection with queries/store/macros.sql: ftaudit.store.connection.create_macros).

-- FAST_COLUMNS from the mapped fields' texts `f` (json_extract_string of the record at the $map_* paths, in
-- extract_mapped's order) and the record's call id (the mapped one, else the careful path's content-hash
-- id), with extract_mapped's expressions; `ok` false leaves the record to the careful path; `start`, `ts_unit`, `provider`, `model`: the ingest options.
create or replace temp macro mapped_fast_columns(ok, f, call_id, start, ts_unit, provider, model) as
    fast_columns_of_texts(
        ok, call_id,
        case when start is null then f[2]
             when try_cast(f[2] as double) is null then null
             else (epoch(start::timestamptz)
                   + try_cast(f[2] as double) / case ts_unit when 'ms' then 1e3 when 'us' then 1e6 else 1 end)::varchar
        end,
        case when start is null then ts_unit else 's' end,
        coalesce(provider, 'custom'), coalesce(f[3], model), f[4], true, f[5], f[6], null::varchar, f[7], f[8],
        f[11], f[10], f[12], f[9], null::json[],
        case when f[13] is not null then json_object('workload', f[13]) end);
