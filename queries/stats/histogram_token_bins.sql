-- histogram_token_bins: calls per workload, token kind and log-spaced bin, per-call rows only.
-- Bin k >= 0 holds counts in [10^(k/b), 10^((k+1)/b)) with b = $bins_per_decade; bin -1 holds zero.
-- params: $bins_per_decade BIGINT, $workload, $model, $since, $until (nullable filters; $until exclusive)
select workload, metric,
       case when tokens <= 0 then -1 else floor(log10(tokens) * $bins_per_decade)::bigint end as bin,
       count(*)::bigint as calls
from (
    select workload, input_tokens, cache_read_tokens, output_tokens
    from calls_named
    where not is_bucket
      and matches_filters(workload, model, ts, $workload, $model, $since, $until)
) unpivot (tokens for metric in (input_tokens, cache_read_tokens, output_tokens))
group by all
order by workload, metric, bin
