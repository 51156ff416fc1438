-- 0008_superseded_rows: records that are earlier snapshots of a call logged again later (streamed
-- chunks before the one with the final usage, Responses polled while queued / in progress) are neither
-- calls nor rejects. The ledger counts them, so rows_read = accepted + rejected + duplicate + superseded.
alter table ingested_files add column if not exists rows_superseded bigint default 0;
