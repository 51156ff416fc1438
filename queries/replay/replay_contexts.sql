-- replay_contexts: one row per (provider, model, Batch, service tier) among the calls a replay covers:
-- rows, calls they stand for, rows with a billed cost, buckets without a request count, time range.
-- params: $start_ts TIMESTAMPTZ (nullable), $until_ts TIMESTAMPTZ (nullable, exclusive), $workload VARCHAR (nullable)
select provider, model, is_batch, coalesce(service_tier, '') as service_tier,
       count(*)::bigint as rows,
       sum(coalesce(nullif(request_count, 0), 1))::bigint as calls,
       count(billed_cost_usd)::bigint as billed_rows,
       count(*) filter (where is_bucket and request_count is null)::bigint as uncounted_buckets,
       min(ts) as first_ts,
       max(ts) as last_ts
from calls_named
where matches_filters(workload, model, ts, $workload::varchar, null, $start_ts::timestamptz, $until_ts::timestamptz)
group by all
order by provider, model, is_batch, service_tier
