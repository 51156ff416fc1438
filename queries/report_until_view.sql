-- report_until_view: for this connection only, `calls_named` (migration 0004: calls with renames applied)
-- limited to the calls before report_until.until_ts, so a replay sees the report period only. It is
-- built on `calls` so that it does not refer to the view it shadows; report_until_drop removes it.
create or replace temp view calls_named as
select c.* replace (coalesce(w.workload, c.workload) as workload), c.workload as auto_workload
from calls c
left join workload_names w on w.auto_workload = c.workload
where c.ts < (select until_ts from report_until)
