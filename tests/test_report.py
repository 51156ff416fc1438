"""The report: a pure, deterministic, self-contained render; log-derived strings only ever escaped;
prompt text never shown; size bounded by days x workloads, not calls; the JSON twin's replay numbers
equal `ftaudit replay --json`.
"""

from __future__ import annotations

import html
import json
import re
import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ftaudit import report
from ftaudit.report import outlook
from ftaudit.report.page import render_report
from ftaudit.store.connection import open_store
from tests.conftest import DATA, ROOT, Cli

FIXTURE = DATA / "report" / "report_data.json"
WHEN = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
PROMPT_CANARY = "PROMPT-CANARY-7f3a9c"  # in every request's messages; must never reach the page or the twin

# Log-controlled strings: a model name, a workload (from a metadata field) and a file name.
HOSTILE_MODEL = "<script>alert(1)</script>"
HOSTILE_WORKLOAD = '<img src=x onerror="window.__pwned=1">" onmouseover="alert(2)'
HOSTILE_UNPRICED_WORKLOAD = "javascript:alert(3)//</td><b>"
HOSTILE_FILE = '"><svg onload=alert(4)>javascript:alert(5).jsonl'
BROWSER_PAYLOAD = "<script>window.__pwned=1</script>"  # a model name the browser test looks for as text


def chat_pair(
    n: int,
    created: datetime,
    *,
    model: str,
    feature: str,
    prompt_tokens: int,
    cached: int = 0,
    completion: int = 5,
    latency_ms: float | None = None,
) -> str:
    """One logged request/response pair (OpenAI chat) with a static system prompt."""
    record: dict[str, Any] = {
        "request": {
            "model": model,
            "messages": [
                {"role": "system", "content": f"You classify tickets. {PROMPT_CANARY}"},
                {"role": "user", "content": f"ticket {n} {PROMPT_CANARY}"},
            ],
            "metadata": {"feature": feature},
        },
        "response": {
            "id": f"chatcmpl-{n:06d}-{zlib.crc32((model + feature).encode()):08x}",
            "object": "chat.completion",
            "created": int(created.timestamp()),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "billing"}, "finish_reason": "stop"}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion,
                "total_tokens": prompt_tokens + completion,
                "prompt_tokens_details": {"cached_tokens": cached},
            },
        },
    }
    if latency_ms is not None:
        record["latency_ms"] = latency_ms
    return json.dumps(record)


