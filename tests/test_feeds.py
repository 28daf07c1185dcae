"""Feeds: parsed back with two independent calendar parsers, as a phone would read them."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import icalendar
import pytest
import vobject

from builder.build import gather
from builder.links import TEAM_FEED_NAME, Links
from tests.conftest import ENVIRONMENT, EPOCH, FIXTURES, SECRET, Run, athlete_dir, copy_project


@pytest.fixture
def built(mini_site: Path) -> Path:
    return mini_site


def feed_path(project: Path, site: Path, athlete: str) -> Path:
    return site / athlete_dir(project, athlete) / "calendar.ics"


def events_of(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return calendar.events


def test_feed_holds_every_session_and_check_in_of_the_plan(mini: Path, built: Path) -> None:
    plan = next(p for p in gather(mini, ENVIRONMENT).plans if p.athlete_id == "ben")
    events = events_of(feed_path(mini, built, "ben"))
    sessions = [e for e in events if e.categories != ["check-in"]]
    assert [e.start for e in sessions] == [s.date for s in plan.sessions()]
    assert [str(e["summary"]) for e in sessions][:2] == [
        "Technique and strides (week 1)",
        "Copenhagen strength (week 1)",
    ]
    # Ben (grade 1) runs early for a week, then speed for two: a check-in at the end of each.
    check_ins = [e for e in events if e.categories == ["check-in"]]
    assert [e.start for e in check_ins] == [dt.date(2027, 1, 10), dt.date(2027, 1, 24)]


def test_all_day_events_by_default(mini: Path, built: Path) -> None:
    for event in events_of(feed_path(mini, built, "ben")):  # ben has no session time
        assert type(event.start) is dt.date
        assert event.end - event.start == dt.timedelta(days=1)


def test_timed_events_carry_the_time_zone_and_a_vtimezone(mini: Path, built: Path) -> None:
    path = feed_path(mini, built, "ana")  # 18:00 in Europe/Madrid
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert [str(tz["tzid"]) for tz in calendar.timezones] == ["Europe/Madrid"]
    first = next(e for e in calendar.events if e.categories == ["technique"])
    assert first.start == dt.datetime(2027, 1, 6, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Madrid"))
    assert first.end - first.start == dt.timedelta(minutes=40)
    assert b"DTSTART;TZID=Europe/Madrid:20270106T180000" in path.read_bytes()


def test_uids_are_unique_and_stable_across_rebuilds(run: Run, mini: Path, built: Path, tmp_path: Path) -> None:
    first = [str(e["uid"]) for e in events_of(feed_path(mini, built, "ana"))]
    assert len(set(first)) == len(first)
    # Move the start date: the same week and slot keep the same event, now on other dates.
    text = mini.read_text().replace("start: 2027-01-06", "start: 2027-01-13")
    mini.write_text(text)
    again = tmp_path / "again"
    assert run("build", "-q", "-f", mini, "-o", again).exit_code == 0
    second = events_of(feed_path(mini, again, "ana"))
    assert [str(e["uid"]) for e in second] == first
    # Named by what the event is (athlete, program, phase, week in phase, repeat, slot), at the site's host.
    assert first[0] == "ana.adductor.early.w1.r0.s1@club.example"


def test_dtstamp_comes_from_source_date_epoch_not_the_clock(mini: Path, built: Path) -> None:
    stamps = {e.DTSTAMP for e in events_of(feed_path(mini, built, "ana"))}
    assert stamps == {dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)}


def test_calendar_name_refresh_hints_and_notice(mini: Path, built: Path) -> None:
    calendar = icalendar.Calendar.from_ical(feed_path(mini, built, "ana").read_bytes())
    assert str(calendar["x-wr-calname"]) == "Ana Example: Return to sprint after an adductor strain"
    assert str(calendar["name"]) == str(calendar["x-wr-calname"])
    assert calendar.refresh_interval == dt.timedelta(hours=12)
    assert "does not replace, your clinician" in str(calendar["description"])
    assert "x-wr-caldesc" in calendar


def test_event_description_is_a_session_card_linking_to_the_rest(mini: Path, built: Path) -> None:
    event = next(e for e in events_of(feed_path(mini, built, "ana")) if e.categories == ["acceleration"])
    text = str(event["description"])
    page = str(event["url"])
    assert page.startswith("https://club.example/rehab/athletes/")
    assert text.startswith(f"On your page: {page}\n")
    assert "- Strides: 4 × 20 m · 75% of max speed · rest 2 min" in text
    assert "Pain allowed: up to 3/10" in text
    assert "version 1.0" in text
    assert "Pain rules come first." in text
    # The cues and the full stop rules stay behind the link, on the athlete's page.
    assert "Soft midfoot landing" not in text and "walk it off" not in text
    assert "The warm-up, the cues and the stop rules are on your page." in text


def test_second_parser_reads_the_same_events(mini: Path, built: Path) -> None:
    path = feed_path(mini, built, "ana")
    parsed = vobject.readOne(path.read_text(encoding="utf-8"))
    ours = events_of(path)
    theirs = parsed.vevent_list
    assert [e.uid.value for e in theirs] == [str(e["uid"]) for e in ours]
    assert [e.dtstart.value for e in theirs] == [e.start for e in ours]
    assert theirs[0].dtstart.value.tzinfo is not None
    assert [e.summary.value for e in theirs] == [str(e["summary"]) for e in ours]


def test_team_feed_holds_every_athlete_with_distinct_uids(mini: Path, built: Path) -> None:
    links = Links(SECRET.encode())
    team = built / links.staff_dir() / "team.ics"
    events = events_of(team)
    athletes = [events_of(feed_path(mini, built, name)) for name in ("ana", "ben")]
    # The team feed holds the check-ins and pauses; each athlete's feed for staff, the sessions and check-ins.
    assert len(events) == sum(1 for feed in athletes for e in feed if {"check-in", "pause"} & set(e.categories))
    staff = [events_of(built / links.staff_feed(name)) for name in ("ana", "ben")]
    assert [len(feed) for feed in staff] == [sum("pause" not in e.categories for e in feed) for feed in athletes]
    uids = [str(e["uid"]) for feed in [events, *staff, *athletes] for e in feed]
    assert len(uids) == len(set(uids))
    assert any(str(e["summary"]).startswith("Ben Example: ") for e in events)
    assert not icalendar.Calendar.from_ical(team.read_bytes()).timezones  # all-day events only
    calendar = icalendar.Calendar.from_ical((built / links.staff_feed("ana")).read_bytes())
    assert [str(tz["tzid"]) for tz in calendar.timezones] == ["Europe/Madrid"]


def test_session_time_needs_no_quotes(run: Run, mini: Path, tmp_path: Path) -> None:
    # YAML 1.1 would read 18:00 as the number 1080 (base 60); Sprintback reads it as a time.
    mini.write_text(mini.read_text().replace('session_time: "18:00"', "session_time: 18:00"))
    out = tmp_path / "unquoted"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    first = events_of(feed_path(mini, out, "ana"))[0]
    assert first.start == dt.datetime(2027, 1, 6, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Madrid"))


def test_refresh_hints_are_written_as_clients_expect(mini: Path, built: Path) -> None:
    lines = feed_path(mini, built, "ana").read_bytes().split(b"\r\n")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
    assert b"X-PUBLISHED-TTL:PT12H" in lines
    assert all(len(line) <= 75 for line in lines)  # folded (RFC 5545 3.1)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Argentina/ComodRivadavia"])
def test_timed_events_start_at_the_session_time_in_any_zone(run: Run, mini: Path, tmp_path: Path, zone: str) -> None:
    mini.write_text(mini.read_text().replace("timezone: Europe/Madrid", f"timezone: {zone}"))
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    events = events_of(feed_path(mini, out, "ana"))
    timed = [event for event in events if isinstance(event.start, dt.datetime)]
    assert len(timed) == 15
    for event in timed:
        start = event.start
        assert isinstance(start, dt.datetime)
        assert (start.hour, start.minute) == (18, 0)
        assert start.utcoffset() == start.replace(tzinfo=zoneinfo.ZoneInfo(zone)).utcoffset()
        # Technique 40, strength 30, sprint 29; in the deload week sprint and strength are halved to 15 (half up).
        assert event.end - start in {dt.timedelta(minutes=m) for m in (15, 29, 30, 40)}
    parsed = vobject.readOne(feed_path(mini, out, "ana").read_text(encoding="utf-8"))
    assert [e.dtstart.value for e in parsed.vevent_list if isinstance(e.dtstart.value, dt.datetime)] == [
        e.start for e in timed
    ]


def test_ids_that_join_alike_still_give_every_event_its_own_uid(run: Run, tmp_path: Path) -> None:
    """Athlete `jo` on program `quadriceps-kicker` and athlete `jo-quadriceps` on program `kicker`."""
    project = copy_project(FIXTURES / "full", tmp_path / "full")
    programs = project.parent / "programs"
    kicker = (programs / "quadriceps-kicker.yaml").read_text().replace("id: quadriceps-kicker", "id: kicker", 1)
    (programs / "kicker.yaml").write_text(kicker)
    roster = project.read_text().replace("athletes:\n", "athletes:\n" + JOS, 1)
    project.write_text(roster)
    out = tmp_path / "site"
    result = run("build", "-q", "-f", project, "-o", out)
    assert result.exit_code == 0, result.output
    team = next(out.glob(f"staff/*/{TEAM_FEED_NAME}"))
    uids = [str(event["uid"]) for event in icalendar.Calendar.from_ical(team.read_bytes()).events]
    assert len(uids) == len(set(uids))
    own = [
        str(event["uid"])
        for feed in out.glob("athletes/*/calendar.ics")
        for event in icalendar.Calendar.from_ical(feed.read_bytes()).events
    ]
    assert len(own) == len(set(own)) and any(uid.startswith("jo.quadriceps-kicker.") for uid in own)
    assert any(uid.startswith("jo-quadriceps.kicker.") for uid in own)


JOS = """\
  jo:
    name: Jo
    injury: {type: quadriceps, grade: 2, side: left}
    start: 2027-03-15
    timezone: Europe/London
    training_days: [mon, wed, fri, sat]
    program: quadriceps-kicker
  jo-quadriceps:
    name: Jo Q
    injury: {type: quadriceps, grade: 2, side: left}
    start: 2027-03-15
    timezone: Europe/London
    training_days: [mon, wed, fri, sat]
    program: kicker
"""
