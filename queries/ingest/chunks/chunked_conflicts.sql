-- chunked_conflicts: signs that a call's records spanned the careful runs over this file, so that one run
-- over the whole file must decide (stream chunks of one response whose last snapshot is in a later run;
-- with the superseded count): conflicting_duplicate rejects, and rejected records (rejected_ids) whose
-- call has a record in another run, stored or rejected. params: $file_id
select (select count(*) from rejects where file_id = $file_id and reason = 'conflicting_duplicate')
     + (select count(*)
        from rejected_ids r
        where exists (select 1 from calls c
                      where c.file_id = $file_id and c.call_id = r.call_id
                        and c.source_line not between r.first_line and r.last_line)
           or exists (select 1 from rejected_ids o where o.call_id = r.call_id and o.first_line <> r.first_line))
