-- spark_stage_lines: the lines of JSONL files as `spark_rows(file_path, source_line, raw)`, numbered by
-- physical line within each file (blank lines are numbered, then dropped: they are not records; a
-- byte-order mark opening a file is not part of its first record), as stage_jsonl_lines does.
-- Reads the view spark_lines(file_path, block_start, row_id, raw) of spark.read.text.
select file_path, source_line,
       case when source_line = 1 then regexp_replace(raw, '^\uFEFF', '') else raw end as raw
from (
    select file_path, raw,
           row_number() over (partition by file_path order by block_start, row_id) as source_line
    from spark_lines
)
where trim(both ' \t\r\n' from regexp_replace(raw, '^\uFEFF', '')) <> ''
