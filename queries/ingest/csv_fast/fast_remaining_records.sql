-- fast_remaining_records: keep staged (a CSV staged whole; `records` is a view of it) only the rows the
-- fast stage did not store; the careful path reads them. A delete, not a copy of the remaining text.
-- params: $file_id
delete from staged
where source_line in (select source_line from calls where file_id = $file_id)
