"""Subscribing on every platform: the athlete page's calendar section gives the `webcal://` button, the `https://`
address with a copy button, Google Calendar's "add by URL" link and each app's instructions; the download says it
is a snapshot. The copy button is checked in a real browser (headless Chromium)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder import wording
from builder.build import build
from builder.links import BUSY_FEED_NAME, FEED_NAME
from tests.browsing import CHROMIUM_FLAGS, SUB_PATH, chromium_path, serve_site
from tests.conftest import ENVIRONMENT, athlete_dir, copy_shipped
from tests.test_log_pages import Element, Elements

BASE_URL = "https://club.example/rehab/"
"""The shipped sprintback.yaml's site.base_url."""
ATHLETE = "maya-okafor"
PLATFORMS = ("iPhone and iPad", "Android and Google Calendar", "Outlook", "Thunderbird")


@dataclass(frozen=True)
class Built:
    project: Path
    site: Path
    folder: str
    """The athlete's private folder, `athletes/<secret>/`."""

    def calendar(self) -> tuple[Elements, Element]:
        page = Elements((self.site / self.folder / "index.html").read_text(encoding="utf-8"))
        return page, page.by_id("calendar")


def build_shipped(folder: Path, *, edit: tuple[str, str] | None = None) -> Built:
    project = copy_shipped(folder / "project")
    if edit is not None:
        text = project.read_text(encoding="utf-8")
        assert edit[0] in text
        project.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    build(project, ENVIRONMENT, output=folder / "site")
    return Built(project, folder / "site", athlete_dir(project, ATHLETE))


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_shipped(tmp_path_factory.mktemp("subscribe"))


def links(page: Elements, section: Element) -> dict[str, str]:
    """The section's links: text -> href."""
    return {element.text: element.attrs["href"] for element in page.inside(section, "a")}


def test_the_page_gives_the_webcal_button_the_https_address_and_the_google_link(shipped_site: Built) -> None:
    page, section = shipped_site.calendar()
    feed = BASE_URL + shipped_site.folder + FEED_NAME
    found = links(page, section)
    assert found[wording.SUBSCRIBE_BUTTON] == "webcal://" + feed.removeprefix("https://")
    assert page.by_id("feed-address").text == feed
    google = urllib.parse.urlsplit(found[wording.GOOGLE_BUTTON])
    assert (google.scheme, google.netloc, google.path) == ("https", "calendar.google.com", "/calendar/r")
    assert urllib.parse.parse_qs(google.query) == {"cid": [found[wording.SUBSCRIBE_BUTTON]]}
    # The copy button waits for the script; the script is the site's own.
    [button] = page.inside(section, "button")
    assert button.text == wording.COPY_BUTTON and "hidden" in button.attrs
    [script] = page.inside(section, "script")
    assert script.attrs["src"] == "../../static/copy.js"
    assert (shipped_site.site / "static" / "copy.js").is_file()


def test_the_page_tells_each_app_how_to_subscribe_refresh_and_notify(shipped_site: Built) -> None:
    page, section = shipped_site.calendar()
    names = [element.text for element in page.inside(section, "dt")]
    steps = [element.text for element in page.inside(section, "dd")]
    assert names == list(PLATFORMS)
    instructions = dict(zip(names, steps, strict=True))
    assert "up to a day" in instructions["Android and Google Calendar"]
    for name in ("iPhone and iPad", "Outlook", "Thunderbird"):
        assert "this calendar asks for a refresh every 12 hours" in instructions[name], name
    for name, text in instructions.items():
        assert "For notifications" in text, name
        assert "paste the address" in text, name
    assert "Subscribe on this phone" in instructions["iPhone and iPad"]
    assert "Add to Google Calendar" in instructions["Android and Google Calendar"]


def test_the_download_says_it_is_a_snapshot(shipped_site: Built) -> None:
    page, section = shipped_site.calendar()
    assert links(page, section)[wording.DOWNLOAD_BUTTON] == "../../" + shipped_site.folder + FEED_NAME
    [snapshot] = page.having("span", "snapshot")
    assert snapshot.text == wording.SNAPSHOT
    assert "will not update" in snapshot.text


def test_the_instructions_follow_refresh_hours(tmp_path: Path) -> None:
    built = build_shipped(tmp_path, edit=("refresh_hours: 12", "refresh_hours: 6"))
    page, section = built.calendar()
    steps = " ".join(element.text for element in page.inside(section, "dd"))
    assert "every 6 hours" in steps and "every 12 hours" not in steps


def test_without_a_base_url_the_page_says_subscribing_needs_one(tmp_path: Path) -> None:
    built = build_shipped(tmp_path, edit=(f"  base_url: {BASE_URL}\n", ""))
    page, section = built.calendar()
    assert set(links(page, section)) == {wording.DOWNLOAD_BUTTON, wording.BUSY_FEED_LINK}  # downloads, no subscribing
    [said] = page.having("p", "no-subscribe")
    assert said.text == wording.NO_SUBSCRIBE
    assert not page.inside(section, "dt") and not page.inside(section, "button")
    assert "copy.js" not in (built.site / built.folder / "index.html").read_text(encoding="utf-8")
    [snapshot] = page.having("span", "snapshot")
    assert snapshot.text == wording.SNAPSHOT


# In a real browser.


@pytest.fixture(scope="module")
def page_url(shipped_site: Built) -> Iterator[str]:
    with serve_site(shipped_site.site) as url:
        yield f"{url}{shipped_site.folder}"


def test_the_copy_button_puts_the_https_address_on_the_clipboard(shipped_site: Built, page_url: str) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    origin = page_url.split(SUB_PATH)[0]
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("request", lambda request: None if request.url.startswith(origin) else problems.append(request.url))
        page.goto(page_url)
        page.wait_for_load_state("load")
        button = page.locator("#calendar button.copy")
        assert button.is_visible()
        button.click()
        page.locator("#calendar .copy-status").filter(has_text=wording.COPIED).wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == BASE_URL + shipped_site.folder + FEED_NAME
        assert not problems, problems
        # Without scripts the button stays hidden and the address is there to select.
        context.close()
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(page_url)
        assert not page.locator("#calendar button.copy").is_visible()
        assert page.locator("#feed-address").inner_text() == BASE_URL + shipped_site.folder + FEED_NAME
        context.close()
        browser.close()


def test_the_page_offers_the_busy_only_calendar_beside_the_full_one(shipped_site: Built) -> None:
    page, section = shipped_site.calendar()
    busy = BASE_URL + shipped_site.folder + BUSY_FEED_NAME
    assert links(page, section)[wording.BUSY_FEED_LINK] == "webcal://" + busy.removeprefix("https://")
    assert (shipped_site.site / shipped_site.folder / BUSY_FEED_NAME).is_file()
