-- insert_rejects_from_staging: every record of this file that was not accepted, a duplicate nor a
-- superseded snapshot (reason 'superseded': counted in the ledger, not a reject).
-- params: $file_id, $source_file, $now
insert into rejects
select $file_id, $source_file, source_line, reason, detail, head, $now
from (
    select source_line, reason, null as detail, record_excerpt(raw) as head from malformed
    union all
    select source_line, reason, detail, raw_ref.head from validated where reason is not null and reason <> 'superseded'
    union all
    select source_line, 'conflicting_duplicate', 'call id ' || cid || ' was stored with other numbers', raw_ref.head
    from classified where outcome = 'reject'
)
order by source_line
