-- lines_aside: keep the file's staged lines aside (all_lines, renamed: not a copy of the text); the view
-- staged_lines shows one run of them at a time (chunk_lines sets which) for the careful path, until
-- lines_aside_end.
drop table if exists all_lines;
alter table staged_lines rename to all_lines;
set variable ftaudit_run_lines = [1, 0];
create or replace temp view staged_lines as
select valid_line, raw
from all_lines
where valid_line between getvariable('ftaudit_run_lines')[1] and getvariable('ftaudit_run_lines')[2];
-- the call ids of the records a run rejected, with the run's lines (rejected_ids_add; chunked_conflicts)
create or replace temp table rejected_ids (first_line bigint, last_line bigint, call_id varchar)
