-- fast_remaining_lines: keep in staged_lines only the lines the line fast path did not store; the
-- careful path (stage_jsonl_lines onwards) reads them. params: $file_id
create or replace temp table staged_lines as
select s.valid_line, s.raw
from staged_lines s
anti join (select source_line from calls where file_id = $file_id) taken on taken.source_line = s.valid_line
