-- insert_call_texts: with --keep-text only, the raw record of every accepted call of this file.
-- params: $keep_text BOOLEAN, $file_id
insert into call_texts
select c.cid, $file_id, c.source_line, r.js
from classified c
join records r on r.source_line = c.source_line and md5(r.raw) = c.raw_ref.md5
where $keep_text and c.outcome = 'accept'
order by c.source_line
