-- insert_batch_requests: accepted Batch input lines; only the prefix hash and character counts of
-- each request are kept, the body itself only with --keep-text.
insert into batch_requests
select custom_id, body ->> '$.model', prefix_hash_of(msgs), prefix_chars_of(msgs), variable_chars_of(msgs),
       json_merge_patch(case when json_type(body, '$.metadata') = 'OBJECT' then body -> '$.metadata' else '{}'::json end,
                        json_object('user', body ->> '$.user', 'custom_id', custom_id)),
       case when $keep_text then body end,
       $file_id, source_line
from sink_outcomes
where outcome = 'accept'
order by source_line
