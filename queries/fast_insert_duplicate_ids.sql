-- fast_insert_duplicate_ids: how many staged calls may share a call id (the fast path's last check;
-- the staged rows are the file's calls when the fast insert took them all). Distinct hashes of the
-- ids: cheaper than distinct strings, and a collision only sends the file to the careful path.
-- Read from the temp table: scanning the transaction's own rows of `calls` is slower.
select count(*) - count(distinct hash(id)) from fast_staged
