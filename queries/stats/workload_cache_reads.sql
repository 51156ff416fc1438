-- workload_cache_reads: per workload, its per-call rows, their input tokens, how many read from the
-- prompt cache and the median cache_read_tokens of those hits (quantile_disc: an observed value).
-- params: $workload, $model, $since, $until (nullable filters; $until exclusive)
select workload,
       count(*)::bigint as calls,
       sum(input_tokens::hugeint) as input_tokens,
       count_if(cache_read_tokens > 0)::bigint as cache_hit_calls,
       quantile_disc(cache_read_tokens, 0.5) filter (where cache_read_tokens > 0) as cache_read_tokens_p50_of_hits
from calls_named
where not is_bucket
  and matches_filters(workload, model, ts, $workload, $model, $since, $until)
group by all
order by workload
