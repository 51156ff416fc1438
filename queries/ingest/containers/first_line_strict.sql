-- first_line_strict: the first line of a file, failing when it is not valid text (a binary file).
select raw
from read_csv($path, columns = {'raw': 'VARCHAR'}, header = false, delim = '\x1f', quote = '', escape = '',
              auto_detect = false, strict_mode = false, max_line_size = 33554432, buffer_size = 67108864, compression = $compression)
limit 1
