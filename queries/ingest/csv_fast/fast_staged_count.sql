-- fast_staged_count: the rows a fast stage read (all of them stored: the file is done).
select count(*) from fast_staged
