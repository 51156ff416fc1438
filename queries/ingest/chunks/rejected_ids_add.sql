-- rejected_ids_add: after a careful run over lines $first_line..$last_line, the call ids of the records it
-- rejected (a stream's first chunk without its output counts, say): if another run holds a record of
-- the same call, the run alone decided what one pass would not (chunked_conflicts).
insert into rejected_ids
select $first_line, $last_line, call_id
from validated
where reason is not null and reason <> 'superseded' and call_id is not null
