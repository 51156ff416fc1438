-- raw_occurrences_add: after a chunk of the file, count its valid records without a call id by text, so
-- the next chunk numbers their occurrences on from there (as one pass over the whole file would).
insert into raw_occurrences
select raw_ref.md5, count(*) from validated where reason is null and call_id is null group by raw_ref.md5
