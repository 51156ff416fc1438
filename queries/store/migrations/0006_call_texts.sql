-- 0006_call_texts: the raw records of calls, ONLY when `ftaudit ingest --keep-text` asks for them.
-- Without that flag no prompt or completion text is ever written to the database.
create table if not exists call_texts (
    call_id     varchar not null,
    file_id     bigint not null,
    source_line bigint not null,
    record      json not null
);
