-- sample_csv: the first $limit rows of a CSV file, each as a JSON object of strings keyed by header.
select to_json(ftaudit_row__)::varchar as raw
from read_csv($path, all_varchar = true, header = true, null_padding = true, parallel = false, compression = $compression) ftaudit_row__
limit $limit
