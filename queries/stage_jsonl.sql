-- stage_jsonl: every non-blank line of a JSON Lines file as a record, keeping physical line numbers
-- (js is NULL where the line is not JSON; stage_malformed and stage_records split them).
create or replace temp table staged as
select source_line, raw, try_cast(raw as json) as js
from (
    select row_number() over () as source_line,
           case when row_number() over () = 1 then ltrim(raw, chr(65279)) else raw end as raw
    from read_csv($path, columns = {'raw': 'VARCHAR'}, header = false, delim = '\x1f', quote = '', escape = '',
                  auto_detect = false, strict_mode = false, max_line_size = 67108864, compression = $compression)
)
where raw is not null and trim(raw) <> ''
