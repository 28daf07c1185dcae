"""The staff page in a real browser (headless Chromium): a check-in whose day has passed is marked
overdue against the viewer's date, by a script of the site's own; without scripts the due date is still there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import build
from tests.browsing import CHROMIUM_FLAGS, SUB_PATH, chromium_path, serve_site
from tests.conftest import ENVIRONMENT, copy_shipped
from tests.test_log_pages import MAYA_LOG, write_logs

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, BrowserContext, Page  # noqa: E402

ZONE = "Europe/London"
DUE = "2027-01-03"
"""Maya's retest after the failed check-in and the pause of MAYA_LOG (tests/test_log_pages.py pins it)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logged-site")
    project = copy_shipped(folder / "project")
    write_logs(project, {"maya-okafor": MAYA_LOG})
    build(project, ENVIRONMENT, output=folder / "site")
    return folder / "site"


@pytest.fixture(scope="module")
def staff_url(site: Path) -> Iterator[str]:
    [staff] = site.glob("staff/*/index.html")
    with serve_site(site) as url:
        yield f"{url}{staff.parent.relative_to(site).as_posix()}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def open_staff(context: BrowserContext, url: str, today: dt.datetime | None) -> tuple[Page, list[str]]:
    """The staff page with the browser's clock at `today` (None: scripts off); and what went wrong on it."""
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on(
        "request",
        lambda request: None if request.url.startswith(url.split(SUB_PATH)[0]) else problems.append(request.url),
    )
    if today is not None:
        page.clock.set_fixed_time(today)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, problems


def maya_due(page: Page) -> tuple[str, bool, str]:
    """Maya's next check-in cell: its classes, whether the overdue mark shows, and its visible text."""
    cell = page.locator(f'tr:has-text("Maya Okafor") td[data-due="{DUE}"]')
    label = cell.locator(".overdue-label")
    return cell.get_attribute("class") or "", label.is_visible(), cell.inner_text()


def test_a_check_in_past_its_day_is_marked_overdue(browser: Browser, staff_url: str) -> None:
    context = browser.new_context(timezone_id=ZONE)
    page, problems = open_staff(context, staff_url, dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC))
    assert page.evaluate("new Date().toISOString().slice(0, 10)") == "2027-01-04"
    classes, shown, text = maya_due(page)
    assert "overdue" in classes.split()
    assert shown
    assert "Sun 03 Jan 2027" in text and "overdue" in text
    assert not problems, problems
    context.close()


def test_on_its_day_or_before_a_check_in_is_not_overdue(browser: Browser, staff_url: str) -> None:
    context = browser.new_context(timezone_id=ZONE)
    for today in (dt.datetime(2027, 1, 3, 20, 0, tzinfo=dt.UTC), dt.datetime(2026, 12, 30, 9, 0, tzinfo=dt.UTC)):
        page, problems = open_staff(context, staff_url, today)
        classes, shown, text = maya_due(page)
        assert "overdue" not in classes.split(), today
        assert not shown
        assert "Sun 03 Jan 2027" in text and "overdue" not in text
        assert not problems, problems
        page.close()
    context.close()


def test_the_viewers_own_day_decides(browser: Browser, staff_url: str) -> None:
    # 23:30 on the due day in London is already the next day in Tokyo.
    late = dt.datetime(2027, 1, 3, 23, 30, tzinfo=dt.UTC)
    for zone, overdue in ((ZONE, False), ("Asia/Tokyo", True)):
        context = browser.new_context(timezone_id=zone)
        page, _ = open_staff(context, staff_url, late)
        assert ("overdue" in maya_due(page)[0].split()) is overdue, zone
        context.close()


def test_without_scripts_the_due_date_is_still_listed(browser: Browser, staff_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, timezone_id=ZONE)
    page, problems = open_staff(context, staff_url, None)
    classes, shown, text = maya_due(page)
    assert "Sun 03 Jan 2027" in text
    assert "overdue" not in classes.split() and not shown
    assert page.locator(f'tr:has-text("Maya Okafor") time[datetime="{DUE}"]').is_visible()
    assert not problems, problems
    context.close()
