-- stage_jsonl_lines: the staged lines with their physical line numbers (valid lines shifted past the
-- unreadable ones of this scan); blank lines are not records. js is NULL where a line is not JSON.
create or replace temp table staged as
with unreadable as (
    select line - row_number() over (order by line) as valid_lines_before
    from line_rejects
    where scan_id = (select max(scan_id) from line_scans)
),
numbered as (
    select valid_line + (select count(*) from unreadable u where u.valid_lines_before < valid_line) as source_line,
           case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as raw
    from staged_lines
)
select source_line, raw, try_cast(raw as json) as js
from numbered
where raw is not null and trim(raw, ' ' || chr(9) || chr(13) || chr(10)) <> ''
