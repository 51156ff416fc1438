-- line_chunks: the staged lines (staged_lines) cut into runs of consecutive lines of about $chunk_bytes
-- characters each, as (first valid_line, last valid_line) in file order; a line longer than a chunk is
-- a chunk of its own. Only the line numbers and lengths are read (a narrow window, not the text).
-- params: $chunk_bytes BIGINT
select min(valid_line) as first_line, max(valid_line) as last_line
from (select valid_line, sum(coalesce(strlen(raw), 0) + 1) over (order by valid_line) as upto from staged_lines)
group by (upto - 1) // $chunk_bytes
order by first_line
