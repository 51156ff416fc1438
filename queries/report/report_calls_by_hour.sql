-- report_calls_by_hour: per-call rows per UTC hour and workload in the report period (the traffic chart's
-- grain when the logs span under 3 days; idle hours are filled in by ftaudit.report.traffic).
-- params: $since, $until (nullable; $until exclusive)
select date_trunc('hour', ts) as hour, workload, count(*)::bigint as calls
from calls_named
where not is_bucket
  and in_window(ts, $since, $until)
group by all
order by hour, workload
