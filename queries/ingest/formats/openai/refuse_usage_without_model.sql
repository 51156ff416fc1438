-- refuse_usage_without_model: one row (message, hint) when every bucket result of an OpenAI Usage API
-- file has no model: the pages were exported without group_by=model, and a bucket without a model
-- cannot be priced. One error for the file instead of a missing_field reject per bucket.
select count(*) || ' Usage API bucket result(s) have no model: re-export with group_by=model' as message,
       'the pages were exported without group_by=model and cannot be priced; e.g. GET '
           || '/v1/organization/usage/completions?bucket_width=1d&group_by=model,project_id' as hint
from extracted
where reader_problem is null
having count(*) > 0 and count(*) filter (where model is null or trim(model) = '') = count(*)
order by message
