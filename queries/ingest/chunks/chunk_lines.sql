-- chunk_lines: the view staged_lines (see lines_aside) shows the run of lines $first_line..$last_line,
-- with their own numbers (valid_line counts the file's lines, so physical line numbers stay those of
-- the whole file). params: $first_line, $last_line BIGINT
set variable ftaudit_run_lines = [$first_line, $last_line]
