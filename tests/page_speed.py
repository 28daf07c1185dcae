"""Page speed: first paint of each page type, in Chromium with its CPU slowed four times (as a mid-range phone).

Run from the repository root, after `bash tests/run` has installed Chromium:

    .venv/bin/python tests/page_speed.py [--runs N]

It builds the shipped project into a temporary folder, serves it on loopback under a sub-path,
and opens the home page, a program page, a session page, a drill page, the staff page and the
longest athlete page, each `--runs` times (default 5) in a fresh page with Chrome DevTools'
CPU throttling at 4×, at 375 px wide. It prints the median and the slowest first contentful
paint, and the page's size and element count, against the target of 1,500 ms. It checks
nothing: a figure on a busy machine is a figure, not a failure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so that plain `python3 tests/page_speed.py` finds builder/

from playwright.sync_api import sync_playwright  # noqa: E402

from builder.build import build  # noqa: E402
from tests.browsing import CHROMIUM_FLAGS, chromium_path, serve_site  # noqa: E402
from tests.conftest import ENVIRONMENT, copy_shipped  # noqa: E402

TARGET_MS = 1500.0
FIRST_PAINT = """new Promise(done => new PerformanceObserver((list, observer) => {
  const paint = list.getEntriesByName("first-contentful-paint")[0];
  if (paint) { observer.disconnect(); done(paint.startTime); }
}).observe({type: "paint", buffered: true}))"""
"""The first contentful paint, waited for if the browser has not reported it yet."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        project = copy_shipped(Path(folder) / "project")
        built = build(project, {**os.environ, **ENVIRONMENT}, output=Path(folder) / "site")
        longest = max(built.gathered.plans, key=lambda plan: len(plan.sessions()))
        session = next((built.output / "programs").glob("*/sessions/*/*/week-1/index.html"))
        pages = {
            "home": "",
            "program": "programs/hamstring/",
            "session": session.parent.relative_to(built.output).as_posix() + "/",
            "drill": "drills/nordic-hamstring/",
            "staff": built.links.staff_dir(),
            f"athlete ({longest.athlete.name})": built.links.athlete_dir(longest.athlete_id, longest.athlete),
        }
        with serve_site(built.output) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            print(f"first contentful paint, CPU 4x slower, 375 px, {runs} runs (target {TARGET_MS:,.0f} ms)")
            for name, path in pages.items():
                paints = []
                for _ in range(runs):
                    page = browser.new_page(viewport={"width": 375, "height": 740})
                    cdp = page.context.new_cdp_session(page)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    page.goto(url + path, wait_until="networkidle")
                    paints.append(page.evaluate(FIRST_PAINT))
                    elements = page.evaluate("document.getElementsByTagName('*').length")
                    page.close()
                size = (built.output / path / "index.html").stat().st_size
                print(
                    f"  {name:28} median {statistics.median(paints):6.0f} ms, slowest {max(paints):6.0f} ms"
                    f"  ({size / 1000:5.0f} KB, {elements:,} elements)"
                )
            browser.close()


if __name__ == "__main__":
    main()
