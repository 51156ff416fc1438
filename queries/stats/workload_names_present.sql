-- workload_names_present: 1 when the database has the calls_named view (migration 0004), else 0.
select count(*)::bigint as present
from duckdb_views()
where view_name = 'calls_named' and not temporary
order by present
