-- stats_daily_calls: per-call rows per active UTC day, for each period, workload and model (the input
-- of calls-per-day statistics; idle days are filled in by distributions.calls_per_day).
-- params: $workload, $model, $since, $until (nullable filters; $until exclusive), $by ('day' | 'week' | 'month' | NULL)
select date_trunc($by, ts)::date as period, workload, model, ts::date as day, count(*)::bigint as calls
from calls_named
where not is_bucket
  and matches_filters(workload, model, ts, $workload, $model, $since, $until)
group by all
order by period nulls first, workload, model, day
