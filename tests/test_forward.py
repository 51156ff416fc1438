"""ftaudit replay --from D: the forward replay (issue 11 §1) on calls ingested with the real `ftaudit
ingest`. Every expected date and amount is worked out by hand in the test from
`Decimal(rate) * tokens / 10**6` and the calendar, never taken from ftaudit."""

from __future__ import annotations

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
    assert [d["date"] for d in f["daily"]][0] == "2026-12-01" and f["daily"][-1]["date"] == "2027-01-13"
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
