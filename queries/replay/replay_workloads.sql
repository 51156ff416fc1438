-- replay_workloads: every workload name (as renamed) with its number of rows, for checking --workload.
select workload, count(*)::bigint as rows
from calls_named
group by workload
order by workload
