-- fast_remaining_records: keep in `records` (a CSV staged whole) only the rows the fast stage did not
-- store; the careful path reads them. params: $file_id
create or replace temp table records as
select r.*
from records r
anti join (select source_line from calls where file_id = $file_id) taken on taken.source_line = r.source_line
