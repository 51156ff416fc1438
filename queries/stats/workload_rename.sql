-- workload_rename: show the calls named $auto_workload at ingest as $workload from now on.
-- params: $auto_workload VARCHAR, $workload VARCHAR, $now TIMESTAMPTZ
insert or replace into workload_names (auto_workload, workload, renamed_at)
values ($auto_workload, $workload, $now)
