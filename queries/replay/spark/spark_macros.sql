-- spark_macros: Spark SQL's leaves_cost_usd, the twin of the DuckDB macro in queries/store/macros.sql:
-- the cost in USD of token leaves at one replay_prices row's rates (tokens x rate per 1M tokens, output
-- leaves x output_ratio, requests x rate per 1K requests). Exact only with
-- spark.sql.decimalOperations.allowPrecisionLoss=false (ftaudit/replay/spark.py sets it): then each
-- product keeps its whole scale (12 + 6 + 6 = 24 decimals), as DuckDB's does.
create or replace temporary function leaves_cost_usd(
    uncached bigint, cache_read bigint, cache_write_5m bigint, cache_write_1h bigint, output_other bigint, reasoning bigint,
    output_ratio decimal(18, 6), requests bigint, input_rate decimal(38, 12), cache_read_rate decimal(38, 12),
    cache_write_rate decimal(38, 12), cache_write_1h_rate decimal(38, 12), output_rate decimal(38, 12),
    reasoning_rate decimal(38, 12), requests_rate decimal(38, 12))
returns decimal(38, 24)
return (uncached * input_rate + cache_read * cache_read_rate + cache_write_5m * cache_write_rate
        + cache_write_1h * cache_write_1h_rate + (output_other * output_rate + reasoning * reasoning_rate) * output_ratio)
       * 0.000001BD
       + requests * requests_rate * 0.001BD
