"""The site as people see it: pages, links, privacy, and what they say."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import icalendar

from builder.wording import NOTICE
from tests.conftest import Run, athlete_dir


class Page(HTMLParser):
    """What a browser would fetch and follow from a page, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "a" and "href" in found:
            self.links.append(found["href"])
        if tag in ("link", "script", "img", "iframe", "source") and (found.get("href") or found.get("src")):
            self.assets.append(found.get("href") or found["src"])
        if tag == "meta" and "name" in found:
            self.meta[found["name"]] = found.get("content", "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def pages_of(site: Path) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): Page(p.read_text()) for p in sorted(site.rglob("*.html"))}


def target_of(site: Path, page: str, href: str) -> tuple[Path, str]:
    """The file a relative link opens, as a static host serves it (folder/ -> folder/index.html)."""
    url, fragment = urldefrag(href)
    if not url:
        return site / page, fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
    assert not joined.startswith(".."), f"{page}: {href} leaves the site"
    path = site / joined
    return (path / "index.html" if url.endswith("/") or path.is_dir() else path), fragment


def athlete_page(project: Path, site: Path, athlete: str) -> str:
    return athlete_dir(project, athlete) + "index.html"


NOT_ABOUT_A_PROTOCOL = ("404.html", "athletes/index.html", "staff/index.html")
"""Pages that say where there is nothing: a page not found, and the folders of the private pages."""


def test_every_internal_link_resolves_and_is_relative(mini_site: Path) -> None:
    pages = pages_of(mini_site)
    assert len(pages) > 10
    for name, page in pages.items():
        if name == "404.html":
            continue  # served at any depth, it links from the site's path (tests/test_publish.py)
        for href in page.links + page.assets:
            if href.startswith(("https://", "webcal://")) or href.startswith("mailto:"):
                continue
            assert not href.startswith("/"), f"{name}: {href} breaks under a sub-path"
            target, fragment = target_of(mini_site, name, href)
            assert target.is_file(), f"{name}: broken link {href}"
            if fragment and target.suffix == ".html":
                assert fragment in pages[target.relative_to(mini_site).as_posix()].ids, f"{name}: no #{fragment}"


def test_no_asset_comes_from_another_host(mini_site: Path) -> None:
    for name, page in pages_of(mini_site).items():
        for asset in page.assets:
            assert "//" not in asset, f"{name} loads {asset} from another host"
    for css in mini_site.rglob("*.css"):
        assert not re.search(r"url\(|@import", css.read_text()), f"{css} may fetch from elsewhere"


def test_every_page_carries_the_notice(mini_site: Path) -> None:
    for name, page in pages_of(mini_site).items():
        assert NOTICE in page.words, name


def test_every_page_names_the_protocol_version(mini_site: Path) -> None:
    for name, page in pages_of(mini_site).items():
        if name not in NOT_ABOUT_A_PROTOCOL:
            assert "version 1.0" in page.words, name


def test_athlete_page_shows_week_three_on_the_right_dates(mini: Path, mini_site: Path) -> None:
    html = (mini_site / athlete_page(mini, mini_site, "ana")).read_text()
    week = html[html.index('id="w3"') : html.index('id="w4"')]
    # Ana starts Wed 6 Jan 2027 and trains Mon, Wed, Fri, Sat: week 3 is Wed 20 to Tue 26 January,
    # with the three sessions of the speed phase spread over it.
    assert re.findall(r'<time datetime="([\d-]+)">', week) == ["2027-01-20", "2027-01-22", "2027-01-25"]
    assert 'Week 3 <span class="dates">Wed 20 Jan 2027 to Tue 26 Jan 2027 (earliest)</span>' in week
    assert week.count("Accelerations") == 2 and week.count("Copenhagen strength") == 1
    assert "4 × 20 m · 75% of max speed · rest 2 min" in week
    # The week holds each session's own work; the whole session is one link away, and the pain
    # limit and the rules are said once for the page.
    [link] = re.findall(r'<a href="([^"]+)">The whole session', week[: week.index("Copenhagen strength")])
    whole = (mini_site / athlete_page(mini, mini_site, "ana")).parent.joinpath(link, "index.html").read_text()
    assert "Relaxed jaw" in whole  # cues
    assert "Stop the drill and walk it off." in whole  # stop rules
    assert "Pain allowed: up to 3/10" in whole
    assert "Relaxed jaw" not in week and "Stop the drill and walk it off." not in week
    assert html.count("Stop the drill and walk it off.") == 1 and html.count("Pain allowed: up to 3/10") == 2


def test_athlete_pages_are_private(mini: Path, mini_site: Path) -> None:
    page_path = athlete_page(mini, mini_site, "ana")
    token = page_path.split("/")[1]
    assert re.fullmatch(r"[a-z2-7]{26}", token)
    assert "ana" not in token
    page = Page((mini_site / page_path).read_text())
    assert "noindex" in page.meta["robots"]
    assert page.meta["referrer"] == "no-referrer"
    home = (mini_site / "index.html").read_text()
    assert token not in home and "Ana Example" not in home
    for name, other in pages_of(mini_site).items():
        if not name.startswith(("athletes/", "staff/")):
            assert not any(token in link for link in other.links), f"{name} links to a private page"


def test_raising_link_key_moves_the_private_address(mini: Path, run: Run, tmp_path: Path) -> None:
    before = athlete_page(mini, tmp_path, "ana")
    mini.write_text(mini.read_text().replace('session_time: "18:00"', 'session_time: "18:00"\n    link_key: 1'))
    after = athlete_page(mini, tmp_path, "ana")
    assert before != after
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    assert (out / after).is_file() and not (out / before).exists()


def test_public_roster_is_the_coachs_choice(mini: Path, run: Run, tmp_path: Path) -> None:
    mini.write_text(mini.read_text().replace("site:\n", "site:\n  athletes_public: true\n"))
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    home = Page((out / "index.html").read_text())
    assert "Ana Example" in home.words
    assert athlete_page(mini, out, "ana").removesuffix("index.html") in home.links


def test_athlete_page_links_to_its_feed_by_webcal_and_download(mini: Path, mini_site: Path) -> None:
    path = athlete_page(mini, mini_site, "ana")
    page = Page((mini_site / path).read_text())
    folder = path.removesuffix("index.html")
    assert f"webcal://club.example/rehab/{folder}calendar.ics" in page.links
    download = next(link for link in page.links if link.endswith("calendar.ics") and "://" not in link)
    assert target_of(mini_site, path, download) == (mini_site / folder / "calendar.ics", "")


def test_markdown_is_rendered_and_sanitised(mini: Path, run: Run, tmp_path: Path) -> None:
    program = mini.parent / "programs" / "adductor.yaml"
    program.write_text(
        program.read_text().replace(
            "A short **test** protocol.", "A short **test** protocol. <script>alert(1)</script>"
        )
    )
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    html = (out / "programs" / "adductor" / "index.html").read_text()
    assert "<strong>test</strong>" in html
    assert "<script>" not in html


def test_schema_is_published_in_the_site(mini_site: Path) -> None:
    import json

    schema = json.loads((mini_site / "schema" / "program.json").read_text())
    assert schema["additionalProperties"] is False
    assert "phases" in schema["required"]


def test_page_feed_and_terminal_say_the_same_words(mini: Path, mini_site: Path, run: Run) -> None:
    # One view, three layouts: the rule's action, the deload label and the check-in read alike everywhere.
    page = Page((mini_site / athlete_page(mini, mini_site, "ana")).read_text()).words
    feed = icalendar.Calendar.from_ical((mini_site / athlete_dir(mini, "ana") / "calendar.ics").read_bytes())
    descriptions = " ".join(str(event["description"]) for event in feed.events)
    summaries = [str(event["summary"]) for event in feed.events]
    terminal = run("plan", "-f", mini, "ana").output
    rule = "soreness worse the next morning (hold progression): Repeat last week's dose."
    assert rule in page  # the card leaves the stop rules to the page it links to
    assert "deload week: lighter volume" in page and "deload week: lighter volume" in descriptions
    check_in = "Check-in: end of Early loading (earliest)"
    assert check_in in page and check_in in summaries and check_in in terminal
    lead = "Check-in at the end of Early loading. Test each criterion with your clinician:"
    assert lead in page and lead in descriptions
    assert "acceleration · about 29 min · RPE 6 · load 174" in page
    assert "About 29 min, RPE 6." in descriptions
    assert "      acceleration · about 29 min · RPE 6 · load 174" in terminal.splitlines()


def test_a_program_without_a_named_grading_system_still_lists_its_grades(mini_site: Path) -> None:
    page = (mini_site / "programs" / "adductor" / "index.html").read_text()
    grades = page.split('<section id="grades">')[1]
    assert "<p>Grades: 1, 2.</p>" in grades and "Grades follow" not in grades
