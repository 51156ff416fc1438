"""Regenerate the README's screenshots of the demo report: docs/report-1400.png (desktop) and
docs/report-420.png (phone), the top of the page, in headless Chromium.

    .venv/bin/python docs/screenshots.py            # FTAUDIT_TODAY=2026-12-01, SOURCE_DATE_EPOCH fixed

The demo runs with a fixed "today" (the forward replay's training date) and generation time, so the same
code gives the same page. The page is laid out at each width before it loads (DevTools device metrics,
through the browser driver of tests/test_report_browser.py), as a phone or a desktop window would.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_report_browser import CHARTS_DRAWN, Browser  # noqa: E402

SHOTS = {"report-1400.png": (1400, 2200), "report-420.png": (420, 2600)}


def main() -> None:
    env = {**os.environ, "FTAUDIT_TODAY": "2026-12-01", "SOURCE_DATE_EPOCH": "1796112000"}  # 2026-12-01 08:00 UTC
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run([sys.executable, "-m", "ftaudit", "demo", "--out", str(out)], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name, (width, height) in SHOTS.items():
            browser = Browser(out / f"profile-{width}")
            try:
                session = browser.open_page("about:blank")
                browser.send("Emulation.setDeviceMetricsOverride",
                             {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}, session=session)
                browser.send("Page.navigate", {"url": (out / "demo.html").as_uri()}, session=session)
                time.sleep(1)
                browser.evaluate(session, CHARTS_DRAWN)
                clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
                shot = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True},
                                    session=session)
                (ROOT / "docs" / name).write_bytes(base64.b64decode(shot["data"]))
            finally:
                browser.close()
            print(f"docs/{name}: {width} x {height} px, {(ROOT / 'docs' / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
