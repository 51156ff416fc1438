-- drop_sampled_prefixes: the rows a fast stage wrote into fast_staged from a file's head for the prefix sample
-- (ftaudit/ingest/prefix_sample.py): their prefix_hash holds the prompt text itself, so they do not stay in the
-- connection once known_prefixes_of_sample has read them (the whole-file path no longer overwrites fast_staged).
drop table if exists fast_staged