def write_log(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def two_workload_lines(first_day: datetime, days: int, per_day: int, *, start_n: int = 0) -> list[str]:
    """`classify` (gpt-4o-mini, 1,200-token prompts) and `draft` (gpt-4o), `per_day` calls each per day."""
    lines = []
    n = start_n
    for d in range(days):
        for k in range(per_day):
            at = first_day + timedelta(days=d, minutes=7 + k * (1380 // per_day))
            lines.append(
                chat_pair(n, at, model="gpt-4o-mini-2024-07-18", feature="classify", prompt_tokens=1200 + k, completion=3)
            )
            lines.append(
                chat_pair(
                    n,
                    at + timedelta(seconds=30),
                    model="gpt-4o-2024-08-06",
                    feature="draft",
                    prompt_tokens=600 + 5 * k,
                    completion=300 + k,
                )
            )
            n += 1
    return lines


def write_scenario(path: Path, **keys: Any) -> Path:
    path.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in keys.items()), encoding="utf-8")
    return path


def hostile_report(tmp_path: Path, cli: Cli | None = None) -> Path:
    """Ingest logs whose model, workload and file names are markup, then write their report."""
    cli = cli or Cli()
    logs = tmp_path / "logs"
    logs.mkdir()
    start = datetime(2026, 9, 1, tzinfo=UTC)
    lines = []
    for n in range(60):
        at = start + timedelta(hours=6 * n)
        lines.append(chat_pair(n, at, model="gpt-4o-mini-2024-07-18", feature=HOSTILE_WORKLOAD, prompt_tokens=1500))
        lines.append(chat_pair(n, at, model=HOSTILE_MODEL, feature=HOSTILE_UNPRICED_WORKLOAD, prompt_tokens=300))
        lines.append(chat_pair(n, at, model=BROWSER_PAYLOAD, feature=HOSTILE_UNPRICED_WORKLOAD, prompt_tokens=200))
    write_log(logs / HOSTILE_FILE, lines)
    db = tmp_path / "hostile.duckdb"
    result = cli("ingest", "--db", db, "--workload-from", "feature", logs)
    assert result.exit_code == 0, result.stderr
    scenario = write_scenario(
        tmp_path / "hostile.toml",
        name="<i>scenario</i>",
        workload=HOSTILE_WORKLOAD,
        fine_tuned_model="ft:gpt-4o-mini-2024-07-18",
        remove_prompt_tokens=1000,
        training_cost="0.01",
    )
    out = tmp_path / "out" / "hostile.html"
    result = cli("report", "--db", db, "--scenario", scenario, "--out", out, "--title", "<h1>title</h1>")
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = Cli()("demo", "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def _fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


# -- pure render -----------------------------------------------------------------------------------
def test_same_data_gives_same_bytes_apart_from_the_generation_time() -> None:
    data = _fixture()
    first = render_report(data, generated_at=WHEN)
    assert render_report(_fixture(), generated_at=WHEN) == first
    later = render_report(data, generated_at=WHEN + timedelta(hours=5))
    assert later != first
    assert later.replace("2026-11-29T17:00:00+00:00", "2026-11-29T12:00:00+00:00") == first


def test_page_is_self_contained_with_plotly_inlined_once() -> None:
    page = render_report(_fixture(), generated_at=WHEN)
    assert page.count("* plotly.js v") == 1
    assert re.search(r"<script[^>]*\bsrc=", page) is None
    assert "<link" not in page and "@import" not in page
    assert "default-src 'none'" in page  # the Content-Security-Policy forbids every request
    assert 'div id="chart-cumulative-cost-1"' in page  # fixed div ids, not uuids
    assert re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", page) is None
    assert "@media print" in page


def test_sections_come_in_the_issue_order_with_a_table_of_contents() -> None:
    page = render_report(_fixture(), generated_at=WHEN)
    order = [
        "recommendation",
        "targets",
        "verdict",
        "cumulative-cost",
        "daily-calls",
        "token-histograms",
        "sensitivity",
        "volume-threshold",
        "latency",
        "workloads",
        "data-quality",
        "appendix",
    ]
    positions = [page.index(f'<section id="{anchor}">') for anchor in order]
    assert positions == sorted(positions)
    for anchor in order:
        assert f'href="#{anchor}"' in page


def test_numbers_are_formatted_for_people() -> None:
    page = render_report(_fixture(), generated_at=WHEN)
    assert "36,000 calls" in page  # thousands separators
    assert "$12.60" in page and "-$88.00" in page  # currency
    assert "$0.27 per 1,000 calls" in page  # a sub-cent amount per call, per 1,000 calls
    assert "2026-09-13" in page  # ISO dates
    assert "-$60.25" in page and "60.254999" not in page.split("<script")[0]  # a net inside a sentence, to the cent
    for amount, after in visible_money(page):
        rate = after.startswith(("per 1M", "per 1,000 requests", "per hour", "per month", "per replica"))
        assert rate or re.fullmatch(r"-?\$[0-9,]+\.[0-9]{2}", amount), (amount, after)


def visible_money(page: str) -> list[tuple[str, str]]:
    """Every dollar amount a reader sees (outside scripts and tags) with the words after it."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", page, flags=re.S)))
    return [(m.group(1), m.group(2).strip()) for m in re.finditer(r"(-?\$-?[0-9][0-9,]*(?:\.[0-9]+)?)([^$]{0,24})", text)]


def test_page_size_follows_days_and_workloads_not_calls(tmp_path: Path) -> None:
    sizes = []
    for calls in (2_000, 200_000):
        db = tmp_path / f"synthetic-{calls}.duckdb"
        _synthetic_calls(db, calls, days=120, workloads=4)
        with open_store(db, read_only=True) as store:
            data = report.gather(store, [], title="synthetic")
        sizes.append(len(render_report(data, generated_at=WHEN).encode()))
    assert all(size < report.MAX_REPORT_BYTES for size in sizes)
    assert abs(sizes[1] - sizes[0]) < 20_000, sizes  # 100x the calls, (almost) the same page


def _synthetic_calls(db: Path, calls: int, *, days: int, workloads: int) -> None:
    open_store(db).close()  # migrations
    con = duckdb.connect(str(db))
    con.execute(
        """
        insert into calls (call_id, ts, provider, model, base_model, is_fine_tuned, workload, is_bucket, request_count,
                           input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens,
                           reasoning_tokens, is_batch, content_hash, file_id, source_file, source_line, ingested_at)
        select 'c' || range, timestamptz '2026-06-01 00:00:00+00' + to_seconds((range * $seconds // $calls)::bigint),
               'openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18', false, 'w' || (range % $workloads), false, 1,
               500 + (range * 7919) % 3000, 0, 0, 0, 1 + (range * 104729) % 400, 0, false, range::ubigint, 1, 'synthetic', range,
               timestamptz '2026-11-01 00:00:00+00'
        from range($calls)
        """,
        {"calls": calls, "seconds": days * 86_400, "workloads": workloads},
    )
    con.close()


# -- escaping and privacy, through the real CLI ----------------------------------------------------
def test_log_controlled_strings_appear_only_escaped(cli: Cli, tmp_path: Path) -> None:
    page = hostile_report(tmp_path, cli).read_text(encoding="utf-8")
    for raw in (
        HOSTILE_MODEL,
        HOSTILE_WORKLOAD,
        HOSTILE_UNPRICED_WORKLOAD,
        HOSTILE_FILE,
        BROWSER_PAYLOAD,
        "<i>scenario</i>",
        "<h1>title</h1>",
    ):
        assert raw not in page, raw
        assert html.escape(raw, quote=True) in page, raw
    # nor as JSON inside a chart's <script> (plotly's encoder would write \u003c for <)
    assert "\\u003cscript" not in page and "\\u003cimg" not in page
    # every <script> is one of ours: the config, plotly.js, one per chart
    charts = page.count('class="plotly-graph-div"')
    assert page.count("<script") == page.count("<script>") == 2 + charts
    assert re.search(r"""(href|src)\s*=\s*["']?javascript:""", page, re.IGNORECASE) is None
    assert 'onerror="window' not in page and '" onmouseover="' not in page


def test_prompt_text_never_reaches_the_page_or_the_twin(cli: Cli, tmp_path: Path) -> None:
    out = hostile_report(tmp_path, cli)
    assert PROMPT_CANARY not in out.read_text(encoding="utf-8")
    assert PROMPT_CANARY not in out.with_suffix(".json").read_text(encoding="utf-8")


def test_unpriced_models_are_listed_in_data_quality(cli: Cli, tmp_path: Path) -> None:
    twin = json.loads(hostile_report(tmp_path, cli).with_suffix(".json").read_text(encoding="utf-8"))
    unpriced = {u["model"]: u["calls"] for u in twin["data_quality"]["unpriced_models"]}
    assert unpriced == {HOSTILE_MODEL: 60, BROWSER_PAYLOAD: 60}


# -- the JSON twin and the replay ------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["classify.toml", "draft-distill.toml"])
def test_twin_replay_numbers_equal_replay_json(cli: Cli, demo_dir: Path, tmp_path: Path, scenario: str) -> None:
    db, path = demo_dir / "demo.duckdb", ROOT / "scenarios" / scenario
    out = tmp_path / "r.html"
    result = cli("report", "--db", db, "--scenario", path, "--out", out)
    assert result.exit_code == 0, result.stderr
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    replayed = cli.json("replay", "--db", db, "--scenario", path)
    assert twin["scenarios"][0]["replay"] == replayed
    block = twin["scenarios"][0]
    assert block["net_savings_to_date_usd"] == replayed["net_savings_usd"]
    assert result.stdout.strip().endswith(block["verdict"])  # stdout: the verdict
    cum = block["cumulative"]
    assert Decimal(cum["base_usd"][-1]) == Decimal(replayed["base_cost_usd"]).quantize(Decimal("1e-6"))
    final_net = Decimal(cum["base_usd"][-1]) - Decimal(cum["fine_tuned_usd"][-1])
    assert abs(final_net - Decimal(replayed["daily"][-1]["cumulative_net_usd"])) <= Decimal("2e-6")


@pytest.mark.slow
def test_demo_writes_the_report_with_a_verdict_per_bundled_scenario(demo_dir: Path) -> None:
    twin = json.loads((demo_dir / "demo.json").read_text(encoding="utf-8"))
    page = (demo_dir / "demo.html").read_text(encoding="utf-8")
    assert [s["status"] for s in twin["scenarios"]] == ["reached", "projected"]
    assert twin["scenarios"][0]["verdict"].startswith("Fine-tuning ft:gpt-4o-mini-2024-07-18 for “classify” paid for itself on")
    for block in twin["scenarios"]:
        assert html.escape(block["verdict"]) in page
    assert len(page.encode()) < report.MAX_REPORT_BYTES
    quality = twin["data_quality"]["totals"]
    outcomes = ("rows_accepted", "rows_rejected", "rows_duplicate", "rows_superseded")
    assert quality["rows_read"] == sum(quality[k] for k in outcomes)


@pytest.mark.slow
def test_next_days_count_only_the_days_the_tuned_model_serves(demo_dir: Path) -> None:
    """ft:gpt-4o-mini-2024-07-18 shuts down on 2027-01-14 (pricing.md §0): after logs ending on D it
    serves from D + 1 to 2027-01-13, so the card's "next N days" is that many days, not one more."""
    twin = json.loads((demo_dir / "demo.json").read_text(encoding="utf-8"))
    for block in twin["scenarios"]:
        shutdown = datetime.fromisoformat(block["end_of_service_date"]).date()
        last_logged = datetime.fromisoformat(block["replay"]["end_date"]).date()
        assert block["next_days"] == (shutdown - last_logged).days - 1
        assert f"in the {block['next_days']} days after the logs" in (demo_dir / "demo.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_until_limits_every_number_and_leaves_the_database_as_it_was(cli: Cli, demo_dir: Path, tmp_path: Path) -> None:
    db = demo_dir / "demo.duckdb"
    out = tmp_path / "september.html"
    result = cli(
        "report",
        "--db",
        db,
        "--scenario",
        ROOT / "scenarios" / "classify.toml",
        "--since",
        "2026-09-01",
        "--until",
        "2026-10-01",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.stderr
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    replayed = twin["scenarios"][0]["replay"]
    assert (replayed["start_date"], replayed["end_date"]) == ("2026-09-01", "2026-09-30")
    assert (twin["window"]["first_day"], twin["window"]["last_day"]) == ("2026-09-01", "2026-09-30")
    september = (
        duckdb.connect(str(db), read_only=True)
        .execute("select count(*) from calls where workload = 'prefix-30d265' and ts >= '2026-09-01' and ts < '2026-10-01'")
        .fetchall()
    )
    assert replayed["calls"] == september[0][0]
    with open_store(db, read_only=True) as store:  # the shadowing view was temporary
        assert store.con.execute("select count(*) from calls_named").fetchall()[0][0] == 29_208


def test_report_without_a_scenario_shows_traffic_and_data_quality(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert cli("ingest", "--db", db, DATA / "openai" / "malformed.jsonl").exit_code == 0
    out = tmp_path / "x.html"
    result = cli("report", "--db", db, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"report written to {out}" in result.stderr
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert twin["scenarios"] == []
    totals = twin["data_quality"]["totals"]
    assert totals["rows_rejected"] == sum(r["rows"] for r in twin["data_quality"]["rejects_by_reason"]) > 0
    assert totals["rows_read"] == sum(totals[k] for k in ("rows_accepted", "rows_rejected", "rows_duplicate", "rows_superseded"))
    assert "No scenario was given" in out.read_text(encoding="utf-8")

    # ingesting the same file again changes nothing the report shows
    assert cli("ingest", "--db", db, DATA / "openai" / "malformed.jsonl").exit_code == 0
    assert cli("report", "--db", db, "--out", tmp_path / "again.html").exit_code == 0
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert again["data_quality"] == twin["data_quality"]


def test_bad_window_and_missing_scenario_are_one_line_errors(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert cli("ingest", "--db", db, DATA / "openai" / "chat_responses.jsonl").exit_code == 0
    result = cli("report", "--db", db, "--since", "2026-10-01", "--until", "2026-09-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("ftaudit: error: --since is not before --until")
    result = cli("report", "--db", db, "--scenario", tmp_path / "nope.toml")
    assert result.exit_code == 1
    assert "no such scenario file" in result.stderr and "Traceback" not in result.stderr


def test_latency_section_fits_the_logged_latency(cli: Cli, tmp_path: Path) -> None:
    # latency = 120 ms + 0.05 ms per input token + 20 ms per output token, exactly
    csv = tmp_path / "latency.csv"
    rows = ["ts,input_tokens,output_tokens,latency_ms"]
    for n in range(400):
        inp, out = 800 + (n * 37) % 1600, 5 + (n * 11) % 60
        rows.append(f"{1788000000 + n * 600},{inp},{out},{120 + 0.05 * inp + 20 * out}")
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "lat.duckdb"
    result = cli(
        "ingest",
        "--db",
        db,
        csv,
        "--map",
        "ts=ts",
        "--map",
        "input_tokens=input_tokens",
        "--map",
        "output_tokens=output_tokens",
        "--map",
        "latency_ms=latency_ms",
        "--model",
        "gpt-4o-mini-2024-07-18",
        "--workload",
        "support",
    )
    assert result.exit_code == 0, result.stderr
    scenario = write_scenario(
        tmp_path / "s.toml",
        workload="support",
        fine_tuned_model="ft:gpt-4o-mini-2024-07-18",
        remove_prompt_tokens=700,
        training_cost="1",
    )
    out = tmp_path / "lat.html"
    assert cli("report", "--db", db, "--scenario", scenario, "--out", out).exit_code == 0
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    [fit] = twin["latency"]
    assert fit["ms_per_1k_input_tokens"] == pytest.approx(50.0, rel=1e-6)
    assert fit["ms_per_output_token"] == pytest.approx(20.0, rel=1e-6)
    change = twin["scenarios"][0]["latency"]
    assert change["expected_change_ms"] == pytest.approx(-35.0, rel=1e-6)  # 700 tokens x 0.05 ms
    assert "per 1,000 input tokens" in out.read_text(encoding="utf-8")


# -- verdict sentences -----------------------------------------------------------------------------
def _summary(**changes: Any) -> dict[str, Any]:
    base = {
        "workload": "classify",
        "base_model": None,
        "fine_tuned_model": "ft:gpt-4o-mini-2024-07-18",
        "status": "reached",
        "break_even_date": "2026-03-14",
        "break_even_calls": 412000,
        "projected_break_even_date": None,
        "projected_range": None,
        "never_reason": None,
        "terms": {},
    }
    return {**base, **changes}


def test_verdict_sentences() -> None:
    assert outlook.verdict(_summary()) == (
        "Fine-tuning ft:gpt-4o-mini-2024-07-18 for “classify” paid for itself on 2026-03-14, after 412,000 calls."
    )
    projected = _summary(
        status="projected", projected_break_even_date="2026-05-02", projected_range={"low": "2026-04-20", "high": "2026-05-30"}
    )
    assert outlook.verdict(projected).endswith(
        "is projected to break even between 2026-04-20 and 2026-05-30 (central estimate 2026-05-02)."
    )
    source = "catalog [[lifecycle]] openai/ft:gpt-4o-mini: https://example.invalid (notice (2026))"
    never = _summary(
        status="never",
        workload=None,
        base_model="gpt-4o-2024-08-06",
        never_reason=f"the fine-tuned model stops serving on 2027-01-14 ({source}), before the projected "
        "break-even on 2027-03-01",
        terms={"serving_until": {"value": "2027-01-14", "source": source}},
    )
    assert outlook.verdict(never) == (
        "Fine-tuning ft:gpt-4o-mini-2024-07-18 in place of gpt-4o-2024-08-06 for all workloads never breaks even: the "
        "fine-tuned model stops serving on 2027-01-14, before the projected break-even on 2027-03-01."
    )
