"""The site as people use it: every page type in Debian's Chromium at a phone's width (375 px) and a desktop's
(1280 px), served at the root and under a sub-path, with no sideways scroll, nothing fetched from another host,
no script error and no axe-core violation; the Nu Html Checker finds no error in any page; every internal link
and asset of every page resolves to a built file. Screenshots of each page type go to tests/screenshots/
(git-ignored) for a person to look at."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.browsing import CHROMIUM_FLAGS, chromium_path, serve_site
from tests.conftest import EPOCH, REPO, SECRET, athlete_dir, copy_shipped, edit

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, FloatRect, Page  # noqa: E402

TOOLS = REPO / "tests" / "js" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO / "tests" / "screenshots"
WIDTHS = (375, 1280)
SCREENSHOT_HEIGHT = 6000
"""The top of the page, enough to judge each page type; the longest pages run past 40,000 px on a phone."""
SHIPPED_BASE = "https://club.example/rehab/"
ROOT_BASE = "https://club.example/"
MAYA_LINES = '    training_days: [mon, wed, fri, sat]\n    session_time: "17:30"\n'


def needed(path: Path, what: str) -> Path:
    """A tool tests/run installs: fail under CI without it, skip elsewhere."""
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: tests/run installs it")
    pytest.skip(f"no {what} on this machine (tests/run installs it)")


def java_path() -> str:
    found = shutil.which("java")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("Java is missing: tests/run installs Debian's default-jre-headless package")
    pytest.skip("no Java on this machine (tests/run installs it as root)")


@dataclass(frozen=True)
class Site:
    folder: Path
    base_url: str
    pages: dict[str, str]
    """One page of each type: its name, and its address relative to the site."""


def build_site(target: Path, base_url: str) -> Site:
    """The shipped project with one athlete's address rotated (so the old address shows the moved page),
    published at `base_url`, built through the real command."""
    project = copy_shipped(target / "project")
    moved = athlete_dir(project, "maya-okafor")
    edit(project, MAYA_LINES, MAYA_LINES + "    link_key: 1\n    old_link_keys: [0]\n")
    if base_url != SHIPPED_BASE:
        edit(project, f"base_url: {SHIPPED_BASE}", f"base_url: {base_url}")
    # Tom's log: a pain report, then a pause (his page gains where he stands, a history and a pause).
    (project.parent / "log").mkdir(exist_ok=True)
    (project.parent / "log" / "tom-becker.yaml").write_text(
        "records:\n  - {date: 2026-12-05, pain: 2, when: after}\n  - {date: 2026-12-12, decision: pause, by: Dr. Ng}\n"
    )
    out = target / "site"
    env = {**os.environ, "SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": EPOCH}
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "-q", "-f", str(project), "-o", str(out)],
        check=True,
        env=env,
        cwd=REPO,
    )
    session = min(out.glob("programs/*/sessions/**/week-*/index.html"))
    drill = min(out.glob("drills/*/index.html"))
    [staff] = [path for path in out.glob("staff/*/index.html")]
    pages = {
        "home": "",
        "program": "programs/hamstring/",
        "grade": "programs/calf/grades/2/soleus/",
        "session": session.parent.relative_to(out).as_posix() + "/",
        "drill": drill.parent.relative_to(out).as_posix() + "/",
        "athlete": athlete_dir(project, "maya-okafor"),
        "athlete-with-log": athlete_dir(project, "tom-becker"),
        "staff": staff.parent.relative_to(out).as_posix() + "/",
        "athletes-folder": "athletes/",
        "staff-folder": "staff/",
        "not-found": "404.html",
        "moved": moved,
    }
    assert "This calendar has moved" in (out / moved / "index.html").read_text()
    return Site(out, base_url, pages)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Site]:
    folder = tmp_path_factory.mktemp("proof")
    return {
        "sub-path": build_site(folder / "sub-path", SHIPPED_BASE),
        "root": build_site(folder / "root", ROOT_BASE),
    }


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@dataclass
class Seen:
    """What a page did while it loaded: requests to other hosts, failed responses, script errors."""

    elsewhere: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request to another host: {url}" for url in self.elsewhere]
            + [f"failed response: {url}" for url in self.failures]
            + [f"script error: {text}" for text in self.errors]
        )


def watch(page: Page, origin: str) -> Seen:
    seen = Seen()
    page.on("request", lambda request: None if request.url.startswith(origin) else seen.elsewhere.append(request.url))
    page.on("response", lambda response: seen.failures.append(response.url) if response.status >= 400 else None)
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    return seen


AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
}"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
HEADINGS = "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]))"
LANDMARKS = "() => ['body > header', 'body > header nav', 'body > main', 'body > footer']" + (
    ".filter(s => document.querySelectorAll(s).length !== 1)"
)


def heading_problems(levels: list[int]) -> list[str]:
    """One h1, first; going down, no level skipped."""
    problems = [] if levels.count(1) == 1 and levels[:1] == [1] else [f"not one h1 first: {levels}"]
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{after} after h{before}")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_every_page_type_reads_well_in_a_browser(
    browser: Browser, sites: dict[str, Site], where: str, width: int
) -> None:
    """Under the sub-path (the shipped setting) each page type also gets axe-core and a screenshot; at the root,
    where only the addresses differ, the page's own behaviour is checked (sideways scroll, hosts, errors)."""
    axe = needed(AXE, "axe-core")
    site = sites[where]
    thorough = where == "sub-path"
    SCREENSHOTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with serve_site(site.folder, at_root=where == "root") as address:
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(address))
        context = browser.new_context(viewport={"width": width, "height": 800})
        for kind, path in site.pages.items():
            page = context.new_page()
            seen = watch(page, origin)
            response = page.goto(address + path)
            assert response is not None and response.ok, (kind, path)
            page.wait_for_load_state("load")
            said = f"{where} {width}px {kind}"
            if thorough:
                tall = min(page.evaluate("() => document.documentElement.scrollHeight"), SCREENSHOT_HEIGHT)
                clip: FloatRect = {"x": 0, "y": 0, "width": width, "height": tall}
                page.screenshot(path=str(SCREENSHOTS / f"{kind}-{width}.png"), full_page=True, clip=clip)
            found = [f"{said}: {problem}" for problem in seen.problems()]
            if page.evaluate(SIDEWAYS) > 0:
                found.append(f"{said}: the page scrolls sideways")
            # Every folded part opened, as a reader would: still no sideways scroll, and axe sees all of it.
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            if page.evaluate(SIDEWAYS) > 0:
                found.append(f"{said}: the page scrolls sideways with every part opened")
            found += [f"{said}: {problem}" for problem in heading_problems(page.evaluate(HEADINGS))]
            found += [f"{said}: not exactly one {missing}" for missing in page.evaluate(LANDMARKS)]
            if thorough:
                page.add_script_tag(path=str(axe))
                found += [f"{said}: axe {violation}" for violation in page.evaluate(AXE_RUN)]
            problems += found
            page.close()
        context.close()
    assert not problems, "\n".join(problems)


