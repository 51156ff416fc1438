-- rejected_records: rejected records, optionally of one reason and of files whose path contains $file.
select source_file, source_line, reason, detail, raw_prefix
from rejects
where ($reason is null or reason = $reason)
  and ($file is null or contains(source_file, $file))
order by source_file, source_line
limit $limit
