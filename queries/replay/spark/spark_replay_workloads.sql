-- spark_replay_workloads: Spark twin of replay_workloads: every workload name (as renamed) with its rows.
select workload, count(*) as rows
from calls_named
group by workload
order by workload
