-- stage_csv: each CSV row as a JSON object of strings keyed by header; line 1 is the header. As
-- staged(source_line, raw, js, kind): see stage_jsonl_lines (raw is NULL: every row is JSON).
-- null_padding keeps a cut-off last row a row (rejected, not the whole file); it needs the serial reader
-- to allow newlines inside quoted fields.
create or replace temp table staged as
-- kind: a row of strings is an object, never an export page nor a wrapper (their data is an array, an object)
select row_number() over () + 1 as source_line, null::varchar as raw, to_json(ftaudit_row__) as js, 'object' as kind
from read_csv($path, all_varchar = true, header = true, null_padding = true, parallel = false, compression = $compression) ftaudit_row__
