-- source_batch_last_key: startTime and request_id of the last row of the staged batch (the server sent
-- the rows in that order), as text: the batch's high-water mark.
select js ->> 'startTime' as last_start_time, js ->> 'request_id' as last_request_id
from staged
order by source_line desc
limit 1