def test_a_program_page_table_scrolls_sideways_from_the_keyboard(browser: Browser, sites: dict[str, Site]) -> None:
    site = sites["sub-path"]
    with serve_site(site.folder) as address:
        context = browser.new_context(viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.goto(address + site.pages["program"])
        table = page.locator("#grades > table")
        assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # too wide for a phone: it scrolls
        for _ in range(300):
            page.keyboard.press("Tab")
            if table.evaluate("t => t === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reaches the grades table")
        assert table.get_attribute("aria-label") or table.get_attribute("aria-labelledby")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('#grades > table').scrollLeft > 0", timeout=3000)
        context.close()


def test_the_nu_html_checker_finds_no_error_in_any_page(sites: dict[str, Site]) -> None:
    java = java_path()
    vnu = needed(VNU, "the Nu Html Checker (vnu-jar)")
    folder = sites["sub-path"].folder
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) > 300
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(unquote(urlsplit(m.get('url', '')).path)).relative_to(folder)}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] != "info"
    ]
    assert not errors, "\n".join(errors)
    assert result.returncode == 0


class Links(HTMLParser):
    """The ids of a page and every address it links to or loads."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.addresses.append(value)


def read_links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text())
    return parser


def broken_links(site: Site) -> list[str]:
    """Every internal href/src of every page that does not resolve to a built file (and, with a fragment, to an
    element with that id); links to the site's own address (https://, webcal://) count as internal."""
    base = urlsplit(site.base_url)
    parsed: dict[Path, Links] = {}

    def links(path: Path) -> Links:
        if path not in parsed:
            parsed[path] = read_links(path)
        return parsed[path]

    broken = []
    pages = sorted(site.folder.rglob("*.html"))
    for page in pages:
        here = site.base_url + page.relative_to(site.folder).as_posix()
        for address in links(page).addresses:
            target = urlsplit(urljoin(here, address))
            if target.scheme not in ("http", "https", "webcal") or target.netloc != base.netloc:
                continue  # another host's page, which a reader may follow (nothing loads from there)
            if not target.path.startswith(base.path):
                broken.append(f"{page.relative_to(site.folder)}: {address} is outside the site")
                continue
            file = site.folder / unquote(target.path[len(base.path) :])
            if file.is_dir() or target.path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page.relative_to(site.folder)}: {address} is not a built file")
            elif target.fragment and file.suffix == ".html" and target.fragment not in links(file).ids:
                broken.append(f"{page.relative_to(site.folder)}: {address} has no #{target.fragment}")
    return broken


@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_every_internal_link_and_asset_resolves(sites: dict[str, Site], where: str) -> None:
    site = sites[where]
    assert not broken_links(site), "\n".join(broken_links(site))
    # The session pages are reached from the athlete and program pages, not only listed in the folder.
    athlete = read_links(site.folder / site.pages["athlete"] / "index.html")
    assert any("/sessions/" in address for address in athlete.addresses)


def test_a_link_to_a_missing_page_is_caught(sites: dict[str, Site], tmp_path: Path) -> None:
    """The link check itself: a page pointing at a drill that was never built, and at a missing anchor."""
    source = sites["sub-path"]
    copy = Site(tmp_path / "site", source.base_url, source.pages)
    shutil.copytree(source.folder, copy.folder)
    home = copy.folder / "index.html"
    broken = '<a href="drills/no-such-drill/">x</a><a href="#nowhere">y</a></main>'
    home.write_text(home.read_text().replace("</main>", broken))
    assert broken_links(copy) == [
        "index.html: drills/no-such-drill/ is not a built file",
        "index.html: #nowhere has no #nowhere",
    ]
