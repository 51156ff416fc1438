-- forget_billed_costs: the billed_costs rows of forgotten files ($file_ids), inside the caller's transaction.
delete from billed_costs
where list_contains($file_ids, file_id)
