-- fast_stage_mapped_csv: a CSV file through --map FIELD=COLUMN into fast_staged (source_line and the
-- FAST_COLUMNS, by mapped_fast_columns), read once with stage_csv's options and numbered as it numbers
-- rows. The row's JSON text is stage_csv's `raw`: the mapped fields are read from it at the $map_* paths,
-- and a row without a mapped call id gets classified_records' content-hash id (its text's md5 and its
-- occurrence among the rows of the same text).
create or replace temp table fast_staged as
with csv_rows as (
    select row_number() over () + 1 as source_line, to_json(ftaudit_row__)::varchar as raw
    from read_csv($path, all_varchar = true, header = true, null_padding = true, parallel = false,
                  compression = $compression,
                  store_rejects = true, rejects_table = 'fast_csv_errors', rejects_scan = 'fast_csv_scans') ftaudit_row__
),
fields as (
    select source_line, raw,
           json_extract_string(raw, [$map_call_id, $map_ts, $map_model, $map_input_tokens, $map_cache_read_tokens,
                                     $map_cache_write_tokens, $map_output_tokens, $map_reasoning_tokens,
                                     $map_billed_cost_usd, $map_latency_ms, $map_service_tier, $map_status,
                                     $map_workload]) as f
    from csv_rows
)
select source_line,
       unnest(mapped_fast_columns(
           true, f, coalesce(f[1], 'sha:' || md5(raw) || ':' || row_number() over (partition by md5(raw) order by source_line)),
           $start, $ts_unit, $provider, $model))
from fields
