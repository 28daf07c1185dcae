"""Time zones in the feeds: three independent parsers read every event at the instant zoneinfo gives.

ical.js (Thunderbird), libical (Evolution) and vobject read each feed's own VTIMEZONEs; a roster
built to cross the clock changes of both hemispheres, zones a half or three quarters of an hour
off, a zone without daylight saving and plans over New Year must read the same in all three.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from builder.build import build, gather
from builder.render_feeds import uid
from builder.timezones import vtimezone
from tests.conftest import ENVIRONMENT, EPOCH, SECRET, Run, copy_shipped
from tests.parsers import Event, Moment, read_by_all

CLOCK_CHANGES = """athletes:
  ny-spring:
    name: Nia Spring
    injury: {type: hamstring, grade: 3, side: left}
    start: 2027-02-01
    timezone: America/New_York
    training_days: [mon, wed, fri, sun]
    session_time: "02:30"
  ny-autumn:
    name: Noah Autumn
    injury: {type: hamstring, grade: 3, side: right}
    start: 2027-09-27
    timezone: America/New_York
    training_days: [tue, thu, sat, sun]
    session_time: "01:30"
  london-spring:
    name: Zoë Ó Súilleabháin-Łukasiewicz, a name long enough to fold
    injury: {type: calf, grade: 2, side: left}
    start: 2027-03-01
    timezone: Europe/London
    training_days: [mon, wed, fri, sun]
    session_time: "07:00"
  london-autumn:
    name: Lewis Autumn
    injury: {type: hamstring, grade: 3, side: left}
    start: 2027-09-20
    timezone: Europe/London
    training_days: [mon, wed, fri, sun]
    session_time: "07:00"
  melbourne-autumn:
    name: Mia Autumn
    injury: {type: calf, grade: 2, side: right}
    start: 2027-03-01
    timezone: Australia/Melbourne
    training_days: [mon, wed, fri, sun]
    session_time: "17:00"
  melbourne-spring:
    name: Max Spring
    injury: {type: hamstring, grade: 3, side: right}
    start: 2027-09-13
    timezone: Australia/Melbourne
    training_days: [mon, wed, fri, sun]
    session_time: "17:00"
  kolkata:
    name: Kavya Rao
    injury: {type: calf, grade: 1, side: left}
    start: 2027-03-01
    timezone: Asia/Kolkata
    training_days: [mon, wed, fri, sat]
    session_time: "06:00"
  chatham:
    name: Chloe Chatham
    injury: {type: hamstring, grade: 2, side: left}
    start: 2027-03-08
    timezone: Pacific/Chatham
    training_days: [mon, wed, fri, sun]
    session_time: "18:45"
  st-johns:
    name: Sean Johns
    injury: {type: calf, grade: 2, side: right}
    start: 2027-10-04
    timezone: America/St_Johns
    training_days: [mon, wed, fri, sun]
    session_time: "06:30"
"""
"""Athletes whose plans cross the clock changes of 2027 (US 14 Mar and 7 Nov, UK 28 Mar and 31 Oct,
Melbourne and Chatham 4 Apr, Melbourne 3 Oct, Chatham 26 Sep); Nia at 02:30 and Noah at 01:30 on
Sundays meet the hour the clocks skip and the hour they repeat."""

BUILT_ON = {"shipped": dt.date(2027, 1, 6), "clock-changes": dt.date(2027, 10, 1)}
"""Each roster's build day: the staff's upcoming feed then holds every athlete's sessions (all six
shipped ones under way; for the clock changes roster, 12 weeks across the changes of Melbourne
(3 Oct), London (31 Oct), New York and St John's (7 Nov))."""


def _project(folder: Path, roster: str | None) -> Path:
    project = copy_shipped(folder)
    (folder / "feeds.lock").unlink(missing_ok=True)
    if roster is not None:
        text = project.read_text()
        project.write_text(text[: text.index("athletes:")] + roster)
    return project


