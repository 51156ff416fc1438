-- sample_parquet: the first $limit rows of a Parquet file, each as a JSON object.
select to_json(t)::varchar as raw
from read_parquet($path) t
limit $limit
