-- lines_aside_end: the careful runs of a file are done; the lines set aside by lines_aside go (a later
-- file stages its own staged_lines table).
drop view staged_lines;
drop table all_lines
