-- raw_occurrences_reset: no record without a call id seen yet in this file (see classified_records: its
-- id counts earlier occurrences of the same text, also those of earlier chunks of the file).
create or replace temp table raw_occurrences (raw_md5 varchar, n bigint)
