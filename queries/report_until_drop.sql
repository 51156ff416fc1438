-- report_until_drop: removes the shadowing view of report_until_view; `calls_named` is the stored view again.
drop view if exists temp.main.calls_named
