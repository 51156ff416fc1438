-- drop_staged_lines: a JSONL file's lines are staged (stage_jsonl_lines keeps their text once, in
-- `staged`); the table of the lines as read goes.
drop table staged_lines
