-- known_prefixes_of_sample: the prefixes a fast stage run on the head of a file (ftaudit/ingest/prefix_sample.py)
-- put into fast_staged.prefix_hash as text more than once, and their md5: the 16 most frequent, so that the
-- lookup of every line's prefix (prefix_md5 in queries/store/macros.sql) stays a few comparisons.
select coalesce(list(prefix_hash order by n desc), []) as texts, coalesce(list(md5(prefix_hash) order by n desc), []) as hashes
from (select prefix_hash, count(*) as n
      from fast_staged
      where prefix_hash is not null
      group by prefix_hash
      having count(*) > 1
      order by n desc
      limit 16)
