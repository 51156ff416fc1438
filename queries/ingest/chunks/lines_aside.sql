-- lines_aside: keep the file's staged lines aside (all_lines, renamed: not a copy of the text) while
-- chunk_lines stages one run of them at a time for the careful path.
drop table if exists all_lines;
alter table staged_lines rename to all_lines
