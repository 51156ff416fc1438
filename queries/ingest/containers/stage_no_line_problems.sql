-- stage_no_line_problems: an empty line_problems table for containers read whole (JSON, CSV, Parquet).
create or replace temp table line_problems (source_line bigint, raw varchar, reason varchar)