@pytest.fixture(scope="module", params=["shipped", "clock-changes"])
def feeds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path, dt.date]]:
    """A project built (the shipped one, or the clock changes roster): its project file, site and build day."""
    folder = tmp_path_factory.mktemp(request.param)
    project = _project(folder / "project", None if request.param == "shipped" else CLOCK_CHANGES)
    if request.param != "shipped":
        project.write_text(project.read_text().replace("site:\n", "site:\n  upcoming_weeks: 12\n", 1))
    today = BUILT_ON[request.param]
    build(project, {"SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": EPOCH}, output=folder / "site", today=today)
    yield project, folder / "site", today


def _expected(project: Path, today: dt.date) -> dict[str, tuple[Moment, Moment]]:
    """Each timed session's start and end by UID, from zoneinfo: the session time in the athlete's zone
    (the first of a repeated hour, the offset before a skipped one, RFC 5545 3.3.5), plus its minutes;
    the staff's upcoming feed holds those in its window too."""
    gathered = gather(project, ENVIRONMENT)
    site = gathered.library.project.site
    host = site.base_url.host  # type: ignore[union-attr]
    assert host is not None
    window = (today, today + dt.timedelta(weeks=site.upcoming_weeks))
    expected: dict[str, tuple[Moment, Moment]] = {}
    for plan in gathered.plans:
        time = plan.athlete.session_time
        if time is None:
            continue
        for session in plan.sessions():
            start = dt.datetime.combine(session.date, time, zoneinfo.ZoneInfo(plan.athlete.timezone))
            instant = start.astimezone(dt.UTC)
            span = (instant, instant + dt.timedelta(minutes=session.dose.minutes))
            expected[uid(session.event, host)] = span
            expected[uid(session.event, host, team=True)] = span
            if window[0] <= session.date < window[1]:
                expected["upcoming." + uid(session.event, host)] = span
    return expected


def _all_feeds(site: Path) -> list[Path]:
    found = sorted([*site.glob("athletes/*/calendar.ics"), *site.glob("staff/*/*.ics")])
    assert len(found) > 2
    return found


def test_three_parsers_read_every_event_at_the_same_instants(feeds: tuple[Path, Path, dt.date]) -> None:
    project, site, today = feeds
    paths = _all_feeds(site)
    read = read_by_all(paths)
    expected = _expected(project, today)
    timed = 0
    for path in paths:
        by_parser = {name: sorted(events[path]) for name, events in read.items()}
        reference = by_parser.pop("ical.js")
        assert reference, path
        for name, events in by_parser.items():
            assert events == reference, f"{name} and ical.js read {path.name} differently"
        for event_uid, start, end in reference:
            if isinstance(start, dt.datetime):
                timed += 1
                assert (start, end) == expected[event_uid], event_uid
            assert start < end, event_uid
    assert timed == len(expected)  # each session in the athlete's feed, the staff's and the upcoming one


def _starts(events: list[Event]) -> dict[str, Moment]:
    return {event_uid.split("@")[0]: start for event_uid, start, _ in events}


def test_sessions_at_the_same_moment_in_two_zones_coincide(tmp_path: Path) -> None:
    """Melbourne 17:00 is London 07:00 only while one of them has changed its clocks and the other not yet."""
    project = _project(tmp_path / "project", CLOCK_CHANGES)
    site = tmp_path / "site"
    build(project, {"SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": EPOCH}, output=site)
    staff = sorted(site.glob("staff/*/athlete-*.ics"))  # each athlete's sessions, in the feed for staff
    for name, feeds in read_by_all(staff).items():
        events = [event for path in staff for event in feeds[path]]
        starts = {start for start in _starts(events).values() if isinstance(start, dt.datetime)}
        london = {(day, 7) for day in _days(events, "london")}
        melbourne = {(day, 17) for day in _days(events, "melbourne")}
        assert london and melbourne
        same = {dt.date(2027, 3, 28) + dt.timedelta(days=n) for n in range(7)} | {
            dt.date(2027, 10, 3) + dt.timedelta(days=n) for n in range(28)
        }
        both = {day for day, _ in london} & {day for day, _ in melbourne}
        assert both & same, name
        for day in both:
            in_london = dt.datetime.combine(day, dt.time(7), zoneinfo.ZoneInfo("Europe/London"))
            in_melbourne = dt.datetime.combine(day, dt.time(17), zoneinfo.ZoneInfo("Australia/Melbourne"))
            assert (in_london.astimezone(dt.UTC) in starts) and (in_melbourne.astimezone(dt.UTC) in starts)
            assert (in_london == in_melbourne) is (day in same), (name, day)


