-- forget_call_texts: the call_texts rows of forgotten files ($file_ids), inside the caller's transaction.
delete from call_texts
where list_contains($file_ids, file_id)
