-- workload_auto_names: the ingest-time names of the calls now shown as $workload (empty if none).
-- params: $workload VARCHAR
select distinct auto_workload
from calls_named
where workload = $workload
order by auto_workload
