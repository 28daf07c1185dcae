"""What a calendar event says: a short plain-text card, the link and the notice first, the rest on the page."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import icalendar
import pytest
import vobject

from builder.build import build
from builder.wording import ACTIONS, CARD_NOTICE
from tests.conftest import ENVIRONMENT, FIXTURES, Run, copy_project, copy_shipped
from tests.test_escaping import Text
from tests.test_escaping import build as build_with

LONGEST = 2000
"""Characters a description may hold: well under Google Calendar's 8,192, and a phone shows the start."""
CODES = re.compile(r"\((?:" + "|".join(re.escape(action) for action in ACTIONS) + r")\)")
"""A monitoring action's internal code in brackets, as `(call-clinician)`."""


def _site(project: Path, out: Path) -> Path:
    build(project, ENVIRONMENT, output=out)
    return out


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cards")
    return _site(copy_shipped(root / "shipped"), root / "site")


@pytest.fixture(scope="module")
def full_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cards-full")
    return _site(copy_project(FIXTURES / "full", root / "full"), root / "site")


def _events(site: Path) -> list[tuple[Path, icalendar.Event]]:
    return [
        (feed, event)
        for feed in sorted(site.rglob("*.ics"))
        if feed.name != "busy.ics"  # no descriptions (tests/test_staff_feeds.py)
        for event in icalendar.Calendar.from_ical(feed.read_bytes()).events
    ]


