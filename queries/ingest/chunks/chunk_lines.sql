-- chunk_lines: one run of the lines set aside by lines_aside as staged_lines, with their own numbers
-- (valid_line counts the file's lines, so physical line numbers stay those of the whole file).
-- params: $first_line, $last_line BIGINT
create or replace temp table staged_lines as
select valid_line, raw from all_lines where valid_line between $first_line and $last_line order by valid_line
