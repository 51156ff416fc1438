-- report_token_bins: calls per workload, token kind and bin of the data's own range (per-call rows only).
-- Per (workload, metric), the nonzero counts from lo to hi are cut into n equal bins: equal on a log scale
-- when hi > 20 x lo (a wide distribution), else equal widths (n <= hi - lo + 1), so a narrow distribution
-- (2,091 to 2,360 tokens) keeps its shape. Bin -1 holds the calls with zero tokens (no edges).
-- params: $bins BIGINT, $since, $until (nullable; $until exclusive)
with tokens as (
    select workload, metric, tokens
    from (
        select workload, input_tokens, cache_read_tokens, output_tokens
        from calls_named
        where not is_bucket
          and in_window(ts, $since, $until)
    ) unpivot (tokens for metric in (input_tokens, cache_read_tokens, output_tokens))
),
ranges as (
    select workload, metric, lo, hi,
           case when hi > 20 * lo then 'log' else 'linear' end as scale,
           case when hi > 20 * lo then $bins else least($bins, hi - lo + 1) end as n,
           case when hi > 20 * lo then (ln(hi + 1) - ln(lo)) / $bins
                else (hi - lo + 1) / least($bins, hi - lo + 1) end as width
    from (
        select workload, metric, min(tokens) filter (where tokens > 0) as lo, max(tokens) as hi
        from tokens
        group by all
    )
),
binned as (
    select t.workload, t.metric, r.scale, r.lo, r.width,
           case when t.tokens <= 0 then -1
                when r.scale = 'log' then least(floor((ln(t.tokens) - ln(r.lo)) / r.width), r.n - 1)::bigint
                else least(floor((t.tokens - r.lo) / r.width), r.n - 1)::bigint
           end as bin
    from tokens t
    join ranges r using (workload, metric)
)
select workload, metric, scale, bin,
       case when bin < 0 then 0 when scale = 'log' then exp(ln(lo) + bin * width) else lo + bin * width end as lower_tokens,
       case when bin < 0 then 0 when scale = 'log' then exp(ln(lo) + (bin + 1) * width) else lo + (bin + 1) * width end
           as upper_tokens,
       count(*)::bigint as calls
from binned
group by all
order by workload, metric, bin
