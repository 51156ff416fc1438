-- set_known_prefixes: the session variable ftaudit_prefix_md5, a map prefix text -> md5(text), of the
-- prefixes that a fast stage run on the head of a file (ftaudit/ingest/prefix_sample.py) put into
-- fast_staged.prefix_hash as text more than once: the 16 most frequent, so that the lookup of every
-- line's prefix (prefix_md5 in queries/store/macros.sql) stays a few comparisons.
set variable ftaudit_prefix_md5 = (
    select coalesce(map(list(prefix_hash order by n desc), list(md5(prefix_hash) order by n desc)), map())
    from (select prefix_hash, count(*) as n
          from fast_staged
          where prefix_hash is not null
          group by prefix_hash
          having count(*) > 1
          order by n desc
          limit 16)
)
