-- stage_parquet: each Parquet row as a JSON object.
create or replace temp table staged as
select row_number() over () as source_line, to_json(ftaudit_row__)::varchar as raw, to_json(ftaudit_row__) as js
from read_parquet($path) ftaudit_row__
