"""ftaudit replay --from D: the forward replay (issue 11 §1) on calls ingested with the real `ftaudit
ingest`. Every expected date and amount is worked out by hand in the test from
`Decimal(rate) * tokens / 10**6` and the calendar, never taken from ftaudit."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ftaudit
from ftaudit.replay.forward_options import ForwardOptions
from tests.conftest import REAL_TRACES, Cli, needs_real_traces
from tests.test_replay import epoch, ingest_csv, write

M = Decimal(10**6)
PRICES = ('[models."gpt-4o-mini"]\ninput_mtok = "0.15"\noutput_mtok = "0.60"\n'
          '[models."ft:gpt-4o-mini"]\ninput_mtok = "0.30"\noutput_mtok = "1.20"\n')
BASE_CALL = Decimal("0.15") * 2000 / M  # 2,000 input tokens, no output
TUNED_CALL = Decimal("0.30") * (2000 - 1900) / M  # the fine-tune drops 1,900 of them
SAVED = BASE_CALL - TUNED_CALL  # $0.00027 a call
MON = date(2026, 9, 7)  # a Monday: the custom workload's window starts here


def days_of_calls(first: date, calls_per_day: list[int]) -> list[int]:
    """Epoch seconds of `calls_per_day[i]` calls on day first + i, one a minute from 12:00 UTC."""
    return [epoch(datetime.combine(first + timedelta(days=i), datetime.min.time(), UTC)) + 12 * 3600 + 60 * k
            for i, n in enumerate(calls_per_day) for k in range(n)]


def ingest_days(cli: Cli, db: Path, tmp_path: Path, first: date, calls_per_day: list[int], name: str = "calls") -> None:
    ts = days_of_calls(first, calls_per_day)
    ingest_csv(cli, db, tmp_path / f"{name}.csv",
               {"ts": ts, "input_tokens": [2000] * len(ts), "output_tokens": [0] * len(ts)}, model="gpt-4o-mini")


def replay_from(cli: Cli, db: Path, *args: str | Path) -> dict[str, Any]:
    out: dict[str, Any] = cli.json("replay", "--db", db, "--remove-prompt-tokens", "1900", *args)
    return out


# -- end of service: "reached" in the logs, "never" from 2026-12-01 -------------------------------------

def test_reached_in_the_logs_but_never_from_2026_12_01_because_the_model_stops_serving(cli: Cli, db: Path,
                                                                                      tmp_path: Path) -> None:
    # 8 weeks of 10 calls a day, 2026-08-10 to 2026-10-04; $0.14 of training.
    ingest_days(cli, db, tmp_path, date(2026, 8, 10), [10] * 56)
    prices = write(tmp_path / "prices.toml", PRICES)
    out = replay_from(cli, db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "0.14",
                      "--prices", prices, "--from", "2026-12-01")
    # History: 560 calls save 560 x $0.00027 = $0.1512 >= $0.14, reached at call ceil(0.14 / 0.00027) = 519.
    assert out["status"] == "reached" and out["break_even_calls"] == 519
    f = out["forward"]
    # Trained 2026-12-01, serving 2026-12-02 up to, not including, 2027-01-14: 30 + 13 = 43 days of 10 calls.
    serving_days = (date(2027, 1, 14) - date(2026, 12, 2)).days
    assert serving_days == 43
    expected_net = serving_days * 10 * SAVED - Decimal("0.14")
    assert expected_net == Decimal("-0.0239")
    assert f["status"] == "never" and f["break_even_date"] is None
    assert "2027-01-14" in f["never_reason"] and "2027-01-13" in f["never_reason"]
    assert f["end_of_service_date"] == "2027-01-13"
    assert Decimal(f["net_at_end_of_service_usd"]) == expected_net
    assert Decimal(f["net_after_12_months_usd"]) == expected_net  # capped by the end of service
    assert f["training_date"] == f["from_date"] == "2026-12-01" and f["serving_from_date"] == "2026-12-02"
    assert len(f["daily"]) == 44 and f["daily"][0]["date"] == "2026-12-01" and f["daily"][-1]["date"] == "2027-01-13"
    assert Decimal(f["daily"][0]["fixed_usd"]) == Decimal("0.14") and f["daily"][0]["calls"] == 0
    assert all(d["calls"] == 10 and Decimal(d["base_usd"]) == 10 * BASE_CALL for d in f["daily"][1:])
    assert Decimal(f["daily"][-1]["cumulative_net_usd"]) == expected_net


def test_no_training_after_the_last_day_for_new_jobs(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_days(cli, db, tmp_path, date(2026, 8, 10), [10] * 56)
    prices = write(tmp_path / "prices.toml", PRICES)
    flags = ("--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "0.01", "--prices", prices)
    late = replay_from(cli, db, *flags, "--from", "2027-01-07")["forward"]
    assert late["status"] == "never" and "no new fine-tuning jobs after 2027-01-06" in late["never_reason"]
    assert late["net_at_end_of_service_usd"] is None and late["net_after_12_months_usd"] is None and late["daily"] == []
    # The last day for new jobs itself is allowed: 2027-01-07 to 2027-01-13 serve 7 days x 10 calls.
    last = replay_from(cli, db, *flags, "--from", "2027-01-06")["forward"]
    assert "no new fine-tuning jobs" not in (last["never_reason"] or "")
    assert Decimal(last["net_at_end_of_service_usd"]) == 7 * 10 * SAVED - Decimal("0.01")
    assert last["status"] == "pays_back" and last["break_even_date"] == "2027-01-10"  # 40 calls x $0.00027 >= $0.01
    # Serving from the shutdown day on: never, naming it.
    shut = replay_from(cli, db, *flags, "--from", "2027-01-06", "--lead-days", "8")["forward"]
    assert shut["status"] == "never" and "stops serving on 2027-01-14" in shut["never_reason"]
    assert shut["serving_from_date"] == "2027-01-14"


def test_a_target_already_shut_down(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_days(cli, db, tmp_path, MON, [10] * 28)
    prices = write(tmp_path / "prices.toml", PRICES + '[models."ft:my-model"]\ninput_mtok = "0.30"\noutput_mtok = "1.20"\n'
                   'serving_until = 2026-11-01\n')
    f = replay_from(cli, db, "--fine-tuned-model", "ft:my-model", "--training-cost", "0.01", "--prices", prices,
                    "--from", "2026-12-01")["forward"]
    assert f["status"] == "never" and "shut down on 2026-11-01" in f["never_reason"]


# -- too little data ----------------------------------------------------------------------------------------

@needs_real_traces()
def test_one_hour_of_logs_is_insufficient_data_forward_and_for_the_projection(cli: Cli, db: Path) -> None:
    cli("ingest", "--db", db, REAL_TRACES / "AzureLLMInferenceTrace_conv.csv", "--map", "ts=TIMESTAMP",
        "--map", "input_tokens=ContextTokens", "--map", "output_tokens=GeneratedTokens", "--model", "gpt-4o-2024-08-06")
    out = replay_from(cli, db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1000",
                      "--from", "2026-12-01")
    assert out["calls"] == 19_366 and out["start_date"] == out["end_date"]
    assert Decimal(out["net_savings_per_call_usd"]) > 0  # the fine-tune saves per call: only the volume is missing
    assert out["status"] == "insufficient_data" and out["projected_break_even_date"] is None
    assert out["projected_range"] is None and "1 day(s) with calls" in out["never_reason"]
    f = out["forward"]
    assert f["status"] == "insufficient_data" and "1 day(s) with calls and 19,366 call(s)" in f["never_reason"]
    assert "at least 7 days with calls and 100 calls" in f["never_reason"]
    assert f["break_even_date"] is None and f["break_even_range"] == {"low": None, "high": None}
    assert f["net_after_12_months_usd"] is None and f["net_at_end_of_service_usd"] is None and f["daily"] == []
    text = cli("replay", "--db", db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1000",
               "--remove-prompt-tokens", "1900", "--from", "2026-12-01")
    assert text.exit_code == 0 and text.stdout.startswith("if trained on 2026-12-01")
    assert "no verdict: too little data" in text.stdout


def test_seven_days_but_fewer_than_100_calls_is_insufficient_data(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_days(cli, db, tmp_path, MON, [14] * 7)  # 98 calls
    prices = write(tmp_path / "prices.toml", PRICES + '[models."ft:my-model"]\ninput_mtok = "0.30"\noutput_mtok = "1.20"\n')
    out = replay_from(cli, db, "--fine-tuned-model", "ft:my-model", "--training-cost", "1", "--prices", prices,
                      "--from", "2026-12-01")
    assert out["forward"]["status"] == "insufficient_data" and "98 call(s)" in out["forward"]["never_reason"]
    assert out["status"] == "insufficient_data"


# -- a hand-computed pay-back -------------------------------------------------------------------------------

# 4 weeks from Monday 2026-09-07, calls on weekdays only: 10 a weekday in week 1, 20 in week 2, 30, 40.
WEEKDAY_ONLY = [n if day < 5 else 0 for n in (10, 20, 30, 40) for day in range(7)]
CUSTOM = '[models."ft:my-model"]\ninput_mtok = "0.30"\noutput_mtok = "1.20"\n'  # no end of service


def custom_forward(cli: Cli, db: Path, tmp_path: Path, *args: str) -> dict[str, Any]:
    prices = write(tmp_path / "prices.toml", PRICES + CUSTOM)
    out = replay_from(cli, db, "--fine-tuned-model", "ft:my-model", "--training-cost", "0.05", "--prices", prices,
                      "--from", "2026-12-01", *args)
    forward: dict[str, Any] = out["forward"]
    return forward


def test_pays_back_on_the_day_worked_out_by_hand_with_the_day_of_week_kept(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_days(cli, db, tmp_path, MON, WEEKDAY_ONLY)
    f = custom_forward(cli, db, tmp_path)
    # Trained Tue 2026-12-01, serving from Wed 12-02, which replays the window's first Wednesday (week 1):
    # Wed-Fri 12-02..04 week 1 (10 a day), 12-07..11 week 2 (20), 12-14..18 week 3 (30), 12-21..25 week 4 (40),
    # then week 1 again. $0.05 of training needs ceil(0.05 / 0.00027) = 186 calls: 30 by 12-04, 130 by 12-11,
    # 160 on Mon 12-14, 190 on Tue 12-15.
    assert Decimal("0.05") / SAVED > 185 and 186 * SAVED >= Decimal("0.05") > 185 * SAVED
    assert f["status"] == "pays_back" and f["break_even_date"] == "2026-12-15"
    # Each week alone: week 1 (50 calls a week) reaches 190 calls on Mon 12-28; week 4 (40 a weekday) 200 on
    # Tue 12-08; weeks 2 and 3 on 12-15 and 12-10.
    assert f["break_even_range"] == {"low": "2026-12-08", "high": "2026-12-28"}
    daily = {d["date"]: d for d in f["daily"]}
    for day_text, d in daily.items():
        day = date.fromisoformat(day_text)
        if day.weekday() >= 5 or day == date(2026, 12, 1):
            assert d["calls"] == 0 and Decimal(d["base_usd"]) == 0
    assert [daily[f"2026-12-{n:02}"]["calls"] for n in (2, 4, 7, 14, 21, 25, 28, 30)] == [10, 10, 20, 30, 40, 40, 10, 10]
    assert Decimal(daily["2026-12-21"]["base_usd"]) == 40 * BASE_CALL
    assert Decimal(daily["2026-12-21"]["tuned_usd"]) == 40 * TUNED_CALL
    assert Decimal(daily["2026-12-01"]["fixed_usd"]) == Decimal("0.05")
    assert sum(Decimal(d["fixed_usd"]) for d in f["daily"]) == Decimal("0.05")  # no hosting or storage for this target
    # 12 months = the training day and 364 serving days (2026-12-02 to 2027-11-30) = 13 cycles of 500 calls.
    assert len(f["daily"]) == 365 and f["daily"][-1]["date"] == "2027-11-30"
    assert Decimal(f["net_after_12_months_usd"]) == 13 * 500 * SAVED - Decimal("0.05") == Decimal("1.705")
    assert f["end_of_service_date"] is None and f["net_at_end_of_service_usd"] is None
    # The window: 28 days ending on the last day with calls, Fri 10-02, so from Sat 09-05 (the weekend before
    # the first call counts as days without calls), weekdays named, priced at the rates of the first serving day.
    assert [w["weekday"] for w in f["window"][:7]] == ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"]
    assert f["window"][0]["date"] == "2026-09-05" and f["window"][-1]["date"] == "2026-10-02"
    assert [w["calls"] for w in f["window"]] == [0, 0, *WEEKDAY_ONLY[:26]]
    assert all(w["removed_input_tokens"] == 1900 * w["calls"] for w in f["window"])
    (workload,) = f["workloads"]
    assert workload["calls"] == 500 and workload["removed_input_tokens"] == 500 * 1900
    assert Decimal(workload["base_usd"]) == 500 * BASE_CALL and Decimal(workload["tuned_usd"]) == 500 * TUNED_CALL
    assert "each of the window's weeks on its own" in f["method"]


def test_volume_factor_2_moves_the_break_even_as_worked_out_by_hand(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_days(cli, db, tmp_path, MON, WEEKDAY_ONLY)
    f = custom_forward(cli, db, tmp_path, "--volume-factor", "2")
    # Twice the calls, still 186 calls' worth of savings needed: 20 a day Wed-Fri (60 by 12-04), then week 2's
    # 40 a day: 100 on Mon 12-07, 140, 180, 220 on Thu 12-10.
    assert f["status"] == "pays_back" and f["break_even_date"] == "2026-12-10"
    assert f["daily"][1]["calls"] == 20 and Decimal(f["daily"][1]["base_usd"]) == 20 * BASE_CALL
    assert Decimal(f["net_after_12_months_usd"]) == 2 * 13 * 500 * SAVED - Decimal("0.05")
    # Each week alone, doubled: week 1 (20 a weekday) 60 by 12-04, 160 by 12-11, 200 on Tue 12-15; week 4 (80 a
    # weekday) 240 on Fri 12-04; week 2 (40) 200 on Tue 12-08; week 3 (60) 240 on Mon 12-07.
    assert f["break_even_range"] == {"low": "2026-12-04", "high": "2026-12-15"}


def test_prices_of_the_new_date_apply(cli: Cli, db: Path, tmp_path: Path) -> None:
    """A fine-tuned input price that doubles on 2026-12-21 prices the replayed calls from that day on,
    though every logged call was made in September at the old price."""
    ingest_days(cli, db, tmp_path, MON, WEEKDAY_ONLY)
    step = '[[models."ft:my-model".history]]\nfrom = 2026-12-21\ninput_mtok = "0.60"\n'
    prices = write(tmp_path / "prices.toml", PRICES + CUSTOM + step)
    out = replay_from(cli, db, "--fine-tuned-model", "ft:my-model", "--training-cost", "0.05", "--prices", prices,
                      "--from", "2026-12-01")
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == 500 * TUNED_CALL  # the history: all at $0.30
    daily = {d["date"]: d for d in out["forward"]["daily"]}
    new_tuned_call = Decimal("0.60") * 100 / M
    assert Decimal(daily["2026-12-18"]["tuned_usd"]) == 30 * TUNED_CALL
    assert Decimal(daily["2026-12-21"]["tuned_usd"]) == 40 * new_tuned_call
    assert Decimal(daily["2027-06-01"]["tuned_usd"]) == daily["2027-06-01"]["calls"] * new_tuned_call
    # 12 months: 19 days at the old price (12-02..12-20: 30 + 100 + 150 = 280 calls), the rest at the new one.
    old_calls = 30 + 100 + 150
    expected = (old_calls * SAVED + (13 * 500 - old_calls) * (BASE_CALL - new_tuned_call) - Decimal("0.05"))
    assert Decimal(out["forward"]["net_after_12_months_usd"]) == expected


def test_cli_json_is_the_library_result_and_today_comes_from_ftaudit_today(cli: Cli, db: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_days(cli, db, tmp_path, MON, WEEKDAY_ONLY)
    prices = write(tmp_path / "prices.toml", PRICES + CUSTOM)
    monkeypatch.setenv("FTAUDIT_TODAY", "2026-12-01")
    flags = ("--fine-tuned-model", "ft:my-model", "--training-cost", "0.05", "--prices", prices)
    out = replay_from(cli, db, *flags, "--from", "today")
    assert out["forward"]["from_date"] == "2026-12-01"
    historical = replay_from(cli, db, *flags)
    assert "forward" not in historical and {k: v for k, v in out.items() if k != "forward"} == historical
    with ftaudit.open_store(db, read_only=True) as store:
        scenario = ftaudit.load_scenario(None, fine_tuned_model="ft:my-model", training_cost="0.05",
                                         remove_prompt_tokens="1900", prices=str(prices))
        found = ftaudit.forward(store, scenario, ftaudit.ForwardOptions(from_date=date(2026, 12, 1)))
    assert found.summary() == out["forward"]
    text = cli("replay", "--db", db, *flags, "--remove-prompt-tokens", "1900", "--from", "today")
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0] == ("if trained on 2026-12-01 (serving from 2026-12-02): pays back on 2026-12-15 "
                                           "(range 2026-12-08 to 2026-12-28)")
    bad = cli("replay", "--db", db, *flags, "--window-days", "30", "--from", "today")
    assert bad.exit_code != 0 and "whole number of weeks" in bad.stderr and bad.stdout == ""
    alone = cli("replay", "--db", db, *flags, "--lead-days", "3")
    assert alone.exit_code != 0 and "--lead-days only apply to a forward replay" in alone.stderr


def test_forward_options_are_checked() -> None:
    with pytest.raises(ftaudit.FtauditError, match="whole number of weeks"):
        ForwardOptions(from_date=date(2026, 12, 1), window_days=10)
    with pytest.raises(ftaudit.FtauditError, match="lead-days"):
        ForwardOptions(from_date=date(2026, 12, 1), lead_days=-1)


def test_growth_trend_scales_each_day_by_the_window_s_linear_trend(cli: Cli, db: Path, tmp_path: Path) -> None:
    # Day i of the window (Mon 2026-09-07 + i) has i + 1 calls: the least-squares line is exactly 1 + x, and the
    # window's mean is 14.5 calls a day. Serving from Wed 12-02 (x = 86) replays the window's Wed 09-09 (3 calls)
    # scaled by (1 + 86) / 14.5 = 6; Thu 12-31 (x = 115) replays Thu 09-10 (4 calls) x 116 / 14.5 = 8.
    ingest_days(cli, db, tmp_path, MON, [i + 1 for i in range(28)])
    flat = {d["date"]: d for d in custom_forward(cli, db, tmp_path)["daily"]}
    trend = custom_forward(cli, db, tmp_path, "--growth", "trend")
    grown = {d["date"]: d for d in trend["daily"]}
    assert flat["2026-12-02"]["calls"] == 3 and flat["2026-12-31"]["calls"] == 4
    assert grown["2026-12-02"]["calls"] == 18 and Decimal(grown["2026-12-02"]["base_usd"]) == 18 * BASE_CALL
    assert grown["2026-12-31"]["calls"] == 32 and Decimal(grown["2026-12-31"]["tuned_usd"]) == 32 * TUNED_CALL
    assert "linear trend" in trend["method"] and trend["options"]["growth"] == "trend"


def test_two_workloads_add_up_to_the_window(cli: Cli, db: Path, tmp_path: Path) -> None:
    ts = days_of_calls(MON, [6] * 28)
    n = len(ts)
    ingest_csv(cli, db, tmp_path / "two.csv", {"ts": ts, "input_tokens": [2000] * n, "output_tokens": [0] * n,
                                               "workload": ["a", "b", "b"] * (n // 3)}, model="gpt-4o-mini")
    f = custom_forward(cli, db, tmp_path)
    by_name = {w["workload"]: w for w in f["workloads"]}
    assert sorted(by_name) == ["a", "b"] and by_name["a"]["calls"] == 56 and by_name["b"]["calls"] == 112
    assert Decimal(by_name["a"]["base_usd"]) + Decimal(by_name["b"]["base_usd"]) == 168 * BASE_CALL
    assert sum(Decimal(w["tuned_usd"]) for w in f["window"]) == 168 * TUNED_CALL
    # 6 calls a day, every day: 186 calls' worth of savings on the 31st serving day, 2027-01-01.
    assert f["break_even_date"] == "2027-01-01" and f["break_even_range"] == {"low": "2027-01-01", "high": "2027-01-01"}


def test_fixed_costs_are_charged_on_their_days(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_days(cli, db, tmp_path, MON, WEEKDAY_ONLY)
    f = custom_forward(cli, db, tmp_path, "--hosting-per-hour", "0.0001", "--storage-per-month", "0.01",
                       "--retrain-every", "7", "--lead-days", "2")
    fixed = {d["date"]: Decimal(d["fixed_usd"]) for d in f["daily"]}
    hosting_day = 24 * Decimal("0.0001")
    assert fixed["2026-12-01"] == Decimal("0.05") + Decimal("0.01")  # training and the first storage month
    assert fixed["2026-12-02"] == 0  # trained, not serving yet: no hosting
    assert fixed["2026-12-03"] == hosting_day and f["serving_from_date"] == "2026-12-03"
    assert fixed["2026-12-08"] == Decimal("0.05") + hosting_day  # the first retraining, 7 days after D
    assert fixed["2026-12-31"] == Decimal("0.01") + hosting_day  # the second storage month, 30 days after D
    assert sum(fixed.values()) == (Decimal("0.05") * (1 + 364 // 7) + Decimal("0.01") * 13 + hosting_day * 363)


def test_the_demo_runs_the_forward_replay_from_the_run_date(cli: Cli, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTAUDIT_TODAY", "2026-12-01")
    summary = cli.json("demo", "--out", tmp_path)
    scenarios = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))["scenarios"]
    assert [v["forward"]["from_date"] for v in summary["verdicts"]] == ["2026-12-01"] * len(scenarios) == ["2026-12-01"] * 2
    for block in scenarios:
        f = block["forward"]
        # Both bundled scenarios train an OpenAI gpt-4o-mini fine-tune: it stops serving on 2027-01-14.
        assert f["status"] == "never" and "stops serving on 2027-01-14" in f["never_reason"]
        assert f["daily"][0]["date"] == "2026-12-01" and f["daily"][-1]["date"] == "2027-01-13"
        net = sum(Decimal(d["base_usd"]) - Decimal(d["tuned_usd"]) - Decimal(d["fixed_usd"]) for d in f["daily"])
        assert Decimal(f["net_at_end_of_service_usd"]) == net < 0
        assert len(f["window"]) == 28 and f["window"][-1]["date"] == "2026-10-31"
        # Wed 2026-12-02, the first serving day, replays the window's first Wednesday.
        first_wednesday = next(w for w in f["window"] if w["weekday"] == "Wed")
        assert f["daily"][1]["calls"] == first_wednesday["calls"] and f["daily"][1]["base_usd"] == first_wednesday["base_usd"]
