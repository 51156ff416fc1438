-- pg_table_columns: PostgreSQL, not DuckDB. The columns of a table or view, in table order; no row
-- when there is no such relation (to_regclass gives NULL). The name is quoted as an identifier.
select attname::text
from pg_attribute
where attrelid = to_regclass(%(table)s) and attnum > 0 and not attisdropped
order by attnum
