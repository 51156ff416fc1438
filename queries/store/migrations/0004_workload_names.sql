-- 0004_workload_names: user renames of workloads (`ftaudit workloads rename OLD NEW`) and the view
-- `calls_named`, which is `calls` with every rename applied. A rename is keyed by the name given at
-- ingest, so calls ingested later under that name show the new name too. Columns are listed so that
-- a later migration adding a column to `calls` does not break the view.
create table if not exists workload_names (
    auto_workload  varchar primary key,   -- calls.workload as assigned at ingest
    workload       varchar not null,      -- the name shown everywhere instead
    renamed_at     timestamptz not null
);

create or replace view calls_named as
select c.call_id, c.ts, c.provider, c.model, c.base_model, c.is_fine_tuned,
       coalesce(w.workload, c.workload) as workload,
       c.workload as auto_workload,
       c.is_bucket, c.request_count, c.input_tokens, c.cache_read_tokens, c.cache_write_tokens,
       c.cache_write_1h_tokens, c.output_tokens, c.reasoning_tokens, c.is_batch, c.service_tier,
       c.latency_ms, c.status, c.billed_cost_usd, c.prefix_hash, c.prefix_chars, c.variable_chars,
       c.hints, c.content_hash, c.file_id, c.source_file, c.source_line, c.ingested_at
from calls c
left join workload_names w on w.auto_workload = c.workload;
