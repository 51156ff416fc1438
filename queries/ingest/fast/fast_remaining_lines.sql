-- fast_remaining_lines: keep in staged_lines only the lines the line fast path did not store; the
-- careful path (stage_jsonl_lines onwards) reads them. A delete, not a copy of the remaining text.
-- params: $file_id
delete from staged_lines
where valid_line in (select source_line from calls where file_id = $file_id)
