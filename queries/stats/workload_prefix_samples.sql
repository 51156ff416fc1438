-- workload_prefix_samples: for each workload and static-prefix hash, its per-call row count and a
-- deterministic sample of at most $sample_size calls (those with the smallest hash(call_id)), each as
-- (variable_chars, input_tokens): the points of the static-prefix regression.
-- params: $sample_size BIGINT, $workload, $model, $since, $until (nullable filters; $until exclusive)
select workload, prefix_hash, calls, p.variable_chars as variable_chars, p.input_tokens as input_tokens
from (
    select workload, prefix_hash, count(*)::bigint as calls,
           min_by({'variable_chars': variable_chars, 'input_tokens': input_tokens}, hash(call_id), $sample_size) as points
    from calls_named
    where not is_bucket and variable_chars is not null
      and matches_filters(workload, model, ts, $workload, $model, $since, $until)
    group by all
), unnest(points) as u(p)
order by workload, prefix_hash nulls first, variable_chars, input_tokens
