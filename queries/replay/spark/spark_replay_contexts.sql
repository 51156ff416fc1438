-- spark_replay_contexts: Spark twin of replay_contexts: one row per (provider, model, Batch, service
-- tier) among the calls a replay covers: rows, calls, billed rows, uncounted buckets, time range.
-- params: :start_ts (nullable), :until_ts (nullable, exclusive), :workload (nullable)
select provider, model, is_batch, coalesce(service_tier, '') as service_tier,
       count(*) as rows,
       sum(coalesce(nullif(request_count, 0), 1)) as calls,
       count(billed_cost_usd) as billed_rows,
       count(*) filter (where is_bucket and request_count is null) as uncounted_buckets,
       min(ts) as first_ts,
       max(ts) as last_ts
from calls_named
where (cast(:workload as string) is null or workload = cast(:workload as string))
  and (cast(:start_ts as timestamp) is null or ts >= cast(:start_ts as timestamp))
  and (cast(:until_ts as timestamp) is null or ts < cast(:until_ts as timestamp))
group by all
order by provider, model, is_batch, service_tier
