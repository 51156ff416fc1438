-- spark_calls_named: the Spark twin of the calls_named view (queries/store/migrations/0004): the
-- dataset's calls (temp view `calls`, every column cast to its ftaudit-calls/1 Spark type by
-- ftaudit/replay/spark.py) with the workload renames of workload_names applied. Only the columns a
-- replay reads; `day` is the Hive partition (the UTC date of ts), kept so filters on it prune files.
create or replace temporary view calls_named as
select c.call_id, c.ts, c.day, c.provider, c.model, coalesce(w.workload, c.workload) as workload,
       c.workload as auto_workload, c.is_bucket, c.request_count, c.input_tokens, c.cache_read_tokens,
       c.cache_write_tokens, c.cache_write_1h_tokens, c.output_tokens, c.reasoning_tokens, c.is_batch, c.service_tier,
       c.billed_cost_usd, c.file_id, c.source_line
from calls c
left join workload_names w on w.auto_workload = c.workload
