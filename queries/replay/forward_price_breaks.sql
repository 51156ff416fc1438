-- forward_price_breaks: the days in ($from_day, $until_day] on which any rate of the replay's price
-- table (replay_prices) changes: the forward replay prices its window once per span between them.
-- params: $from_day DATE, $until_day DATE
select distinct valid_from::date as day
from replay_prices
where valid_from > $from_day::date::timestamptz and valid_from <= $until_day::date::timestamptz
order by day
