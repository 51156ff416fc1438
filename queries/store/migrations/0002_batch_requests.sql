-- 0002_batch_requests: request bodies of OpenAI Batch input files, joined to Batch output by custom_id.
-- Only derived numbers are kept (prefix hash and character counts), never the prompt text.
create table if not exists batch_requests (
    custom_id       varchar not null,
    model           varchar,
    prefix_hash     varchar,
    prefix_chars    bigint,
    variable_chars  bigint,
    hints           json,
    body            json,        -- always NULL unless ingest --keep-text
    file_id         bigint not null,
    source_line     bigint not null
);
