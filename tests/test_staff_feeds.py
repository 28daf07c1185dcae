"""Feeds for staff: a team feed that fits calendar services, and each athlete's feed for staff."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
import yaml

from builder.build import gather
from builder.links import TEAM_FEED_NAME, UPCOMING_FEED_NAME, Links
from tests.conftest import ENVIRONMENT, SECRET, Run, athlete_dir
from tests.parsers import read_by_all

ROSTER_SIZE = 30
GOOGLE_LIMIT = 1_000_000  # bytes: Google Calendar's reported limit for a subscribed feed


def thirty(project: Path) -> dict[str, str]:
    """The shipped athletes copied under new ids and names up to 30 athletes; their names by id."""
    roster = yaml.safe_load(project.read_text())
    athletes: dict[str, dict[str, Any]] = roster["athletes"]
    shipped = list(athletes.items())
    copy = 1
    while len(athletes) < ROSTER_SIZE:
        for athlete_id, athlete in shipped:
            if len(athletes) < ROSTER_SIZE:
                athletes[f"{athlete_id}-copy{copy}"] = {**athlete, "name": f"{athlete['name']} {copy}"}
        copy += 1
    project.write_text(yaml.safe_dump(roster, sort_keys=False))
    return {athlete_id: athlete["name"] for athlete_id, athlete in athletes.items()}


def build(run: Run, project: Path, out: Path) -> Path:
    result = run("build", "-q", "-f", project, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_the_team_feed_of_thirty_athletes_fits_calendar_services(run: Run, shipped: Path, tmp_path: Path) -> None:
    names = thirty(shipped)
    site = build(run, shipped, tmp_path / "site")
    team = site / Links(SECRET.encode()).staff_dir() / TEAM_FEED_NAME
    data = team.read_bytes()
    assert len(data) < GOOGLE_LIMIT
    events = icalendar.Calendar.from_ical(data).events
    assert len(names) == ROSTER_SIZE and 2 * ROSTER_SIZE <= len(events) < 1000
    theirs = vobject.readOne(data.decode()).vevent_list
    assert [event.uid.value for event in theirs] == [str(event["uid"]) for event in events]
    seen: set[str] = set()
    links = Links(SECRET.encode())
    folders = {
        plan.athlete_id: links.athlete_dir(plan.athlete_id, plan.athlete) for plan in gather(shipped, ENVIRONMENT).plans
    }
    for event in events:
        summary = str(event["summary"])
        [name] = [name for name in names.values() if summary.startswith(f"{name}: ")]
        athlete_id = next(i for i, n in names.items() if n == name)
        seen.add(athlete_id)
        assert set(event.categories) <= {"check-in", "pause"}, summary
        link = str(event["url"])  # the shipped site has a base_url: the page's address is in the text too
        assert link.startswith("https://") and folders[athlete_id] in link
        assert f"{name}'s page: {link}" in str(event["description"]), summary
    assert seen == set(names)
    assert all(event.summary.value.split(": ")[0] in {*names.values()} for event in theirs)


def _upcoming(site: Path) -> bytes:
    return (site / Links(SECRET.encode()).staff_dir() / UPCOMING_FEED_NAME).read_bytes()


def _day(event: icalendar.Event) -> dt.date:
    start = event.start
    return start.date() if isinstance(start, dt.datetime) else start


def test_the_upcoming_feed_holds_every_athlete_s_next_four_weeks_and_fits(
    run: Run, shipped: Path, tmp_path: Path
) -> None:
    names = thirty(shipped)
    result = run("build", "-q", "-f", shipped, "-o", tmp_path / "site", "--today", "2027-01-06")
    assert result.exit_code == 0, result.output
    data = _upcoming(tmp_path / "site")
    assert len(data) < GOOGLE_LIMIT
    events = icalendar.Calendar.from_ical(data).events
    assert ROSTER_SIZE * 10 < len(events) < 1000
    first, end = dt.date(2027, 1, 6), dt.date(2027, 2, 3)
    links = Links(SECRET.encode())
    for athlete_id, name in names.items():
        # The athlete's own sessions and check-ins in the window, from the athlete's feed for staff.
        staff = icalendar.Calendar.from_ical((tmp_path / "site" / links.staff_feed(athlete_id)).read_bytes())
        wanted = sorted(
            (str(event.start), str(event["summary"])) for event in staff.events if first <= _day(event) < end
        )
        theirs = [event for event in events if str(event["summary"]).startswith(f"{name}: ")]
        assert wanted and sorted((str(event.start), str(event["summary"])) for event in theirs) == wanted, athlete_id
        for event in theirs:
            assert str(event["description"]).startswith(f"{name}'s page: {event['url']}\n")
            assert "does not replace" in str(event["description"])
    assert len({str(event["uid"]) for event in events}) == len(events)
    assert all(str(event["uid"]).startswith("upcoming.") for event in events)
    assert len(vobject.readOne(data.decode()).vevent_list) == len(events)
    [page] = (tmp_path / "site").glob("staff/*/index.html")
    assert re.search(r'href="webcal://[^"]*/upcoming\.ics"', page.read_text())


def test_the_upcoming_feed_starts_on_the_build_s_day_and_keeps_the_weeks_set(
    run: Run, shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped.write_text(shipped.read_text().replace("site:\n", "site:\n  upcoming_weeks: 1\n", 1))
    result = run("build", "-q", "-f", shipped, "-o", tmp_path / "a", "--today", "2027-02-01")
    assert result.exit_code == 0, result.output
    days = {_day(event) for event in icalendar.Calendar.from_ical(_upcoming(tmp_path / "a")).events}
    assert days and min(days) >= dt.date(2027, 2, 1) and max(days) <= dt.date(2027, 2, 7)
    # Without --today: SOURCE_DATE_EPOCH's day when it is set (2026-01-01, before every plan) ...
    result = run("build", "-q", "-f", shipped, "-o", tmp_path / "b")
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(_upcoming(tmp_path / "b"))
    assert not calendar.events and "for 1 week from Thu 01 Jan 2026" in str(calendar["description"])
    # ... else the clock's.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = dt.date.today()
    result = run("build", "-q", "-f", shipped, "-o", tmp_path / "c")
    assert result.exit_code == 0, result.output
    described = str(icalendar.Calendar.from_ical(_upcoming(tmp_path / "c"))["description"])
    assert any(f"from {day:%a %d %b %Y}" in described for day in (before, dt.date.today()))


def test_a_bad_today_is_refused(run: Run, shipped: Path, tmp_path: Path) -> None:
    result = run("build", "-q", "-f", shipped, "-o", tmp_path / "site", "--today", "2027-02-30")
    assert result.exit_code != 0 and "--today" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_each_athletes_staff_feed_holds_the_sessions_and_is_linked_from_the_staff_page(
    run: Run, shipped: Path, tmp_path: Path
) -> None:
    site = build(run, shipped, tmp_path / "site")
    links = Links(SECRET.encode())
    own = site / athlete_dir(shipped, "maya-okafor") / "calendar.ics"
    staff = site / links.staff_feed("maya-okafor")
    mine = icalendar.Calendar.from_ical(own.read_bytes()).events
    theirs = icalendar.Calendar.from_ical(staff.read_bytes()).events
    sessions = [event for event in mine if not {"check-in", "pause", "home"} & set(event.categories)]
    check_ins = [event for event in mine if "check-in" in event.categories]
    assert sessions and check_ins
    assert len(theirs) == len(sessions) + len(check_ins)
    assert {str(event["uid"]) for event in theirs}.isdisjoint(str(event["uid"]) for event in mine)
    for event in theirs:
        assert str(event["summary"]).startswith("Maya Okafor: ")
        assert str(event["description"]).startswith(f"Maya Okafor's page: {event['url']}\n")
    timed = sorted(event.start for event in theirs if "check-in" not in event.categories)
    assert timed == sorted(event.start for event in sessions)
    vobject.readOne(staff.read_text(encoding="utf-8"))
    [page] = site.glob("staff/*/index.html")
    assert re.search(r'href="[^"]*athlete-maya-okafor\.ics"', page.read_text())


def test_the_busy_feed_holds_the_same_times_and_nothing_about_health(run: Run, shipped: Path, tmp_path: Path) -> None:
    site = build(run, shipped, tmp_path / "site")
    roster = yaml.safe_load(shipped.read_text())["athletes"]
    for athlete_id, athlete in roster.items():
        folder = site / athlete_dir(shipped, athlete_id)
        own = icalendar.Calendar.from_ical((folder / "calendar.ics").read_bytes()).events
        data = (folder / "busy.ics").read_bytes()
        busy = icalendar.Calendar.from_ical(data).events
        # Pauses and the week's home exercises are free time: not in the busy feed.
        kept = [event for event in own if not {"pause", "home"} & set(event.categories)]
        assert [event.start for event in busy] == [event.start for event in kept]
        assert [event.end for event in busy] == [event.end for event in kept]
        assert {str(event["summary"]) for event in busy} == {"Training", "Check-in"}
        uids = {str(event["uid"]) for event in busy}
        assert len(uids) == len(busy) and all(uid.startswith("busy.") for uid in uids)
        assert all("description" not in event and "url" not in event for event in busy)
        assert len(vobject.readOne(data.decode()).vevent_list) == len(busy)
        # No word of the injury, the program, its sessions, drills or pain.
        text = data.decode().replace("\r\n ", "").lower()
        injury = athlete["injury"]
        words = {str(injury["type"]), str(injury["side"]), f"grade {injury['grade']}", "pain", "injury"}
        words |= {str(event["summary"]).split(" (week")[0].lower() for event in own}
        words |= {word.lower() for event in own for word in event.categories} - {"check-in"}
        words |= {path.stem.replace("-", " ") for path in (shipped.parent / "programs" / "drills").glob("*.md")}
        words |= {path.stem for path in (shipped.parent / "programs").glob("*.yaml")}
        for word in words:
            assert word.lower() not in text, (athlete_id, word)
        assert "athletes/" not in text  # no link to the athlete's page


def _alarms(feed: Path) -> list[tuple[str, list[icalendar.Component]]]:
    return [
        (str(event["summary"]), event.walk("VALARM"))
        for event in icalendar.Calendar.from_ical(feed.read_bytes()).events
    ]


def test_reminders_come_before_timed_sessions_only(run: Run, mini: Path, tmp_path: Path) -> None:
    text = mini.read_text()
    text = text.replace("  title: Mini Rehab Club\n", "  title: Mini Rehab Club\n  reminder_minutes: 45\n")
    mini.write_text(
        text.replace('    session_time: "18:00"\n', '    session_time: "18:00"\n    reminder_minutes: 30\n')
    )
    site = build(run, mini, tmp_path / "site")
    ana = _alarms(site / athlete_dir(mini, "ana") / "calendar.ics")
    timed = [(summary, alarms) for summary, alarms in ana if alarms]
    assert len(timed) == 15  # ana's sessions at 18:00; not her all-day check-ins
    for summary, alarms in timed:
        [alarm] = alarms
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == -dt.timedelta(minutes=30)
        assert str(alarm["description"]) == summary
    assert b"TRIGGER:-PT30M\r\n" in (site / athlete_dir(mini, "ana") / "calendar.ics").read_bytes()
    # Ben's sessions are all-day: the site's reminder gives them none.
    assert not any(alarms for _, alarms in _alarms(site / athlete_dir(mini, "ben") / "calendar.ics"))


def test_the_site_reminder_serves_athletes_without_their_own(run: Run, mini: Path, tmp_path: Path) -> None:
    mini.write_text(
        mini.read_text().replace("  title: Mini Rehab Club\n", "  title: Mini Rehab Club\n  reminder_minutes: 45\n")
    )
    site = build(run, mini, tmp_path / "site")
    data = (site / athlete_dir(mini, "ana") / "calendar.ics").read_bytes()
    assert data.count(b"TRIGGER:-PT45M\r\n") == data.count(b"BEGIN:VALARM\r\n") == 15
    assert len(vobject.readOne(data.decode()).vevent_list) == 17


@pytest.mark.parametrize("minutes", ["-1", "1441", "ten"])
def test_a_reminder_out_of_range_is_an_input_error(run: Run, mini: Path, tmp_path: Path, minutes: str) -> None:
    mini.write_text(
        mini.read_text().replace(
            '    session_time: "18:00"\n', f'    session_time: "18:00"\n    reminder_minutes: {minutes}\n'
        )
    )
    result = run("build", "-q", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "reminder_minutes" in result.output
    assert not (tmp_path / "site").exists()


MAYA_LOG = """records:
- {date: 2026-12-04, pain: 1, when: during}
- {date: 2026-12-06, pain: 4, when: next-morning}
- {date: 2026-12-16, decision: pause}
- {date: 2026-12-23, decision: resume}
- {date: 2027-01-03, check_in: protect-and-technique, result: pass, by: J. Doe}
- {date: 2027-01-05, decision: hold, days: 3, by: Dr Lee}
"""


def test_the_team_feed_holds_what_the_log_records_on_its_day(run: Run, shipped: Path, tmp_path: Path) -> None:
    (shipped.parent / "log").mkdir()
    (shipped.parent / "log" / "maya-okafor.yaml").write_text(MAYA_LOG)
    result = run("build", "-q", "-f", shipped, "-o", tmp_path / "site", "--today", "2027-01-04")
    assert result.exit_code == 0, result.output
    staff = tmp_path / "site" / Links(SECRET.encode()).staff_dir()
    team = icalendar.Calendar.from_ical((staff / TEAM_FEED_NAME).read_bytes()).events
    logged = [(_day(event), str(event["summary"])) for event in team if "log" in event.categories]
    # Pain within the limit changed nothing; the pause and resume are the pause's own event.
    assert logged == [
        (dt.date(2026, 12, 6), "Maya Okafor: pain 4/10 the next morning"),
        (dt.date(2027, 1, 3), "Maya Okafor: check-in passed"),
        (dt.date(2027, 1, 5), "Maya Okafor: clinician: hold progression"),
    ]
    [pause] = [event for event in team if "pause" in event.categories]
    assert (_day(pause), pause.end) == (dt.date(2026, 12, 17), dt.date(2026, 12, 28))
    held = next(event for event in team if str(event["summary"]).endswith("hold progression"))
    text = str(held["description"])
    assert text.startswith(f"Maya Okafor's page: {held['url']}\n") and str(held["url"]).endswith("#history")
    assert "Clinician's decision: hold progression for 3 days. By Dr Lee." in text
    assert "Progression held for 3 days" in text
    # The upcoming feed holds those in its window; the athlete's own feeds hold none.
    upcoming = icalendar.Calendar.from_ical(_upcoming(tmp_path / "site")).events
    assert [str(event["summary"]) for event in upcoming if "log" in event.categories] == [
        "Maya Okafor: clinician: hold progression"
    ]
    own = (tmp_path / "site" / athlete_dir(shipped, "maya-okafor") / "calendar.ics").read_bytes()
    assert b"CATEGORIES:log" not in own and b"CATEGORIES:log" not in (staff / "athlete-maya-okafor.ics").read_bytes()
    read = [sorted(events[staff / TEAM_FEED_NAME]) for events in read_by_all([staff / TEAM_FEED_NAME]).values()]
    assert len(read) == 3 and read[0] == read[1] == read[2] and len(read[0]) == len(team)
