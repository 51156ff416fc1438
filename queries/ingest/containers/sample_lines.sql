-- sample_lines: the first $limit readable lines of a text file, for container sniffing.
select raw
from read_csv($path, columns = {'raw': 'VARCHAR'}, header = false, delim = '\x1f', quote = '', escape = '',
              auto_detect = false, strict_mode = false, max_line_size = 33554432, buffer_size = 67108864, compression = $compression,
              ignore_errors = true)
limit $limit
