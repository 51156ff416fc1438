-- forget_calls: the calls rows of forgotten files ($file_ids), inside the caller's transaction.
delete from calls
where list_contains($file_ids, file_id)
