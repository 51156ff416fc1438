-- insert_rejects_from_sink: rejected records of a file stored by a sink reader.
-- params: $file_id, $source_file, $now
insert into rejects
select $file_id, $source_file, source_line, reason, null, record_excerpt(raw), $now
from (
    select source_line, reason, raw from malformed
    union all
    select source_line, reason, raw from sink_outcomes where outcome = 'reject'
)
order by source_line
