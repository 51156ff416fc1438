-- report_models: the price keys of the report period: one row per workload, provider, model, Batch flag
-- and service tier, with the calls they stand for and the last call time (to check each has a price).
-- params: $since, $until (nullable; $until exclusive)
select workload, provider, model, is_batch, coalesce(service_tier, '') as service_tier,
       sum(coalesce(nullif(request_count, 0), 1))::bigint as calls,
       max(ts) as last_ts
from calls_named
where in_window(ts, $since, $until)
group by all
order by workload, provider, model, is_batch, service_tier
