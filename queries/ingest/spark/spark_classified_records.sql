-- spark_classified_records: the Spark SQL twin of classified_records over every planned file at once.
-- Files are taken in plan order (file_id), as the DuckDB engine ingests them one after the other: the
-- first record of a call id is accepted, a later one with the same content is a duplicate, with other
-- numbers a conflicting_duplicate. A record without a call id gets 'sha:' || md5(raw) || ':' || its
-- occurrence number within its file. Reads the view spark_validated.
with valid as (
    select *,
           coalesce(call_id, 'sha:' || md5(raw) || ':'
                    || cast(row_number() over (partition by file_id, md5(raw) order by source_line) as string)) as cid,
           call_content_hash(ts, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, billed_cost_usd)
               as content_hash
    from spark_validated
    where reason is null
),
ranked as (
    select *,
           row_number() over (partition by cid order by file_id, source_line) as nth,
           first_value(content_hash) over (partition by cid order by file_id, source_line) as first_hash
    from valid
)
select *,
       case when nth = 1 then 'accept'
            when first_hash = content_hash then 'duplicate'
            else 'reject' end as outcome
from ranked
