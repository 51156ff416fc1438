"""The in-page what-if, in real headless Chromium: at its default inputs it shows exactly the static
verdict, and moved inputs (volume factor, training cost, start date, target) give what `ftaudit replay
--from D` and `ftaudit compare --from D` give with the same flags, to the cent and the day.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_report_browser import CHARTS_DRAWN, CHROMIUM, Browser
from tests.test_report_decision import _small_db

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM}: `apt-get install chromium`"),
]
D = "2026-10-01"
OUTPUTS = ("Object.fromEntries([...document.querySelectorAll('#what-if-1 [data-output]')]"
           ".map(o => [o.dataset.output, o.textContent]))")


def usd(amount: str | None) -> str:
    if amount is None:
        return "—"
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def expected(f: dict[str, Any]) -> dict[str, str]:
    low, high = f["break_even_range"]["low"], f["break_even_range"]["high"]
    return {"break-even": f["break_even_date"] or "—", "range": f"{low} to {high or 'later'}" if low else "—",
            "net-end": usd(f["net_at_end_of_service_usd"]), "net-12": usd(f["net_after_12_months_usd"])}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path]]:
    tmp = tmp_path_factory.mktemp("whatif")
    cli = Cli()
    db, scenario = _small_db(cli, tmp)
    out = tmp / "r.html"
    result = cli("report", "--db", db, "--scenario", scenario, "--from", D, "--out", out)
    assert result.exit_code == 0, result.stderr
    yield out, db, scenario


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chrome = Browser(tmp_path / "profile")
    yield chrome
    chrome.close()


def set_input(browser: Browser, session: str, name: str, value: str) -> dict[str, str]:
    event = "change" if name == "target" else "input"
    browser.evaluate(session, f"""(() => {{ const el = document.querySelector('#what-if-1 [data-input="{name}"]');
        el.value = {json.dumps(value)}; el.dispatchEvent(new Event('{event}')); }})()""")
    outputs: dict[str, str] = browser.evaluate(session, OUTPUTS)
    return {k: v for k, v in outputs.items() if k != "status"}


def test_defaults_show_the_static_verdict_and_moved_inputs_match_the_cli(page: tuple[Path, Path, Path], browser: Browser) -> None:
    out, db, scenario = page
    cli = Cli()
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    (block,) = twin["scenarios"]
    session = browser.open_page(out.as_uri())
    browser.evaluate(session, CHARTS_DRAWN)
    shown = {k: v for k, v in browser.evaluate(session, OUTPUTS).items() if k != "status"}
    assert block["forward"]["status"] == "pays_back"
    assert shown == expected(block["forward"])  # the default positions: the static verdict, to the day and cent
    assert browser.evaluate(session, "document.querySelector('#chart-what-if-1 svg.main-svg') !== null")

    def replay(*flags: str) -> dict[str, Any]:
        forward: dict[str, Any] = cli.json("replay", "--db", db, "--scenario", scenario, "--from", D, *flags)["forward"]
        return forward

    assert set_input(browser, session, "volume", "0.5") == expected(replay("--volume-factor", "0.5"))
    set_input(browser, session, "volume", "1")
    assert set_input(browser, session, "training", "0.05") == expected(replay("--training-cost", "0.05"))
    set_input(browser, session, "training", "0.01")
    later = "2026-11-02"
    assert set_input(browser, session, "start", later) == expected(
        cli.json("replay", "--db", db, "--scenario", scenario, "--from", later)["forward"])
    set_input(browser, session, "start", D)
    assert browser.problems() == []


def test_switching_target_gives_that_targets_compare_row(page: tuple[Path, Path, Path], browser: Browser) -> None:
    out = page[0]
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    (block,) = twin["scenarios"]
    others = block["what_if"]["targets"][1:]
    assert others, "compare priced another target (Azure OpenAI)"
    rows = {r["target"]: r for r in block["targets"]["targets"]}
    session = browser.open_page(out.as_uri())
    browser.evaluate(session, CHARTS_DRAWN)
    shown = set_input(browser, session, "target", "1")
    row = rows[others[0]["target"]]
    assert shown["break-even"] == (row["break_even_date"] or "—")
    assert shown["net-12"] == usd(row["net_after_12_months_usd"])
    assert shown["net-end"] == usd(row["net_at_end_of_service_usd"])
