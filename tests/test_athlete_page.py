"""The athlete's page as an athlete uses it: on a phone at the track, without scripts, and on paper.

The shipped site (built once) is served under a sub-path and opened in Debian's Chromium. A
page's idea of "today" is the browser's clock: the tests set it, as a phone's would be.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.build import Gathered, build, gather
from builder.links import Links
from builder.plan import Plan
from tests.browsing import CHROMIUM_FLAGS, chromium_path, serve_site
from tests.conftest import ENVIRONMENT, REPO, SECRET, copy_shipped

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, ViewportSize  # noqa: E402

BUDGET_BYTES = 150_000
BUDGET_ELEMENTS = 2_000
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def gathered() -> Gathered:
    return gather(REPO / "sprintback.yaml", ENVIRONMENT)


@pytest.fixture(scope="module")
def site_url(shipped_site: Path) -> Iterator[str]:
    with serve_site(shipped_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def address(plan: Plan) -> str:
    return Links(SECRET.encode()).athlete_dir(plan.athlete_id, plan.athlete)


def longest(gathered: Gathered) -> Plan:
    return max(gathered.plans, key=lambda plan: sum(len(week.sessions) for week in plan.weeks))


def open_on(browser: Browser, url: str, day: dt.date, *, scripts: bool = True, width: int = 375) -> Page:
    """The page as a phone shows it on `day` (at noon, the phone's own clock)."""
    context = browser.new_context(
        viewport=ViewportSize(width=width, height=PHONE["height"]), java_script_enabled=scripts
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if scripts:
        page.clock.set_fixed_time(dt.datetime.combine(day, dt.time(12)))
    page.goto(url)
    page.wait_for_load_state("load")
    assert not errors, errors
    return page


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.count += 1


def test_the_longest_plans_page_keeps_within_its_weight_budget(
    shipped_site: Path, gathered: Gathered, browser: Browser, site_url: str
) -> None:
    """Under 150 KB of HTML and 2,000 elements (Lighthouse warns from about 1,400)."""
    plan = longest(gathered)
    html = (shipped_site / address(plan) / "index.html").read_bytes()
    assert len(html) < BUDGET_BYTES, len(html)
    parsed = _Elements()
    parsed.feed(html.decode())
    page = open_on(browser, site_url + address(plan), plan.start)
    # The browser's count, after the script has put today at the top.
    in_browser = page.evaluate("document.getElementsByTagName('*').length")
    assert parsed.count < BUDGET_ELEMENTS and in_browser < BUDGET_ELEMENTS, (parsed.count, in_browser)


def test_today_comes_first_with_the_next_session_and_its_main_set(
    gathered: Gathered, browser: Browser, site_url: str
) -> None:
    plan = next(plan for plan in gathered.plans if plan.athlete_id == "maya-okafor")
    week = plan.weeks[2]
    day = week.start + dt.timedelta(days=1)
    coming = next(session for session in plan.sessions() if session.date >= day)
    page = open_on(browser, site_url + address(plan), day)
    panel = page.locator(".today-panel")
    assert panel.is_visible()
    assert not page.locator(".today-fallback").is_visible()
    # Above the fold on a phone: the next session with a drill and its dose.
    title = coming.dose.session.spec.title
    assert title in panel.inner_text()
    first_drill = panel.locator("ul.drills li").first
    assert first_drill.is_visible() and ":" in first_drill.inner_text()
    assert page.locator("#today").bounding_box()["y"] < PHONE["height"]  # type: ignore[index]
    # The week of that day is marked, and the phase in the progress strip.
    current = page.locator("article.week.current")
    assert current.get_attribute("id") == f"w{week.number}"
    assert "this week" in current.locator(".week-title").inner_text()
    assert page.locator(".progress li.current").inner_text().startswith(week.phase.title)
    # The next check-in, linked to its place in the plan.
    check_in = next(c for c in plan.check_ins() if c.date >= day)
    assert panel.locator("a", has_text="Check-in").first.get_attribute("href") == f"#check-in-{check_in.phase.id}"


def test_without_scripts_the_page_shows_the_whole_plan(gathered: Gathered, browser: Browser, site_url: str) -> None:
    plan = next(plan for plan in gathered.plans if plan.athlete_id == "maya-okafor")
    page = open_on(browser, site_url + address(plan), plan.start, scripts=False)
    assert not page.locator(".today-panel").is_visible()
    assert page.locator(".today-fallback").is_visible()
    assert page.locator("article.week").count() == len(plan.weeks)
    assert page.locator("li.session").count() == len(plan.sessions())


def test_a_calendar_link_opens_its_session_unfolded(gathered: Gathered, browser: Browser, site_url: str) -> None:
    plan = next(plan for plan in gathered.plans if plan.athlete_id == "maya-okafor")
    session = plan.weeks[3].sessions[1]
    anchor = f"w4-s{session.slot}"
    page = open_on(browser, site_url + address(plan) + "#" + anchor, plan.start)
    target = page.locator(f"#{anchor}")
    assert target.locator("details").evaluate("d => d.open")
    assert target.locator("ul.drills li").first.is_visible()
    # Another link on the same page opens its session too.
    page.evaluate("location.hash = '#w5-s1'")
    assert page.locator("#w5-s1 details").evaluate("d => d.open")


def test_on_a_phone_nothing_is_off_screen_and_the_phase_table_reads_as_cards(
    gathered: Gathered, browser: Browser, site_url: str
) -> None:
    for plan in gathered.plans:
        page = open_on(browser, site_url + address(plan), plan.start)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], plan.athlete_id
        move_on = page.locator('#phases td[data-label="To move on"]').first
        box = move_on.bounding_box()
        assert move_on.is_visible() and box is not None and box["x"] + box["width"] <= PHONE["width"]


def test_the_warm_up_is_said_once_and_each_session_shows_its_own_work(shipped_site: Path, gathered: Gathered) -> None:
    for plan in gathered.plans:
        html = (shipped_site / address(plan) / "index.html").read_text()
        # The standard warm-up's drills are listed once for the page, not once per session.
        assert html.count("<h5>Standard warm-up</h5>") == 1, plan.athlete_id
        assert html.count('class="stop-rules"') == 0 and html.count('id="monitoring"') == 1
        sessions = re.findall(r'<li class="session".*?</details>', html, re.S)
        assert len(sessions) == len(plan.sessions())
        assert all("Standard warm-up" not in session for session in sessions)
        # Each session's own work comes first in it: its kind and facts, then its main set.
        assert all(re.search(r"<details>\s*<summary>.*?</summary>\s*<p class=\"meta\">", s, re.S) for s in sessions)


def test_printed_the_plan_keeps_every_session_unfolded(gathered: Gathered, browser: Browser, site_url: str) -> None:
    plan = longest(gathered)
    page = open_on(browser, site_url + address(plan), plan.start, width=1280)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    # Ligatures (ﬂ) read back as two letters; a line break inside a name as a space.
    texts = [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", p.extract_text())) for p in pdf.pages]
    text = "\n".join(texts)
    # Every session on paper with its main set (collapsed on screen); no links meant for a screen.
    for session in plan.sessions():
        own = [item.drill.name for block in session.dose.blocks if not block.block.shared for item in block.items]
        assert f"{session.date:%a %d %b}" in text and all(name in text for name in own), session.date
    assert "The whole session" not in text and "Subscribe on this phone" not in text
    # A week starts a page where the one before it ends, and takes about one page (two at most).
    starts = [next(i for i, page in enumerate(texts) if f"Week {week.number} " in page) for week in plan.weeks]
    assert starts == sorted(starts) and len(pdf.pages) <= 2.5 * len(plan.weeks), len(pdf.pages)


def test_a_paused_plan_says_so_today_rather_than_a_next_session(tmp_path: Path, browser: Browser) -> None:
    project = copy_shipped(tmp_path / "project")
    (project.parent / "log").mkdir(exist_ok=True)
    (project.parent / "log" / "maya-okafor.yaml").write_text(
        "records:\n  - {date: 2026-12-09, decision: pause, by: Dr. Ng}\n"
    )
    built = build(project, ENVIRONMENT, output=tmp_path / "site")
    plan = next(plan for plan in built.gathered.plans if plan.athlete_id == "maya-okafor")
    assert plan.paused is not None
    with serve_site(built.output) as url:
        page = open_on(browser, url + address(plan), dt.date(2026, 12, 15))
        panel = page.locator(".today-panel").inner_text()
    assert "Paused" in panel and "Next session" not in panel
    assert "have all passed" not in panel