def _days(events: list[Event], athlete: str) -> set[dt.date]:
    return {
        start.date()
        for event_uid, start, _ in events
        if isinstance(start, dt.datetime) and event_uid.startswith(f"team.{athlete}-")
    }


def test_session_times_the_clocks_skip_or_repeat_are_warnings_with_what_calendars_show(
    run: Run, tmp_path: Path
) -> None:
    project = _project(tmp_path / "project", CLOCK_CHANGES)
    result = run("build", "-q", "-f", project, "-o", tmp_path / "site")
    assert result.exit_code == 0, result.output
    tail = "; expected a session time that every training day has once"
    assert [line for line in result.output.splitlines() if line.startswith("warning: ")] == [
        "warning: sprintback.yaml:19:19: athletes.ny-spring.session_time: 02:30 does not exist in America/New_York"
        " on Sun 14 Mar 2027 (the clocks go forward): calendars will show 03:30" + tail,
        "warning: sprintback.yaml:26:19: athletes.ny-autumn.session_time: 01:30 happens twice in America/New_York"
        " on Sun 07 Nov 2027 (the clocks go back): calendars will show the first 01:30, before the clocks go back"
        + tail,
    ]
    feeds = {path.parent.name: path.read_bytes() for path in tmp_path.glob("site/athletes/*/calendar.ics")}
    assert any(b"DTSTART;TZID=America/New_York:20270314T033000\r\n" in feed for feed in feeds.values())
    # The repeated hour in UTC: the first 01:30 of 7 Nov, and an end 37 minutes on (the hops and bounds),
    # in the second 01:xx.
    assert any(b"DTSTART:20271107T053000Z\r\nDTEND:20271107T060700Z\r\n" in feed for feed in feeds.values())


@pytest.mark.parametrize(
    ("zone", "rules"),
    [
        ("America/New_York", [b"RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", b"RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"]),
        ("Europe/London", [b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"]),
        ("Australia/Melbourne", [b"RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", b"RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=10"]),
        ("Pacific/Chatham", [b"RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=9"]),
        ("Asia/Kolkata", []),
        ("Africa/Casablanca", []),
    ],
)
def test_vtimezones_are_yearly_rules_or_one_observance_a_change(zone: str, rules: list[bytes]) -> None:
    made = vtimezone(zone, 2026, 2028)
    lines = made.split(b"\r\n")
    assert [line for line in lines if line.startswith(b"RRULE")] == rules
    assert not [line for line in lines if line.startswith(b"RDATE")]
    observances = icalendar.Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + made + b"END:VCALENDAR\r\n").walk("STANDARD")
    if rules:
        assert made.count(b"BEGIN:STANDARD") == made.count(b"BEGIN:DAYLIGHT") == 1
    elif zone == "Asia/Kolkata":
        assert made.count(b"BEGIN:DAYLIGHT") == 0
        assert len(observances) == 1
    else:  # Morocco's clocks go back for Ramadan: a change on a day no yearly rule gives
        assert made.count(b"DTSTART") == made.count(b"BEGIN:STANDARD") + made.count(b"BEGIN:DAYLIGHT") > 6


def test_feed_lines_end_in_crlf_and_fold_at_75_octets_between_characters(feeds: tuple[Path, Path, dt.date]) -> None:
    _, site, _ = feeds
    for path in _all_feeds(site):
        content = path.read_bytes()
        assert content.endswith(b"\r\n")
        lines = content[:-2].split(b"\r\n")
        assert not [line for line in lines if b"\n" in line or b"\r" in line]
        assert max(len(line) for line in lines) <= 75
        for line in lines:
            line.decode("utf-8")  # a line that ends inside a character does not decode
