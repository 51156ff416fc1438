-- spark_file_outcomes: per file and reason, how many records were accepted, rejected (by reason),
-- duplicate, and bucket rows; the small aggregate the driver builds the ledger from. A file with no
-- record has no row. Reads the views spark_records, spark_validated and spark_classified.
select file_id, outcome, reason, count(*) as n, count_if(is_bucket) as buckets
from (
    select file_id, 'reject' as outcome, problem as reason, false as is_bucket from spark_records where problem is not null
    union all
    select file_id, case when reason = 'superseded' then 'superseded' else 'reject' end, reason, false
    from spark_validated where reason is not null
    union all
    select file_id, outcome, case when outcome = 'reject' then 'conflicting_duplicate' end, is_bucket from spark_classified
)
group by file_id, outcome, reason
order by file_id, outcome, reason
