-- stage_csv: each CSV row as a JSON object of strings keyed by header; line 1 is the header.
-- null_padding keeps a cut-off last row a row (rejected, not the whole file); it needs the serial reader
-- to allow newlines inside quoted fields.
create or replace temp table staged as
select row_number() over () + 1 as source_line, to_json(ftaudit_row__)::varchar as raw, to_json(ftaudit_row__) as js
from read_csv($path, all_varchar = true, header = true, null_padding = true, parallel = false, compression = $compression) ftaudit_row__
