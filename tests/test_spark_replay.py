"""`ftaudit replay --engine spark`: the heavy stage in Spark SQL (local[2]) gives the DuckDB replay's
result, exactly, on generated logs ingested with the real `ftaudit ingest` and exported with the real
`ftaudit export --parquet`; each Spark column definition (queries/replay/spark/) gives its DuckDB
twin's values call by call; money keeps all its decimals; without pyspark the error names the extra."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ftaudit
from ftaudit.replay.spark import open_spark_store
from tests.conftest import Cli
from tests.test_report import chat_pair, write_log

FIRST = datetime(2026, 9, 1, tzinfo=UTC)
TOKEN_KEY = ["call_id", "file_id", "source_line"]


def _dataset(root: Path, lines: list[str]) -> tuple[ftaudit.Store, Path]:
    """A database of `lines` (real ingest, workloads from metadata.feature) and its Parquet export."""
    store = ftaudit.open_store(root / "ftaudit.duckdb")
    result = ftaudit.ingest(store, [write_log(root / "calls.jsonl", lines)], ftaudit.IngestOptions(workload_from="feature"))
    assert result.total("rows_rejected") == 0
    ftaudit.export(store, root / "lake")
    return store, root / "lake"


def _call_tokens(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop("day", strict=False).sort(TOKEN_KEY)


calls = st.lists(
    st.tuples(
        st.integers(0, 20),  # day
        st.integers(0, 86_399),  # second of the day
        st.sampled_from(["gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06"]),
        st.sampled_from(["classify", "draft"]),
        st.integers(0, 6_000),  # prompt tokens
        st.integers(0, 6_000),  # cached tokens (at most the prompt)
        st.integers(0, 1_500),  # completion tokens
    ),
    min_size=3,
    max_size=80,
)


@pytest.mark.spark
@settings(max_examples=3)
@given(
    drawn=calls,
    remove=st.integers(0, 3_000),
    ratio=st.sampled_from(["1", "0.5", "1.25"]),
    training=st.sampled_from(["0.0001", "0.01", "3"]),
    workload=st.sampled_from([None, "classify"]),
)
def test_both_engines_give_the_same_replay(
    spark: Any, drawn: list[tuple[int, int, str, str, int, int, int]], remove: int, ratio: str, training: str,
    workload: str | None,
) -> None:
    lines = [chat_pair(n, FIRST + timedelta(days=d, seconds=s), model=m, feature=f, prompt_tokens=p, cached=min(c, p),
                       completion=o) for n, (d, s, m, f, p, c, o) in enumerate(drawn)]
    if workload and not any(f == workload for *_, f, _, _, _ in drawn):
        workload = None
    scenario = ftaudit.make_scenario({"name": "property", "fine_tuned_model": "ft:gpt-4o-mini-2024-07-18",
                                      "workload": workload, "remove_prompt_tokens": remove, "output_ratio": ratio,
                                      "training_cost": training, "hosting_per_hour": "0", "storage_per_month": "0"})
    with tempfile.TemporaryDirectory() as tmp:
        store, lake = _dataset(Path(tmp), lines)
        with store:
            on_duckdb = ftaudit.replay(store, scenario)
            duck_tokens = _call_tokens(store.con.table("replay_call_tokens").pl())
        with open_spark_store(lake, session=spark) as spark_store:
            on_spark = ftaudit.replay(spark_store, scenario)
        spark_tokens = _call_tokens(pl.from_arrow(spark.table("replay_call_tokens").toArrow()))  # type: ignore[arg-type]
    assert on_spark.summary() == on_duckdb.summary()  # every amount, the daily series and the break-even call
    assert on_spark.daily.drop("positive_net_estimate_usd").equals(on_duckdb.daily.drop("positive_net_estimate_usd"))
    # each column of the per-call view, defined once per engine, agrees call by call
    exact = [c for c in duck_tokens.columns if c != "net_estimate_usd"]
    assert spark_tokens.select(exact).equals(duck_tokens.select(exact))
    assert spark_tokens["net_estimate_usd"].to_list() == pytest.approx(duck_tokens["net_estimate_usd"].to_list(), rel=1e-9)


PRICES = '[models."tiny-model"]\ninput_mtok = "0.123456789012"\noutput_mtok = "0.000000000001"\n' \
         '[models."ft:tiny-model"]\ninput_mtok = "0.000000000003"\noutput_mtok = "0.000000000001"\n'


@pytest.mark.spark
def test_a_rate_times_tokens_keeps_every_decimal(spark: Any, tmp_path: Path) -> None:
    """7 tokens at $0.123456789012 per 1M is $0.000000864197523084: 18 decimals, which Spark's default
    decimal arithmetic (allowPrecisionLoss=true) cuts to 6 ($0.000001)."""
    lines = [chat_pair(0, FIRST, model="tiny-model", feature="classify", prompt_tokens=7, completion=0)]
    store, lake = _dataset(tmp_path, lines)
    (tmp_path / "prices.toml").write_text(PRICES)
    scenario = ftaudit.make_scenario({"fine_tuned_model": "ft:tiny-model", "fine_tuned_provider": "openai",
                                      "training_cost": "1", "prices": str(tmp_path / "prices.toml")})
    expected_base = Decimal(7) * Decimal("0.123456789012") / 10**6
    with store:
        assert ftaudit.replay(store, scenario).daily["base_cost_usd"].to_list() == [expected_base]
    with open_spark_store(lake, session=spark) as spark_store:
        daily = ftaudit.replay(spark_store, scenario).daily
    assert expected_base == Decimal("0.000000864197523084")
    assert daily["base_cost_usd"].to_list() == [expected_base]
    assert daily["fine_tuned_cost_usd"].to_list() == [Decimal(7) * Decimal("0.000000000003") / 10**6]  # 1 in the 21st place


@pytest.mark.spark
def test_the_cli_replays_on_spark_what_it_replays_from_the_database(spark: Any, cli: Cli, tmp_path: Path) -> None:
    lines = [chat_pair(n, FIRST + timedelta(hours=5 * n), model="gpt-4o-mini-2024-07-18", feature="classify",
                       prompt_tokens=1500 + n, cached=0 if n % 10 else 1024, completion=20) for n in range(120)]
    store, lake = _dataset(tmp_path, lines)
    store.close()
    flags = ("--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--remove-prompt-tokens", "1000", "--training-cost", "0.002")
    from_db = cli.json("replay", *flags, "--db", tmp_path / "ftaudit.duckdb")
    on_spark = cli.json("replay", *flags, "--engine", "spark", "--calls", lake, "--master", "local[2]")
    assert on_spark == from_db
    assert from_db["status"] == "reached" and from_db["calls"] == 120


def test_engine_spark_needs_a_dataset_and_the_history_only(cli: Cli, tmp_path: Path) -> None:
    flags = ("--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1")
    result = cli("replay", *flags, "--engine", "spark")
    assert result.exit_code == 2 and "--engine spark reads a Parquet dataset: pass --calls DIR_OR_GLOB" in result.stderr
    result = cli("replay", *flags, "--engine", "spark", "--calls", tmp_path, "--from", "2026-12-01")
    assert result.exit_code == 2 and "the forward replay (--from) runs on DuckDB" in result.stderr
    result = cli("replay", *flags, "--engine", "polars")
    assert result.exit_code == 2 and "--engine 'polars' is not duckdb or spark" in result.stderr


def test_without_pyspark_the_error_names_the_extra(tmp_path: Path) -> None:
    """The real CLI in a process where `import pyspark` fails: one line naming ftaudit[spark], exit 1."""
    code = ("import sys; sys.modules['pyspark'] = None; sys.modules['pyspark.sql'] = None\n"
            "from ftaudit.cli import main; main()")
    (tmp_path / "lake").mkdir()
    done = subprocess.run([sys.executable, "-c", code, "replay", "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18",
                           "--training-cost", "1", "--engine", "spark", "--calls", str(tmp_path / "lake")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["ftaudit: error: --engine spark needs pyspark, which is not installed",
                                        "  hint: pip install 'ftaudit[spark]' (Spark also needs Java 17 or newer)"]
    assert done.stdout == ""
