"""What athletes and staff read: names escaped in HTML and carried as text in feeds,
all-day events that do not block time, and each injury's own cautions."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.render_feeds import _unique
from tests.conftest import FIXTURES, Run, athlete_dir, copy_project, edit

NAME = '<script>alert(1)</script> & "Zed"'
PROGRAM_TITLE = "Return to sprint after an adductor strain"


class Text(HTMLParser):
    """The text a browser shows for a page (tags dropped, entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.feed(html)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def build(run: Run, project: Path, out: Path) -> Path:
    result = run("build", "-q", "-f", project, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def unfolded(feed: bytes) -> bytes:
    """A feed with its folded lines joined back (RFC 5545 3.1)."""
    return feed.replace(b"\r\n ", b"")


@pytest.fixture
def named_site(run: Run, mini: Path, tmp_path: Path) -> Path:
    """The mini project built with ana renamed to a name full of HTML, listed on the home page too."""
    edit(mini, "    name: Ana Example\n", "    name: '<script>alert(1)</script> & \"Zed\"'\n")
    edit(mini, "  base_url:", "  athletes_public: true\n  base_url:")
    return build(run, mini, tmp_path / "site")


def test_a_name_with_html_is_escaped_on_every_page(mini: Path, named_site: Path) -> None:
    pages = {path.relative_to(named_site).as_posix(): path.read_text() for path in named_site.rglob("*.html")}
    assert pages
    for name, html in pages.items():
        assert "<script>alert" not in html, name
    [staff] = [name for name in pages if name.startswith("staff/") and name != "staff/index.html"]
    showing = [athlete_dir(mini, "ana") + "index.html", staff, "index.html"]
    for name in showing:
        html = pages[name]
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in html, name
        assert NAME in Text(html).text, name  # escaped once: a browser shows the name as written


def feeds_of(run: Run, project: Path, out: Path, name: str) -> tuple[bytes, bytes]:
    """Ana's own feed and her feed for staff (her events titled with her name), with ana renamed to `name`."""
    quoted = "'" + name.replace("'", "''") + "'"
    edit(project, "    name: Ana Example\n", f"    name: {quoted}\n")
    site = build(run, project, out)
    [team] = site.glob("staff/*/athlete-ana.ics")
    return (site / athlete_dir(project, "ana") / "calendar.ics").read_bytes(), team.read_bytes()


def test_a_name_with_html_is_plain_text_in_the_feeds(run: Run, mini: Path, tmp_path: Path) -> None:
    own, team = feeds_of(run, mini, tmp_path / "site", NAME)
    calendar = icalendar.Calendar.from_ical(own)
    assert str(calendar["name"]) == str(calendar["x-wr-calname"]) == f"{NAME}: {PROGRAM_TITLE}"
    assert str(calendar["description"]).startswith(f"{PROGRAM_TITLE} (version 1.0) for {NAME}, left adductor")
    summaries = [str(event["summary"]) for event in icalendar.Calendar.from_ical(team).events]
    titled = [summary for summary in summaries if summary.startswith(f"{NAME}: ")]
    assert len(titled) == len(calendar.events) == 17  # ana: 15 sessions and 2 check-ins
    assert titled[0] == f"{NAME}: Technique and strides (week 1)"
    for feed in (own, team):
        assert b"&lt;" not in feed and b"&amp;" not in feed and b"&#" not in feed  # text, not HTML
        assert NAME.encode() + b": " in unfolded(feed)


SPECIALS = 'Jo, "Zed"; <b>C:\\Co</b>'
SPECIALS_WRITTEN = b'Jo\\, "Zed"\\; <b>C:\\\\Co</b>'
"""The name as iCalendar text: comma, semicolon and backslash escaped (RFC 5545 3.3.11)."""


def test_commas_semicolons_and_backslashes_of_a_name_are_escaped_in_event_text(
    run: Run, mini: Path, tmp_path: Path
) -> None:
    own, team = feeds_of(run, mini, tmp_path / "site", SPECIALS)
    team_lines = unfolded(team).split(b"\r\n")
    assert b"SUMMARY:" + SPECIALS_WRITTEN + b": Technique and strides (week 1)" in team_lines
    summaries = [str(event["summary"]) for event in icalendar.Calendar.from_ical(team).events]
    assert sum(summary.startswith(f"{SPECIALS}: ") for summary in summaries) == 17
    assert b"for " + SPECIALS_WRITTEN + b"\\, left adductor" in unfolded(own)  # the calendar's description


def test_commas_semicolons_and_backslashes_of_a_name_are_escaped_in_the_calendar_name(
    run: Run, mini: Path, tmp_path: Path
) -> None:
    own, _ = feeds_of(run, mini, tmp_path / "site", SPECIALS)
    lines = unfolded(own).split(b"\r\n")
    assert b"X-WR-CALNAME:" + SPECIALS_WRITTEN + b": " + PROGRAM_TITLE.encode() in lines
    assert b"NAME:" + SPECIALS_WRITTEN + b": " + PROGRAM_TITLE.encode() in lines
    # A second parser reads the whole name (vobject reads an unescaped one as "Jo").
    calendar = vobject.readOne(own.decode())
    assert calendar.contents["x-wr-calname"][0].value == f"{SPECIALS}: {PROGRAM_TITLE}"


def test_all_day_events_are_transparent_and_timed_events_are_not(run: Run, mini: Path, tmp_path: Path) -> None:
    site = build(run, mini, tmp_path / "site")
    [team] = site.glob("staff/*/team.ics")
    feeds = {
        "ana": site / athlete_dir(mini, "ana") / "calendar.ics",  # sessions at 18:00; check-ins all day
        "ben": site / athlete_dir(mini, "ben") / "calendar.ics",  # all-day events
        "team": team,
    }
    counts = {}
    for whose, path in feeds.items():
        timed = all_day = 0
        for event in icalendar.Calendar.from_ical(path.read_bytes()).events:
            if isinstance(event.start, dt.datetime):
                timed += 1
                assert "TRANSP" not in event, f"{whose}: {event['summary']}"
            else:
                all_day += 1
                assert str(event["transp"]) == "TRANSPARENT", f"{whose}: {event['summary']}"
        counts[whose] = (timed, all_day)
    # ana: 15 timed sessions, 2 all-day check-ins; ben: 9 sessions and 2 check-ins, all day; team: the 4 check-ins.
    assert counts == {"ana": (15, 2), "ben": (0, 11), "team": (0, 4)}


def test_a_drills_caution_shows_only_for_its_own_injury(run: Run, tmp_path: Path) -> None:
    # In the full fixture, strides carry a caution for adductor and one for quadriceps injuries.
    project = copy_project(FIXTURES / "full", tmp_path / "full")
    site = build(run, project, tmp_path / "site")
    adductor = "Caution: Keep the stride short and straight; no cutting."
    quadriceps = "Caution: Build up over 20 m; no explosive starts yet."
    hamstring = "Hold 90% until the last phase."  # flying sprints' caution for hamstring injuries
    expected = {"lena-vogel": (adductor, quadriceps), "kofi-mensah": (quadriceps, adductor)}
    for athlete, (own, other) in expected.items():
        feed = icalendar.Calendar.from_ical((site / athlete_dir(project, athlete) / "calendar.ics").read_bytes())
        descriptions = [str(event["description"]) for event in feed.events]
        with_strides = [text for text in descriptions if "\n- Strides:" in text]
        assert with_strides, athlete
        for text in with_strides:
            assert text.count(own) == text.count("\n- Strides:"), athlete
        for text in descriptions:
            assert other not in text and hamstring not in text, athlete


@settings(derandomize=True, max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.sampled_from(list("ab,;:\\^\n")), min_size=60, max_size=400),  # ASCII: sliced
        st.text(alphabet=st.sampled_from(list("ab ,;\\^\né·\U0001f3c3")), max_size=400),  # not: icalendar's
    )
)
def test_a_line_written_once_is_folded_as_icalendar_folds_it_and_reads_back(value: str) -> None:
    """Names and links are written without icalendar's content-line round trip, for speed:
    the bytes must still be icalendar's, and read back as the value."""
    event = icalendar.Event()
    event.add("summary", value)
    theirs = bytes(event.to_ical()).removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")
    ours = _unique("SUMMARY", value)
    assert ours == theirs
    assert all(len(line) <= 75 for line in ours.split(b"\r\n"))
    assert str(icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + ours + b"END:VEVENT\r\n")["summary"]) == value
