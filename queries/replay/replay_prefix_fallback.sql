-- replay_prefix_fallback: per workload, the median cache_read_tokens of per-call rows with a cache hit:
-- a lower bound of the static prefix, used when no static-prefix estimate is available.
-- params: $workload VARCHAR (nullable), $start_ts TIMESTAMPTZ, $until_ts TIMESTAMPTZ (nullable, exclusive)
select workload,
       quantile_disc(cache_read_tokens, 0.5)::bigint as prefix_tokens,
       count(*)::bigint as cache_hit_calls
from calls_named
where cache_read_tokens > 0 and not is_bucket
  and ($workload::varchar is null or workload = $workload::varchar)
  and ts >= $start_ts::timestamptz
  and ($until_ts::timestamptz is null or ts < $until_ts::timestamptz)
group by workload
order by workload
