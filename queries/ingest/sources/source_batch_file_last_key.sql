-- source_batch_file_last_key: startTime and request_id of the last row of a batch file (read with
-- stage_csv's options, in file order: the server sent the rows in that order), as text: the batch's
-- high-water mark when the fast path stored the batch without staging it (source_batch_last_key otherwise).
select "startTime" as last_start_time, request_id as last_request_id
from (select row_number() over () as n, "startTime", request_id
      from read_csv($path, all_varchar = true, header = true, null_padding = true, parallel = false,
                    compression = $compression))
order by n desc
limit 1
