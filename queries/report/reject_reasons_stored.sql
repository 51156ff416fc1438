-- reject_reasons_stored: every reason the rejects table holds (a database may predate a reason's rename).
select distinct reason
from rejects
order by reason
