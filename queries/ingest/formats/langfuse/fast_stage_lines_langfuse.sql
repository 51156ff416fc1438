-- fast_stage_lines_langfuse: the columns of fast_stage_langfuse (the steps of macros_fast_langfuse), plus
-- source_line, from the text of each staged line (staged_lines) that is a JSON object: each line parsed
-- once by json_transform (scalars as text, maps as JSON), then read with extract_langfuse's rule, so a
-- taken line is stored as the careful path stores it.
create or replace temp table fast_staged as
select source_line, unnest(langfuse_fast_columns(j, c, msgs, s, t, secs, cost_text, cost))
from (
  select source_line, j, c, msgs, secs, cost_text, cost, s, langfuse_fast_tokens(s, j.type) as t
  from (
    select source_line, j, c, msgs, secs, cost_text, cost, langfuse_usage_sums(kv, b, j.promptTokens, j.completionTokens) as s
    from (
      select source_line, j, c, msgs, secs, cost_text, cost, kv, langfuse_usage_bits(kv) as b
      from (
        select source_line, j, c, msgs, secs, cost_text, try_cast(cost_text as decimal(38, 12)) as cost,
               langfuse_usage_kv(e, c.usage_legacy) as kv
        from (
          select source_line, j, c, langfuse_usage_entries(c.usage_details) as e, langfuse_fast_msgs(c.prompt) as msgs,
                 try_cast(j.latency as double) as secs, coalesce(c.cost_details ->> '$.total', j.calculatedTotalCost) as cost_text
          from (
            select source_line, j, langfuse_fast_cells(j) as c
            from (
              select valid_line as source_line,
                     json_transform(line, '{"id": "VARCHAR", "type": "VARCHAR", "startTime": "VARCHAR",
                         "endTime": "VARCHAR", "model": "VARCHAR", "latency": "VARCHAR", "level": "VARCHAR",
                         "calculatedTotalCost": "VARCHAR", "promptTokens": "VARCHAR", "completionTokens": "VARCHAR",
                         "name": "VARCHAR", "promptName": "VARCHAR", "promptVersion": "VARCHAR", "traceName": "VARCHAR",
                         "userId": "VARCHAR", "environment": "VARCHAR", "sessionId": "VARCHAR", "usageDetails": "JSON",
                         "costDetails": "JSON", "usage": "JSON", "metadata": "JSON", "input": "JSON"}') as j
              from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line
                    from staged_lines)
              where json_valid(line) and starts_with(ltrim(line, ' ' || chr(9) || chr(10) || chr(13)), '{')
            )
          )
        )
      )
    )
  )
)
