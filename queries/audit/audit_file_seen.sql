-- audit_file_seen: whether content with this sha256 was ever ingested (the audit then skips the file,
-- leaving no ledger row, so running the audit again changes nothing).
-- params: $sha256 VARCHAR
select count(*)::bigint as ingestions
from ingested_files
where sha256 = $sha256
order by ingestions
