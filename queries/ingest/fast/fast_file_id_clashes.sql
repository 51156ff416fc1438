-- fast_file_id_clashes: how many of the calls fast_insert_file_calls just stored for the file have an id seen twice
-- in the file or in the calls of earlier files. The careful path decides those (a duplicate, a conflicting
-- duplicate): the whole-file path then gives the file back to the line path. params: $file_id
select (select count(*) - count(distinct call_id) from calls where file_id = $file_id)
     + (select count(*) from calls
        where file_id <> $file_id and call_id in (select call_id from calls where file_id = $file_id))
