-- source_mark: the high-water mark of a database source (no row: nothing was read from it yet).
-- params: $source VARCHAR
select last_start_time, last_request_id, rows_read
from source_marks
where source = $source
order by source
