-- stage_jsonl_lines: the staged lines with their physical line numbers (valid lines shifted past the
-- unreadable ones of this scan); blank lines are not records. The text is kept once: in js where the
-- line is JSON (try_cast keeps its text as it is), in raw where it is not. kind: macro record_kind.
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
),
parsed as (
    select source_line, raw, try_cast(raw as json) as js
    from numbered
    where raw is not null and trim(raw, ' ' || chr(9) || chr(13) || chr(10)) <> ''
)
select source_line, case when js is null then raw end as raw, js, record_kind(js) as kind
from parsed
