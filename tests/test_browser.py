"""Pages in a real browser (headless Chromium), served from a sub-path as a coach would publish them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browsing import CHROMIUM_FLAGS, chromium_path, serve_site
from tests.conftest import REPO, athlete_dir

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, ConsoleMessage, Page, Response  # noqa: E402


@pytest.fixture(scope="module")
def site_url(shipped_site: Path) -> Iterator[str]:
    with serve_site(shipped_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@dataclass
class Tab:
    """A browser page with every request, failed response and console error it saw."""

    page: Page
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clean(self, site_url: str) -> bool:
        """Nothing fetched from elsewhere, nothing failed, no script error."""
        return all(url.startswith(site_url) for url in self.requests) and not self.failures and not self.errors


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    """A fresh page that records every request, failed response and console error."""
    context = browser.new_context()
    opened = Tab(context.new_page())

    def on_response(response: Response) -> None:
        if response.status >= 400:
            opened.failures.append(response.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            opened.errors.append(message.text)

    opened.page.on("request", lambda request: opened.requests.append(request.url))
    opened.page.on("response", on_response)
    opened.page.on("console", on_console)
    opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    context.close()


def athlete_address(athlete_id: str) -> str:
    return athlete_dir(REPO / "sprintback.yaml", athlete_id)


def test_home_to_program_under_a_sub_path(tab: Tab, site_url: str) -> None:
    page = tab.page
    page.goto(site_url)
    assert "Return to Sprint" in page.title()
    # The stylesheet loaded from the site itself: the notice has its warning border.
    assert page.eval_on_selector(".notice", "e => getComputedStyle(e).borderLeftWidth") == "4px"
    page.click("#programs a >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith(site_url + "programs/")
    assert page.is_visible("h1")
    assert page.locator("#phases article.phase").count() >= 4
    assert page.locator("#criteria dt").count() >= 3
    assert tab.clean(site_url), (tab.requests, tab.failures, tab.errors)


def test_athlete_opens_a_session_and_follows_a_drill(tab: Tab, site_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(site_url + athlete_address("maya-okafor"))
    assert page.is_visible("text=Maya Okafor")
    assert "noindex" in (page.get_attribute('meta[name="robots"]', "content") or "")
    session = page.locator("#w3 li.session").first
    main_set = session.locator("ul.drills li").first
    assert not main_set.is_visible()  # collapsed until opened
    session.locator("summary").click()
    assert main_set.is_visible() and ":" in main_set.inner_text()  # a drill and its dose
    page.screenshot(path=str(tmp_path / "athlete.png"), full_page=False)
    # The whole session (warm-up, cues, stop rules) is one link away, on the session's own page.
    session.locator("a", has_text="The whole session").click()
    page.wait_for_load_state()
    assert page.url.startswith(site_url + "programs/")
    body = page.locator(".session-body")
    assert "Pain allowed: up to" in body.inner_text()
    assert body.locator(".stop-rules li").count() >= 1
    drill = body.locator("ul.drills a").first
    name = drill.inner_text()
    drill.click()
    page.wait_for_load_state()
    assert page.url.startswith(site_url + "drills/")
    assert page.inner_text("h1") == name
    assert tab.clean(site_url), (tab.requests, tab.failures, tab.errors)


def test_feed_links_on_the_athlete_page(tab: Tab, site_url: str) -> None:
    page = tab.page
    address = athlete_address("tom-becker")
    page.goto(site_url + address)
    webcal = page.get_attribute("text=Subscribe on this phone", "href")
    assert webcal == f"webcal://club.example/rehab/{address}calendar.ics"
    download = page.get_attribute("text=Download the calendar (.ics)", "href")
    assert download is not None
    response = page.request.get(site_url + address + download)
    assert response.ok
    assert response.body().startswith(b"BEGIN:VCALENDAR\r\n")
