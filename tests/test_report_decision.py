"""The report a stakeholder acts on: the recommendation from the forward replay comes first, then the
targets `compare` ranks, then the historical evidence; a coverage line under the title; money for
people; same input, same bytes. Through the real CLI on the bundled sample logs and on a small log.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_report import two_workload_lines, write_log, write_scenario

TODAY = "2026-12-01"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FTAUDIT_TODAY", TODAY)
        result = Cli()("demo", "--out", out)
        assert result.exit_code == 0, result.stderr
        yield out


def _cents(amount: str) -> str:
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def _sections(page: str) -> list[str]:
    return re.findall(r'<section id="([a-z-]+)">', page)


@pytest.mark.slow
def test_demo_report_leads_with_the_forward_verdict_from_the_run_date(demo: Path) -> None:
    """FTAUDIT_TODAY=2026-12-01: ft:gpt-4o-mini-2024-07-18 stops serving on 2027-01-14, so neither
    scenario pays back if started now (issue 11); the page says so first, with the net by the last
    serving day to the cent, and the historical "paid for itself" only later, as evidence."""
    page = (demo / "demo.html").read_text(encoding="utf-8")
    twin = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    assert _sections(page)[:3] == ["recommendation", "targets", "verdict"]
    for block in twin["scenarios"]:
        f, rec = block["forward"], block["recommendation"]
        assert (f["from_date"], f["status"], f["end_of_service_date"]) == (TODAY, "never", "2027-01-13")
        assert rec["kind"] == "dont" and rec["workload"] == block["workload"]
        assert rec["text"].startswith("Don't fine-tune on openai/ft:gpt-4o-mini-2024-07-18 now: ")
        assert "stops serving on 2027-01-14" in rec["text"]
        assert f"the net is {_cents(f['net_at_end_of_service_usd'])}." in rec["text"]
        assert html.escape(rec["text"]) in page
        assert page.index(html.escape(rec["text"])) < page.index(html.escape(block["verdict"]))
    # the page is written for people: no catalog syntax, no transcription credits, no server paths
    visible = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    for jargon in ("[[lifecycle]]", "transcribed", "[flag", str(Path.cwd()), "/sample_logs/"):
        assert jargon not in visible.split('id="appendix"')[0], jargon
    assert "<td><span class=path>sample_logs/chat_requests.jsonl.gz</span></td>" in page


@pytest.mark.slow
def test_demo_coverage_line_and_counts_agree(demo: Path) -> None:
    page = (demo / "demo.html").read_text(encoding="utf-8")
    twin = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    assert twin["coverage"]["text"].startswith("90 days of logs, 2 workloads, 29,208 calls")
    assert '<p class="coverage">90 days of logs, 2 workloads, 29,208 calls' in page
    totals = twin["data_quality"]["totals"]
    assert totals["rows_accepted"] == twin["coverage"]["calls"] + twin["coverage"]["other_records"] == 34_425
    for block in twin["scenarios"]:  # keys named for what they hold: days after the logs, not "12 months"
        assert "net_savings_next_12_months_usd" not in block and block["next_days"] == 74


@pytest.mark.slow
def test_targets_table_is_compare_from_the_same_date(cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTAUDIT_TODAY", TODAY)
    twin = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    page = (demo / "demo.html").read_text(encoding="utf-8")
    block = twin["scenarios"][0]
    ranked = cli.json("compare", "--db", demo / "demo.duckdb", "--scenario", "scenarios/classify.toml", "--from", "today")
    assert block["targets"] == ranked
    names = [t["target"] for t in ranked["targets"]]
    assert {"openai/ft:gpt-4o-mini-2024-07-18", "azure/ft:gpt-4o-mini-2024-07-18"} <= set(names)
    targets_html = page.split('<section id="targets">')[1].split("</section>")[0]
    positions = [targets_html.index(html.escape(name)) for name in names]
    assert positions == sorted(positions)  # in compare's order
    assert "needs an hourly hosting price" in targets_html  # unpriced targets say what they need


def _small_db(cli: Cli, tmp_path: Path) -> tuple[Path, Path]:
    logs = write_log(tmp_path / "chat.jsonl", two_workload_lines(datetime(2026, 9, 1, tzinfo=UTC), 21, 6))
    db = tmp_path / "small.duckdb"
    assert cli("ingest", "--db", db, "--workload-from", "feature", logs).exit_code == 0
    scenario = write_scenario(tmp_path / "classify.toml", name="classify", workload="classify",
                              fine_tuned_model="ft:gpt-4o-mini-2024-07-18", remove_prompt_tokens=1000,
                              training_cost="0.01")
    return db, scenario


def test_same_input_gives_the_same_bytes(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, scenario = _small_db(cli, tmp_path)
    pages = []
    for run in ("a", "b"):
        out = tmp_path / run / "r.html"
        result = cli("report", "--db", db, "--scenario", scenario, "--from", "2026-10-01",
                     "--generated-at", "2026-10-01T08:00:00Z", "--out", out)
        assert result.exit_code == 0, result.stderr
        pages.append((out.read_bytes(), out.with_suffix(".json").read_bytes()))
    assert pages[0] == pages[1]
    assert b"generated 2026-10-01T08:00:00+00:00" in pages[0][0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 10, 1, 8, tzinfo=UTC).timestamp())))
    out = tmp_path / "c" / "r.html"
    assert cli("report", "--db", db, "--scenario", scenario, "--from", "2026-10-01", "--out", out).exit_code == 0
    assert (out.read_bytes(), out.with_suffix(".json").read_bytes()) == pages[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    bad = cli("report", "--db", db, "--scenario", scenario, "--out", tmp_path / "d" / "r.html")
    assert bad.exit_code != 0 and "SOURCE_DATE_EPOCH" in bad.stderr and "Traceback" not in bad.stderr


def test_recommendation_that_pays_back_names_date_range_and_net(cli: Cli, tmp_path: Path) -> None:
    """21 days of logs, a $0.01 training: trained on 2026-10-01 the fine-tune pays back; the line gives
    the forward replay's date, range and net after 12 months (capped by the end of service) to the cent."""
    db, scenario = _small_db(cli, tmp_path)
    out = tmp_path / "r.html"
    assert cli("report", "--db", db, "--scenario", scenario, "--from", "2026-10-01", "--out", out).exit_code == 0
    twin: dict[str, Any] = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    (block,) = twin["scenarios"]
    f = block["forward"]
    replayed = cli.json("replay", "--db", db, "--scenario", scenario, "--from", "2026-10-01")["forward"]
    assert {k: f[k] for k in ("status", "break_even_date", "net_at_end_of_service_usd")} == {
        k: replayed[k] for k in ("status", "break_even_date", "net_at_end_of_service_usd")}
    assert f["status"] == "pays_back"
    rec = block["recommendation"]
    assert rec["kind"] == "go"
    low, high = f["break_even_range"]["low"], f["break_even_range"]["high"]
    assert rec["text"] == (
        f"Fine-tune on openai/ft:gpt-4o-mini-2024-07-18 on 2026-10-01: pays back by {f['break_even_date']} "
        f"(range {low} to {high}), +{_cents(f['net_at_end_of_service_usd'])} by its end of service, 2027-01-13."
    )
    last = datetime(2026, 10, 1) + timedelta(days=364)
    assert last.date().isoformat() > "2027-01-13"  # 12 months end after the end of service: the net is by the latter


