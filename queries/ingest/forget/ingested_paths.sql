-- ingested_paths: every path in the ledger, to suggest the nearest when `ftaudit forget` names none.
select distinct path
from ingested_files
order by path
