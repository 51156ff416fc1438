-- audit_month_calls: rows (calls and bucket rows) logged in the audited month [$since, $until).
-- params: $since TIMESTAMPTZ, $until TIMESTAMPTZ
select count(*)::bigint as calls
from calls
where ts >= $since and ts < $until
order by calls
