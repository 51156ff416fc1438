-- fast_stage_lines_mapped: a JSONL file through --map FIELD=COLUMN, from the text of each staged line
-- (staged_lines) that is a JSON object, into fast_staged (source_line and the FAST_COLUMNS, by
-- mapped_fast_columns): the mapped fields read at the $map_* paths, as extract_mapped reads them, and a
-- line without a mapped call id gets classified_records' content-hash id. Export pages and {"data": {...}}
-- wrappers (their items are the records) go the careful way.
create or replace temp table fast_staged as
with lines as (
    select valid_line as source_line, line,
           json_extract_string(line, [$map_call_id, $map_ts, $map_model, $map_input_tokens, $map_cache_read_tokens,
                                      $map_cache_write_tokens, $map_output_tokens, $map_reasoning_tokens,
                                      $map_billed_cost_usd, $map_latency_ms, $map_service_tier, $map_status,
                                      $map_workload]) as f
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line) and json_type(line) = 'OBJECT'
)
select source_line,
       unnest(mapped_fast_columns(
           not contains(line, '"data"') or not (is_export_page(line::json) or json_keys(line) = ['data']),
           f, coalesce(f[1], 'sha:' || md5(line) || ':' || row_number() over (partition by md5(line) order by source_line)),
           $start, $ts_unit, $provider, $model))
from lines
