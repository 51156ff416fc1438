-- stage_parquet: each Parquet row as a JSON object, as staged(source_line, raw, js, kind): see
-- stage_jsonl_lines (raw is NULL: every row is JSON).
create or replace temp table staged as
select source_line, null::varchar as raw, js, record_kind(js) as kind
from (select row_number() over () as source_line, to_json(ftaudit_row__) as js from read_parquet($path) ftaudit_row__)
