-- undo_chunked_rejects: forget the rejects the careful runs over this file's lines set aside (all_lines)
-- stored, before the file is read again in one run (a refusal counts the whole file). Rows the line
-- fast path stored first are of other lines and stay. params: $file_id
delete from rejects where file_id = $file_id and source_line in (select valid_line from all_lines)
