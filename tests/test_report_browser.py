"""The demo report in real headless Chromium (Debian's package at /usr/bin/chromium), driven over the
DevTools protocol on a pipe (--remote-debugging-pipe: no websocket client, no Playwright needed).

Checks what a reader would: no console errors or exceptions, every chart drew an SVG, the verdict
sentence is on the page, and a log-controlled `<script>` never runs. Skipped, with the reason, only
where no Chromium is installed (`.ci/run` installs it).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

CHROMIUM = os.environ.get("FTAUDIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
    "about:blank",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run does)"
    ),
]


def _above_nine(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out), NUL-framed JSON."""

    def __init__(self, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Move the child's ends above 9 so they cannot be 3 or 4 themselves; bash then puts them on the
        # fd numbers Chromium expects (pass_fds keeps them open across the exec).
        to_child_r, from_child_w = (_above_nine(fd) for fd in (to_child_r, from_child_w))
        script = f'exec "$@" 3<&{to_child_r} 4>&{from_child_w} {to_child_r}<&- {from_child_w}>&-'
        self.proc = subprocess.Popen(
            ["bash", "-c", script, "chromium", CHROMIUM, *FLAGS, f"--user-data-dir={profile}"],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = 30) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def open_page(self, url: str) -> str:
        """A new tab at `url`; returns its session id once the load event fired."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session: str = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
            self.send(domain, session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", timeout=60)
        return session

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session=session
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, error log entries and JavaScript dialogs so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(
                    f"exception: {params['exceptionDetails'].get('text')} {params['exceptionDetails'].get('exception', {})}"
                )
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('message')}")
        return found

    def requests(self) -> list[str]:
        """Every URL the page asked for."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


CHARTS_DRAWN = """
new Promise(resolve => {
  const started = Date.now();
  const check = () => {
    const divs = [...document.querySelectorAll('.plotly-graph-div')];
    const drawn = divs.filter(d => d.querySelector('svg.main-svg'));
    if ((divs.length && drawn.length === divs.length) || Date.now() - started > 20000) {
      resolve({charts: divs.map(d => d.id), drawn: drawn.map(d => d.id),
               traces: drawn.map(d => d.querySelectorAll('g.trace, g.hm, image').length)});
    } else { setTimeout(check, 100); }
  };
  check();
})
"""


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    chrome = Browser(tmp_path / "profile")
    yield chrome
    chrome.close()


def test_demo_report_renders_in_chromium(cli: Cli, tmp_path: Path, browser: Browser) -> None:
    result = cli("demo", "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    html_path = tmp_path / "demo.html"
    twin = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))

    session = browser.open_page(html_path.as_uri())
    charts = browser.evaluate(session, CHARTS_DRAWN)
    text = browser.evaluate(session, "document.body.innerText")

    assert browser.problems() == []
    assert [url for url in browser.requests() if not url.startswith(("file:", "data:", "blob:"))] == []  # works offline
    assert len(charts["charts"]) >= 5
    assert charts["drawn"] == charts["charts"], "a chart drew no SVG"
    assert all(n > 0 for n in charts["traces"]), "a chart drew no data"
    pdf = base64.b64decode(browser.send("Page.printToPDF", {"preferCSSPageSize": True}, session=session)["data"])
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 5  # the print stylesheet gives a paged document
    assert twin["scenarios"], "the demo has scenarios"
    for scenario in twin["scenarios"]:
        assert scenario["verdict"] in text


def test_log_controlled_markup_never_runs(tmp_path: Path, browser: Browser) -> None:
    from tests.test_report import hostile_report

    html_path = hostile_report(tmp_path)
    session = browser.open_page(html_path.as_uri())
    charts = browser.evaluate(session, CHARTS_DRAWN)
    executed = browser.evaluate(session, "window.__pwned === undefined ? null : window.__pwned")
    text = browser.evaluate(session, "document.body.innerText")

    assert executed is None
    assert browser.problems() == []
    assert charts["drawn"] == charts["charts"]
    assert "<script>window.__pwned=1</script>" in text  # shown as text, not run
