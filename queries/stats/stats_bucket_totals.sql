-- stats_bucket_totals: aggregate (bucket) rows, which are not single calls, totalled per period,
-- workload and model; shown beside the per-call distributions, never mixed into them.
-- params: $workload, $model, $since, $until (nullable filters; $until exclusive), $by ('day' | 'week' | 'month' | NULL)
select date_trunc($by, ts)::date as period, workload, model,
       count(*)::bigint as bucket_rows,
       sum(request_count::hugeint) as requests,
       count(*) filter (where request_count is null)::bigint as rows_without_request_count,
       min(ts) as first_ts,
       max(ts) as last_ts,
       sum(input_tokens::hugeint) as input_tokens,
       sum(cache_read_tokens::hugeint) as cache_read_tokens,
       sum(cache_write_tokens::hugeint) as cache_write_tokens,
       sum(output_tokens::hugeint) as output_tokens
from calls_named
where is_bucket
  and matches_filters(workload, model, ts, $workload, $model, $since, $until)
group by all
order by period nulls first, workload, model
