-- fast_insert_duplicate_ids: how many calls of this file share a call id (the fast path's last check).
select count(*) - count(distinct call_id) from calls where file_id = $file_id
