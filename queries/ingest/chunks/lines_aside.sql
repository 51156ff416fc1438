-- lines_aside: keep the file's staged lines aside (all_lines, renamed: not a copy of the text) while
-- chunk_lines stages one run of them at a time for the careful path.
drop table if exists all_lines;
alter table staged_lines rename to all_lines
;
-- the call ids of the records a run rejected, with the run's lines (rejected_ids_add; chunked_conflicts)
create or replace temp table rejected_ids (first_line bigint, last_line bigint, call_id varchar)
