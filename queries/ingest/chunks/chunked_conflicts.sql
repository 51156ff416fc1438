-- chunked_conflicts: conflicting_duplicate rejects the careful runs over this file stored. With the
-- superseded count, the sign that a call's records spanned runs (stream chunks of one response whose
-- last snapshot is in a later run): then one run over the whole file decides. params: $file_id
select count(*) from rejects where file_id = $file_id and reason = 'conflicting_duplicate'
