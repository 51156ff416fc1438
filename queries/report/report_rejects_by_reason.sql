-- report_rejects_by_reason: rejected rows per reason over the whole database.
select reason, count(*)::bigint as rows
from rejects
group by reason
order by rows desc, reason
