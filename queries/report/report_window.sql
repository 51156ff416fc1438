-- report_window: first and last UTC day and the number of per-call rows in the report period.
-- params: $since, $until (nullable; $until exclusive)
select min(ts)::date as first_day, max(ts)::date as last_day, count(*)::bigint as calls
from calls_named
where not is_bucket
  and in_window(ts, $since, $until)
order by first_day
