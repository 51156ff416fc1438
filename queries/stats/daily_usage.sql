-- daily_usage: one row per UTC day, workload and model: per-call rows, bucket rows and the requests
-- they stand for, and token totals over both (a bucket's tokens are real usage, only not per call).
-- params: $workload, $model, $since, $until (nullable filters; $until exclusive)
select ts::date as day, workload, model,
       count(*) filter (where not is_bucket)::bigint as calls,
       count(*) filter (where is_bucket)::bigint as bucket_rows,
       coalesce(sum(request_count::hugeint) filter (where is_bucket), 0) as bucket_requests,
       count(*) filter (where is_batch and not is_bucket)::bigint as batch_calls,
       sum(input_tokens::hugeint) as input_tokens,
       sum(cache_read_tokens::hugeint) as cache_read_tokens,
       sum(cache_write_tokens::hugeint) as cache_write_tokens,
       sum(output_tokens::hugeint) as output_tokens,
       sum(reasoning_tokens::hugeint) as reasoning_tokens
from calls_named
where matches_filters(workload, model, ts, $workload, $model, $since, $until)
group by all
order by day, workload, model
