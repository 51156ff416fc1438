-- 0001_store: the canonical call table, the rejects table and the ingested-files ledger.
-- input_tokens follows OpenAI semantics: ALL prompt tokens, cache reads and cache writes included.
create sequence if not exists file_id_seq start 1;

create table if not exists ingested_files (
    file_id         bigint primary key,
    path            varchar not null,
    sha256          varchar not null,
    size_bytes      bigint not null,
    format          varchar not null,
    rows_read       bigint not null,
    rows_accepted   bigint not null,
    rows_rejected   bigint not null,
    rows_duplicate  bigint not null,
    bucket_rows     bigint not null,
    options         json,
    started_at      timestamptz not null,
    finished_at     timestamptz not null
);

create table if not exists calls (
    call_id                varchar not null,
    ts                     timestamptz not null,
    provider               varchar not null,
    model                  varchar not null,
    base_model             varchar not null,
    is_fine_tuned          boolean not null,
    workload               varchar not null,
    is_bucket              boolean not null,
    request_count          bigint,            -- 1 for a per-call row; NULL when a bucket has no count
    input_tokens           bigint not null,   -- all prompt tokens, cached and cache-write included
    cache_read_tokens      bigint not null,
    cache_write_tokens     bigint not null,
    cache_write_1h_tokens  bigint not null,   -- subset of cache_write_tokens (Anthropic 1h TTL)
    output_tokens          bigint not null,   -- billed output, reasoning included
    reasoning_tokens       bigint not null,
    is_batch               boolean not null,
    service_tier           varchar,
    latency_ms             double,
    status                 varchar,
    billed_cost_usd        decimal(38, 12),   -- only when the log carries one
    prefix_hash            varchar,           -- md5 of every message before the last user turn
    prefix_chars           bigint,
    variable_chars         bigint,
    hints                  json,              -- workload hints from the log (metadata, user, tags)
    content_hash           ubigint not null,  -- tells a true duplicate from a conflicting one
    file_id                bigint not null,
    source_file            varchar not null,
    source_line            bigint not null,
    ingested_at            timestamptz not null
);

create table if not exists rejects (
    file_id      bigint not null,
    source_file  varchar not null,
    source_line  bigint,
    reason       varchar not null,
    detail       varchar,
    raw_prefix   varchar,                     -- first 200 characters of the raw record
    ingested_at  timestamptz not null
);
