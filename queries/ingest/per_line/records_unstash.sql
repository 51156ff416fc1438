-- records_unstash: every staged record back in `records` (after records_unstash_drop).
alter view records_all rename to records
