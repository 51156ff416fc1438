-- 0003_billed_costs: amounts billed per day from the OpenAI Costs API. Not calls: kept apart so replayed
-- costs can be checked against the bill. One row per (bucket_start, line_item, project_id, api_key_id).
create table if not exists billed_costs (
    bucket_start   timestamptz not null,
    bucket_end     timestamptz,
    amount_usd     decimal(38, 12) not null,
    currency       varchar not null,
    line_item      varchar,              -- e.g. 'input_tokens'; NULL unless grouped by line_item
    project_id     varchar,
    api_key_id     varchar,
    quantity       decimal(38, 12),
    quantity_unit  varchar,              -- 'tokens', '1000_tokens', ... (2026-08+), else NULL
    file_id        bigint not null,
    source_line    bigint not null
);