@pytest.mark.slow
def test_volume_threshold_agrees_with_itself_and_the_verdict(demo: Path) -> None:
    """A longer period never needs more calls per month than a shorter one (so never "not possible"
    after a possible one), and the replay's own break-even date is in every period that ends after it."""
    twin = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    for block in twin["scenarios"]:
        v = block["volume_threshold"]
        day = block["replay"]["break_even_date"] or block["replay"]["projected_break_even_date"]
        needed = [r["calls_per_month"] for r in v["rows"]]
        assert None not in needed and needed == sorted(needed, reverse=True), needed
        assert [r["met"] for r in v["rows"]] == [v["current_calls_per_month"] >= k for k in needed]
        assert [r["in_period"] for r in v["rows"]] == [day <= r["end_date"] for r in v["rows"]]
        assert v["break_even_date"] == day


def test_charts_follow_the_data(cli: Cli, tmp_path: Path) -> None:
    """One day of logs: traffic per hour (not one point per day), token histograms binned over the data's
    own narrow range (prompts of 1,200 to 1,205 tokens get one bin per token count, not one log bin), no
    chart for a kind whose calls all have 0 tokens (a sentence instead)."""
    from ftaudit.report.charts import figures

    logs = write_log(tmp_path / "chat.jsonl", two_workload_lines(datetime(2026, 9, 1, 6, tzinfo=UTC), 1, 6))
    db = tmp_path / "day.duckdb"
    assert cli("ingest", "--db", db, "--workload-from", "feature", logs).exit_code == 0
    out = tmp_path / "day.html"
    assert cli("report", "--db", db, "--out", out).exit_code == 0
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    daily = twin["daily_calls"]
    assert daily["grain"] == "hour" and daily["dates"][0] == "2026-09-01 06:00"
    assert sum(sum(s["calls"]) for s in daily["workloads"]) == 12
    by_key = {(h["workload"], h["metric"]): h for h in twin["histograms"]}
    prompts = by_key[("classify", "input_tokens")]
    assert prompts["scale"] == "linear" and [b["calls"] for b in prompts["bins"]] == [1] * 6
    assert [b["lower"] for b in prompts["bins"]] == [1200, 1201, 1202, 1203, 1204, 1205]
    assert by_key[("classify", "cache_read_tokens")] == {"workload": "classify", "metric": "cache_read_tokens",
                                                        "scale": None, "zero_calls": 6, "bins": []}
    divs = figures.figure_divs(twin)
    assert "chart-tokens-1-cache-read-tokens" not in divs["chart-token-histograms"]
    assert "classify: all 6 calls have 0 cached input tokens." in divs["token-histogram-notes"]
    assert "%b %d %H:%M" in divs["chart-daily-calls"]  # hour ticks, not 23:59:59.999


