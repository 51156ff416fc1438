-- spark_rejects: every record not accepted nor a duplicate, as rows of `rejects` (the Spark SQL twin of
-- insert_rejects_from_staging): a superseded snapshot is not a reject. params: :now TIMESTAMP
select r.file_id, f.source_file, r.source_line, r.reason, r.detail, left(r.raw, 200) as raw_prefix, :now as ingested_at
from (
    select file_id, source_line, problem as reason, cast(null as string) as detail, raw from spark_records where problem is not null
    union all
    select file_id, source_line, reason, detail, raw from spark_validated where reason is not null and reason <> 'superseded'
    union all
    select file_id, source_line, 'conflicting_duplicate', 'call id ' || cid || ' was stored with other numbers', raw
    from spark_classified where outcome = 'reject'
) r
join spark_files f on f.file_id = r.file_id
