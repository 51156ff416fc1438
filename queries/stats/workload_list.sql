-- workload_list: one row per workload (renames applied): the names it was given at ingest, how they
-- were given (ingest --workload, a metadata field, the prefix hash or the model), its per-call and
-- bucket rows, models, distinct static prefixes and first/last call.
select workload,
       list(distinct auto_workload order by auto_workload) as auto_workloads,
       list(distinct named_by order by named_by) as named_by,
       count(*) filter (where not is_bucket)::bigint as calls,
       count(*) filter (where is_bucket)::bigint as bucket_rows,
       list(distinct model order by model) as models,
       count(distinct prefix_hash)::bigint as prefixes,
       min(ts) as first_ts,
       max(ts) as last_ts
from (
    select c.workload, c.auto_workload, c.is_bucket, c.model, c.prefix_hash, c.ts,
           case when f.options ->> 'workload' = c.auto_workload then 'ingest --workload'
                when f.options ->> 'workload_from' is not null
                     and json_extract_string(c.hints, '$.' || to_json(f.options ->> 'workload_from')::varchar) = c.auto_workload
                     then 'metadata field ' || (f.options ->> 'workload_from')
                when c.prefix_hash is not null and c.auto_workload = 'prefix-' || substr(c.prefix_hash, 1, 6)
                     then 'prefix hash'
                when c.auto_workload = c.model then 'model'
                else 'other' end as named_by
    from calls_named c
    left join ingested_files f using (file_id)
)
group by workload
order by calls desc, workload