def test_cumulative_chart_spans_the_data_and_points_to_a_later_end_of_service() -> None:
    """Logs ending 2026-09-30, end of service 2027-01-14: the x axis is the data's; the end of service
    is an arrow at the right edge, not a line that stretches the axis over months without data."""
    from ftaudit.report.charts import figures
    from tests.test_report import _fixture

    scenario = _fixture()["scenarios"][0]
    fig = figures.cumulative_cost(scenario).to_plotly_json()
    assert list(fig["layout"]["xaxis"]["range"]) == [scenario["cumulative"]["dates"][0], scenario["cumulative"]["dates"][-1]]
    assert not [s for s in fig["layout"].get("shapes", []) if s.get("x0") == "2027-01-14"]
    (arrow,) = [a for a in fig["layout"]["annotations"] if "stops serving 2027-01-14" in a["text"]]
    assert arrow["showarrow"] and arrow["xref"] == "paper" and arrow["x"] == 1


def test_too_little_data_is_not_enough_data_with_what_is_needed(cli: Cli, tmp_path: Path) -> None:
    """Under two days of logs (6 calls of the workload): no date, no 12-month figure; the line says what is
    needed (issue 11)."""
    logs = write_log(tmp_path / "chat.jsonl", two_workload_lines(datetime(2026, 9, 1, 6, tzinfo=UTC), 1, 6))
    db = tmp_path / "day.duckdb"
    assert cli("ingest", "--db", db, "--workload-from", "feature", logs).exit_code == 0
    scenario = write_scenario(tmp_path / "s.toml", name="classify", workload="classify",
                              fine_tuned_model="ft:gpt-4o-mini-2024-07-18", remove_prompt_tokens=1000, training_cost="0.01")
    out = tmp_path / "day.html"
    result = cli("report", "--db", db, "--scenario", scenario, "--from", "2026-10-01", "--out", out)
    assert result.exit_code == 0, result.stderr
    (block,) = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["scenarios"]
    assert block["forward"]["status"] == "insufficient_data" and block["forward"]["break_even_date"] is None
    rec = block["recommendation"]
    assert rec["kind"] == "wait" and rec["text"].startswith("Not enough data: too little data: 2 day(s) with calls and 6 call(s)")
    assert "at least 7 days with calls and 100 calls are needed" in rec["text"]
    assert result.stdout.splitlines()[0] == f"classify: {rec['text']}"  # stdout: the recommendation first
    assert block["what_if"] is None
