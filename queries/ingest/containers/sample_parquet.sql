-- sample_parquet: the first $limit rows of a Parquet file, each as a JSON object.
select to_json(ftaudit_row__)::varchar as raw
from read_parquet($path) ftaudit_row__
limit $limit
