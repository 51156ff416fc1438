"""The demo report as a reader meets it, in real headless Chromium: at 420 px (a phone) and 1400 px no
two pieces of text overlap and the page never scrolls sideways; without scripts (a mail preview) the
verdict and each chart's key numbers are there as text; printed, charts and tables are never split.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_report_browser import CHARTS_DRAWN, CHROMIUM, FLAGS, Browser

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM}: `apt-get install chromium`"),
]

# Every piece of text: the lines of HTML text nodes, and the SVG text of the charts (tick labels,
# titles, legend entries, annotations). Two boxes of different owners overlapping by more than 1 px
# is text drawn over text. Text clipped inside a scrolling table box is skipped (it is scrolled to).
OVERLAPS = r"""
(() => {
  const boxes = [];
  const box = (id, text, r) => ({id, what: text.trim().slice(0, 40), l: r.left, t: r.top + scrollY, r: r.right,
                                b: r.bottom + scrollY});
  const clipped = (el) => { const box = el.closest('div.table'); if (!box) return false;
    const b = box.getBoundingClientRect(), r = el.getBoundingClientRect();
    return r.right > b.right + 1 || r.left < b.left - 1; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let id = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg, script, style, noscript')) continue;
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    if (clipped(el)) continue;
    const range = document.createRange(); range.selectNodeContents(node); id++;
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1)
      boxes.push(box(id, node.textContent, r));
  }
  const clippedSvg = [];
  for (const t of document.querySelectorAll('.plotly-graph-div svg text')) {
    const r = t.getBoundingClientRect(), style = getComputedStyle(t);
    if (!t.textContent.trim() || r.width < 1 || style.visibility === 'hidden' || style.display === 'none') continue;
    if (+style.opacity === 0) continue;
    if (t.closest('.modebar, .hoverlayer')) continue;
    const s = t.closest('.plotly-graph-div').getBoundingClientRect();
    if (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1)
      clippedSvg.push(t.textContent.trim().slice(0, 40));
    id++; boxes.push(box(id, 'svg: ' + t.textContent, r));
  }
  boxes.sort((a, b) => a.t - b.t);
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length && boxes[j].t < boxes[i].b - 1; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.id === b.id) continue;
      const x = Math.min(a.r, b.r) - Math.max(a.l, b.l), y = Math.min(a.b, b.b) - Math.max(a.t, b.t);
      if (x > 1 && y > 1) found.push(`${a.what} | ${b.what}`);
    }
  }
  return {boxes: boxes.length, overlaps: found.slice(0, 20), count: found.length, clipped: clippedSvg};
})()
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FTAUDIT_TODAY", "2026-12-01")
        result = Cli()("demo", "--out", out)
        assert result.exit_code == 0, result.stderr
    yield out


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chrome = Browser(tmp_path / "profile")
    yield chrome
    chrome.close()


def open_at(browser: Browser, url: str, width: int, *, scripts: bool = True) -> str:
    session = browser.open_page("about:blank")
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}, session=session)
    if not scripts:
        browser.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired", timeout=60)
    return session


@pytest.mark.parametrize("width", [420, 1400])
def test_no_text_overlaps_and_no_sideways_scroll(demo: Path, browser: Browser, width: int) -> None:
    session = open_at(browser, (demo / "demo.html").as_uri(), width)
    charts = browser.evaluate(session, CHARTS_DRAWN)
    assert charts["drawn"] == charts["charts"] and len(charts["charts"]) >= 8
    page = browser.evaluate(session, "({scroll: document.documentElement.scrollWidth, inner: innerWidth})")
    assert page["scroll"] <= page["inner"], page  # no horizontal page scroll: wide tables scroll in their box
    found = browser.evaluate(session, OVERLAPS)
    assert found["boxes"] > 500
    assert found["overlaps"] == [], found
    assert found["clipped"] == [], found  # no chart text runs past its chart's box
    assert browser.problems() == []


def test_without_scripts_the_verdict_and_each_charts_numbers_are_text(demo: Path, browser: Browser) -> None:
    twin: dict[str, Any] = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    session = open_at(browser, (demo / "demo.html").as_uri(), 420, scripts=False)
    text = browser.evaluate(session, "document.body.innerText")
    shown = browser.evaluate(session, "[...document.querySelectorAll('.fallback')].filter(f => f.offsetHeight > 0).length")
    blank = browser.evaluate(session, "[...document.querySelectorAll('.chart')].filter(c => c.offsetHeight > 0).length")
    assert blank == 0  # no empty chart boxes
    assert shown >= 2 * len(twin["scenarios"]) + 2  # cumulative and sensitivity per scenario, traffic, tokens
    for block in twin["scenarios"]:
        assert block["recommendation"]["text"] in text
        assert block["verdict"] in text
        assert f"end of the logs ({block['cumulative']['dates'][-1]})" in text
    first = twin["daily_calls"]["workloads"][0]
    assert f"{first['workload']}\t{sum(first['calls']):,}" in text  # the traffic chart's total, as a table row


def test_print_keeps_charts_and_tables_whole(demo: Path, browser: Browser, tmp_path: Path) -> None:
    session = open_at(browser, (demo / "demo.html").as_uri(), 1400)
    browser.evaluate(session, CHARTS_DRAWN)
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    rules = browser.evaluate(session, """(() => {
      const els = [...document.querySelectorAll('.chart, div.table table')].filter(e => e.offsetHeight > 0);
      return {printing: matchMedia('print').matches, count: els.length,
              avoid: els.filter(e => getComputedStyle(e).breakInside === 'avoid').length,
              tallest: Math.max(...els.filter(e => e.matches('.chart')).map(e => e.getBoundingClientRect().height))};
    })()""")
    assert rules["printing"] and rules["count"] > 10
    assert rules["avoid"] == rules["count"]  # no chart or table is split across pages
    assert rules["tallest"] < 1000  # an A4 page less 14 mm margins is about 1,016 CSS px tall: every chart fits on one
    pdf = tmp_path / "demo.pdf"
    subprocess.run([CHROMIUM, *[f for f in FLAGS if f not in ("--remote-debugging-pipe", "about:blank")],
                    f"--user-data-dir={tmp_path / 'print-profile'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    "--virtual-time-budget=10000", (demo / "demo.html").as_uri()],
                   check=True, timeout=180, capture_output=True)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.read_bytes().count(b"/Type /Page") > 5
