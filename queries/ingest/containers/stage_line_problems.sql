-- stage_line_problems: the lines of this JSONL scan that could not be read as text, with a reason.
create or replace temp table line_problems as
select line as source_line, csv_line as raw,
       case when error_type = 'INVALID ENCODING' then 'invalid_utf8' else 'unreadable_line' end as reason
from line_rejects
where scan_id = (select max(scan_id) from line_scans)
