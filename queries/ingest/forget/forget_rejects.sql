-- forget_rejects: the rejects rows of forgotten files ($file_ids), inside the caller's transaction.
delete from rejects
where list_contains($file_ids, file_id)
