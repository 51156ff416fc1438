-- classified_records: decide accept / duplicate / reject(conflicting_duplicate) for each valid record.
-- A record without a call id gets one from a hash of its raw text and its occurrence number, so a
-- re-read or overlapping export of the same records is recognised. Same id + same content = duplicate.
-- A file read in chunks (ftaudit/ingest/paths.py) counts the occurrences of earlier chunks (raw_occurrences).
with earlier as (
    select raw_md5, sum(n) as n from raw_occurrences group by raw_md5
),
valid as (
    select v.*,
           coalesce(call_id, 'sha:' || raw_ref.md5 || ':' || (coalesce((select e.n from earlier e where e.raw_md5 = raw_ref.md5), 0)
                    + row_number() over (partition by raw_ref.md5 order by source_line))) as cid,
           call_content_hash(ts, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, billed_cost_usd)
               as content_hash
    from validated v
    where reason is null
),
ranked as (
    select v.*,
           row_number() over (partition by v.cid order by v.source_line) as nth,
           first_value(v.content_hash) over (partition by v.cid order by v.source_line) as first_hash,
           c.content_hash as stored_hash
    from valid v
    left join calls c on c.call_id = v.cid  -- call_id is unique in calls: ingestion keeps it so
)
select *,
       case when stored_hash is null and nth = 1 then 'accept'
            when coalesce(stored_hash, first_hash) = content_hash then 'duplicate'
            else 'reject' end as outcome
from ranked