@pytest.mark.parametrize("which", ["shipped_site", "full_site"])
def test_every_description_is_a_short_plain_card(which: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(which)
    events = _events(site)
    assert len(events) > 50
    for feed, event in events:
        text = str(event["description"])
        where = f"{feed.relative_to(site)}: {event['summary']}"
        assert len(text) <= LONGEST, where
        assert "**" not in text and "__" not in text and "`" not in text, where
        assert not CODES.search(text), where
        lines = text.split("\n")
        for line, following in itertools.pairwise(lines):
            # A YAML-folded sentence breaks before a lower-case word or after a comma.
            assert not (following[:1].islower() or line.endswith(",")), f"{where}: {line!r} / {following!r}"


def test_link_and_notice_come_first_in_sessions_and_check_ins(shipped_site: Path) -> None:
    checked = 0
    for feed, event in _events(shipped_site):
        categories = event.categories
        if "pause" in categories or feed.parent.parent.name == "staff":
            continue
        head = str(event["description"])[:300]
        assert head.startswith(f"On your page: {event['url']}\n"), event["summary"]
        assert CARD_NOTICE in head
        checked += 1
    assert checked > 100


def test_the_card_notice_still_says_what_the_notice_says() -> None:
    for words in ("supports", "does not replace", "clinician", "projections", "pain rules come first"):
        assert words in CARD_NOTICE.lower()


def _shipped_event(site: Path, summary: str) -> icalendar.Event:
    return next(
        event
        for _, event in _events(site)
        if str(event["summary"]) == summary and "On your page" in str(event["description"])
    )


def test_a_session_card_holds_its_main_set_with_doses_under_block_names(shipped_site: Path) -> None:
    text = str(_shipped_event(shipped_site, "Calf holds and first raises (gastrocnemius) (week 1)")["description"])
    assert "\nHolds:\nStart on two legs; shift more weight onto the injured leg as the pain limit allows.\n" in text
    assert "\n- Isometric calf raise hold: 5 × 45 s · rest 1 min. Knees straight. Caution: Hold at an effort" in text
    assert (
        "\nFirst raises:\n- Double-leg calf raise: 3 × 12 reps · rest 1 min. Knees straight. "
        "Caution: Start on a flat floor;" in text
    )
    assert "\nPain allowed: up to 2/10. More than that: stop, and follow the stop rules.\n" in text
    assert "About 35 min, RPE 4." in text
    # The warm-up, the cues and the stop rules stay on the page.
    for page_only in ("Standard warm-up", "Stationary cycling", "cue:", "Stop the drill and walk easily"):
        assert page_only not in text


def test_choose_one_stays_one_block(shipped_site: Path) -> None:
    text = str(_shipped_event(shipped_site, "Cross-training (bike, pool or elliptical) (week 1)")["description"])
    block = text.split("\nAerobic work (choose one):\n", 1)[1].split("\n\n", 1)[0].split("\n")
    assert [line.split(":")[0] for line in block] == [
        "- Swimming or pool running",
        "- Stationary cycling",
        "- Elliptical trainer",
    ]


def test_a_shared_block_that_is_the_session_s_own_work_stays_on_the_card(shipped_site: Path) -> None:
    """The L-protocol is a shared block of two sessions: main work, not routine like the warm-up."""
    text = str(_shipped_event(shipped_site, "Hamstring loading (L-protocol) (week 1)")["description"])
    assert "\nAskling L-protocol:\n" in text
    assert "- Askling Extender: 3 × 12 reps · rest 1 min" in text


def test_a_check_in_card_names_each_criterion_with_what_passes(shipped_site: Path) -> None:
    # The check-in itself, not a test session (whose kind, and so category, is check-in too).
    event = next(e for _, e in _events(shipped_site) if str(e["uid"]).split("@")[0].endswith(".check-in"))
    text = str(event["description"])
    assert re.search(r"\n- [^\n]+\. Passes: [^\n]+\n", text)
    assert "How to run each test is on your page." in text


def test_the_athlete_page_still_has_the_whole_session(shipped_site: Path) -> None:
    """The event's link opens the session's own work; the page says the warm-up once for the phase,
    and the session's own page, one link away, holds all of it: warm-up, cues, stop rules."""
    event = _shipped_event(shipped_site, "Calf holds and first raises (gastrocnemius) (week 1)")
    page, anchor = str(event["url"]).split("#")
    path = shipped_site / page.removeprefix("https://club.example/rehab/") / "index.html"
    html = path.read_text()
    start = html.index(f'id="{anchor}"')
    own = html[start : html.index('<li class="session"', start)]
    [link] = re.findall(r'<a href="([^"]+)">The whole session', own)
    assert "Standard warm-up" in Text(html[: html.index(f'id="{anchor}"')]).text  # once, for the phase
    whole = Text(path.parent.joinpath(link, "index.html").read_text()).text
    for said in (
        "Standard warm-up",
        "Stationary cycling",
        "Seat high enough that the knee is nearly straight",  # a cue
        "Stop rules",
        "Stop the drill and walk easily for two minutes",
        "gastrocnemius was hurt",
    ):
        assert said in whole, said


CLUB = "Smith, J. & Co; Riverside"


def _text(value: object) -> str:
    """A value icalendar kept as written, read as RFC 5545 text (3.3.11): escapes undone."""
    return re.sub(r"\\([\\;,nN])", lambda match: "\n" if match[1] in "nN" else match[1], str(value))


def test_a_club_name_with_commas_and_semicolons_reads_back_exactly(run: Run, mini: Path, tmp_path: Path) -> None:
    text = mini.read_text()
    title = re.search(r"^  title: .*$", text, re.MULTILINE)
    assert title is not None
    mini.write_text(text.replace(title[0], f'  title: "{CLUB}"'))
    site = build_with(run, mini, tmp_path / "site")
    [team] = site.glob("staff/*/team.ics")
    [page] = site.glob("staff/*/index.html")
    assert CLUB in Text(page.read_text()).text
    name = f"{CLUB}: team"
    data = team.read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    for key in ("name", "x-wr-calname"):
        # icalendar keeps NAME and X-WR-* values as written: read them as RFC 5545 text.
        assert _text(calendar[key]) == name
        assert vobject.readOne(data.decode()).contents[key][0].value == name
    assert str(calendar["description"]).startswith(f"Every athlete's plan on {CLUB}.")
    assert _text(calendar["x-wr-caldesc"]) == str(calendar["description"])
    unfolded = data.replace(b"\r\n ", b"")
    assert b"NAME:Smith\\, J. & Co\\; Riverside: team\r\n" in unfolded
    assert b"X-WR-CALNAME:Smith\\, J. & Co\\; Riverside: team\r\n" in unfolded


def test_no_athlete_feed_of_the_shipped_plans_is_over_200_kb(shipped_site: Path) -> None:
    """A phone downloads the whole feed at every refresh: the longest shipped plan must stay small."""
    sizes = {path.parent.name: path.stat().st_size for path in shipped_site.glob("athletes/*/calendar.ics")}
    assert len(sizes) == 6 and max(sizes.values()) < 200 * 1024, sizes


def test_a_calendar_name_of_the_athlete_s_choosing_keeps_the_injury_out_of_the_calendar_list(tmp_path: Path) -> None:
    project = copy_shipped(tmp_path / "project")
    roster = project.read_text(encoding="utf-8")
    project.write_text(
        roster.replace("    name: Maya Okafor\n", "    name: Maya Okafor\n    calendar_name: Maya's training\n", 1)
    )
    built = build(project, ENVIRONMENT, output=tmp_path / "site")
    plan = next(plan for plan in built.gathered.plans if plan.athlete_id == "maya-okafor")
    feed = (built.output / built.links.athlete_dir(plan.athlete_id, plan.athlete) / "calendar.ics").read_bytes()
    calendar = vobject.readOne(feed.decode())
    assert calendar.x_wr_calname.value == "Maya's training"
    names = [line for line in feed.decode().splitlines() if line.startswith(("NAME", "X-WR-CALNAME"))]
    assert names and not any("hamstring" in line.lower() for line in names)
