-- stage_jsonl: every line of a JSON Lines file that is valid UTF-8, numbered among the valid lines;
-- lines DuckDB cannot read (invalid UTF-8, over 32 MB) land in the temp table line_rejects.
-- buffer_size bounds the reader's memory whatever the file size (--memory-limit can be as low as 256MB).
create or replace temp table staged_lines as
select row_number() over () as valid_line, raw
from read_csv($path, columns = {'raw': 'VARCHAR'}, header = false, delim = '\x1f', quote = '', escape = '',
              auto_detect = false, strict_mode = false, max_line_size = 33554432, buffer_size = 67108864, compression = $compression,
              ignore_errors = true, store_rejects = true, rejects_table = 'line_rejects', rejects_scan = 'line_scans')
