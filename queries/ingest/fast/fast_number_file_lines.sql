-- fast_number_file_lines: the line numbers of the calls of a file the whole-file fast path stored (every line a call,
-- in file order: fast_insert_file_calls): rowids of rows appended in this transaction follow the insertion order
-- from an offset. params: $file_id
update calls set source_line = rowid - (select min(rowid) from calls where file_id = $file_id) + 1
where file_id = $file_id
