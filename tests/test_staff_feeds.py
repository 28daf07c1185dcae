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

from builder.links import TEAM_FEED_NAME, Links
from tests.conftest import SECRET, Run, athlete_dir

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
    for event in events:
        summary = str(event["summary"])
        [name] = [name for name in names.values() if summary.startswith(f"{name}: ")]
        athlete_id = next(i for i, n in names.items() if n == name)
        seen.add(athlete_id)
        assert set(event.categories) <= {"check-in", "pause"}, summary
        link = str(event["url"])  # the shipped site has a base_url: the page's address is in the text too
        assert link.startswith("https://") and athlete_dir(shipped, athlete_id) in link
        assert f"{name}'s page: {link}" in str(event["description"]), summary
    assert seen == set(names)
    assert all(event.summary.value.split(": ")[0] in {*names.values()} for event in theirs)


def test_each_athletes_staff_feed_holds_the_sessions_and_is_linked_from_the_staff_page(
    run: Run, shipped: Path, tmp_path: Path
) -> None:
    site = build(run, shipped, tmp_path / "site")
    links = Links(SECRET.encode())
    own = site / athlete_dir(shipped, "maya-okafor") / "calendar.ics"
    staff = site / links.staff_feed("maya-okafor")
    mine = icalendar.Calendar.from_ical(own.read_bytes()).events
    theirs = icalendar.Calendar.from_ical(staff.read_bytes()).events
    sessions = [event for event in mine if not {"check-in", "pause"} & set(event.categories)]
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
        assert [event.start for event in busy] == [event.start for event in own if "pause" not in event.categories]
        assert [event.end for event in busy] == [event.end for event in own if "pause" not in event.categories]
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
