-- forget_batch_requests: the batch_requests rows of forgotten files ($file_ids), inside the caller's transaction.
delete from batch_requests
where list_contains($file_ids, file_id)
