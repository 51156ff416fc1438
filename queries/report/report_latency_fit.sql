-- report_latency_fit: per workload, what a least-squares fit of latency_ms on input and output tokens
-- needs (population variances and covariances), plus latency percentiles; per-call rows with a latency.
-- params: $since, $until (nullable; $until exclusive)
select workload,
       count(*)::bigint as calls_with_latency,
       quantile_cont(latency_ms, 0.5) as latency_ms_p50,
       quantile_cont(latency_ms, 0.9) as latency_ms_p90,
       var_pop(input_tokens::double) as var_input,
       var_pop(output_tokens::double) as var_output,
       covar_pop(input_tokens::double, output_tokens::double) as cov_input_output,
       covar_pop(input_tokens::double, latency_ms) as cov_input_latency,
       covar_pop(output_tokens::double, latency_ms) as cov_output_latency
from calls_named
where not is_bucket
  and latency_ms is not null
  and in_window(ts, $since, $until)
group by workload
order by workload
