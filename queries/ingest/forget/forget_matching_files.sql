-- forget_matching_files: ledger rows of the files `ftaudit forget` names: by the path they were ingested
-- under, by their content (sha256), or under a folder (path prefix). With the calls and rejects they hold.
select f.file_id, f.path,
       (select count(*) from calls c where c.file_id = f.file_id)::bigint as calls,
       (select count(*) from rejects r where r.file_id = f.file_id)::bigint as rejects
from ingested_files f
where list_contains($paths, f.path)
   or list_contains($sha256s, f.sha256)
   or len(list_filter($folders, lambda folder: starts_with(f.path, folder))) > 0
order by f.file_id
