-- refuse_untimed_batch_results: one row (message, hint) when the file holds Anthropic Message Batches
-- results that would be calls but carry no time, and none was given (--ts, or the batch object beside
-- the file): the whole file is refused with one clear error instead of a bad_timestamp per line.
-- params: $ts_default TIMESTAMPTZ (nullable)
select count(*) || ' Anthropic Message Batches result(s) carry no time: pass --ts TIMESTAMP' as message,
       'the batch''s ended_at, e.g. --ts 2025-08-05T03:12:40Z; or save the batch object '
       || '(GET /v1/messages/batches/ID) beside the results as ID.json' as hint
from extracted
where provider = 'anthropic' and is_batch and ts_text is null
  and coalesce(reader_problem, 'bad_timestamp') = 'bad_timestamp'
having count(*) > 0 and $ts_default is null
order by message
