-- rejects_by_reason_for_file: reject counts per reason for one ingested file.
select reason, count(*)::bigint as n
from rejects
where file_id = $file_id
group by reason
order by reason
