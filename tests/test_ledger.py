"""The feed ledger: calendar events update in place as the plan moves, and builds stay reproducible.

Each scenario writes a log for Maya (hamstring, grade 2, from Mon 30 Nov 2026, mon/wed/fri/sat
at 17:30 in London) into a copy of the shipped project, builds it, adds records and builds
again, then reads both feeds with two calendar parsers, as a phone would.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
import vobject

from builder import wording
from builder.build import Built, build
from builder.errors import InputError
from builder.ledger import LEDGER_FILE
from builder.links import FEED_NAME, TEAM_FEED_NAME, UPCOMING_FEED_NAME, Links
from tests.conftest import SECRET, Run, copy_shipped

MAYA = "maya-okafor"
FIRST = 1767225600  # 2026-01-01T00:00:00Z
LATER = FIRST + 30 * 86400  # 2026-01-31T00:00:00Z
PASSED = """
- {date: 2026-12-13, check_in: protect-and-technique, result: pass}
"""
FAILED = """
- {date: 2026-12-20, check_in: short-accelerations, result: fail, by: J. Doe}
"""
PAUSED = """
- {date: 2026-12-16, decision: pause}
- {date: 2026-12-23, decision: resume}
"""


def environment(epoch: int | None) -> dict[str, str]:
    """What a build reads from its environment: the tests' key, and a SOURCE_DATE_EPOCH if given."""
    if epoch is None:
        return {"SPRINTBACK_SECRET": SECRET}
    return {"SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": str(epoch)}


def utc(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shipped project with no feed ledger and Maya's first check-in passed."""
    project = copy_shipped(tmp_path / "project")
    (project.parent / LEDGER_FILE).unlink(missing_ok=True)
    write_log(project, PASSED)
    return project


def write_log(project: Path, records: str) -> None:
    folder = project.parent / "log"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    text = "records:\n" + textwrap.indent(textwrap.dedent(records).strip() + "\n", "  ")
    (folder / f"{MAYA}.yaml").write_text(text)


def add_records(project: Path, records: str) -> None:
    log = project.parent / "log" / f"{MAYA}.yaml"
    log.write_text(log.read_text() + textwrap.indent(textwrap.dedent(records).strip() + "\n", "  "))


@dataclass(frozen=True)
class Event:
    """One VEVENT as both parsers read it, with its exact bytes."""

    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    summary: str
    sequence: int
    modified: dt.datetime
    stamp: dt.datetime
    block: bytes


def read_feed(path: Path) -> dict[str, Event]:
    """The feed's events by UID, read by icalendar and by vobject, which must agree."""
    data = path.read_bytes()
    ours = icalendar.Calendar.from_ical(data).events
    blocks = [b"BEGIN:VEVENT\r\n" + part.split(b"END:VEVENT\r\n")[0] for part in data.split(b"BEGIN:VEVENT\r\n")[1:]]
    assert len(blocks) == len(ours)
    events = {
        str(event["uid"]): Event(
            event.start,
            event.end,
            str(event.summary),
            event.sequence,
            event.LAST_MODIFIED,
            event.DTSTAMP,
            block + b"END:VEVENT\r\n",
        )
        for event, block in zip(ours, blocks, strict=True)
    }
    assert len(events) == len(ours), "two events share a UID"
    theirs = vobject.readOne(data.decode())
    read = {
        event.uid.value: (
            event.dtstart.value,
            event.dtend.value,
            event.summary.value,
            int(event.sequence.value),
            event.last_modified.value,
            event.dtstamp.value,
        )
        for event in theirs.contents.get("vevent", [])  # an upcoming feed may hold none
    }
    assert read == {uid: (e.start, e.end, e.summary, e.sequence, e.modified, e.stamp) for uid, e in events.items()}, (
        "vobject reads the feed differently"
    )
    return events


def feed_of(built: Built, athlete: str = MAYA) -> Path:
    plan = next(plan for plan in built.gathered.plans if plan.athlete_id == athlete)
    return built.output / built.links.athlete_dir(athlete, plan.athlete) / FEED_NAME


def team_feed_of(built: Built) -> Path:
    return built.output / built.links.staff_dir() / TEAM_FEED_NAME


def feeds_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.ics"))}


def ledger_of(project: Path) -> dict[str, tuple[int, str]]:
    """feeds.lock as UID -> (sequence, last change)."""
    lines = (project.parent / LEDGER_FILE).read_text().splitlines()
    rows = [line.split() for line in lines if not line.startswith("#")]
    return {uid: (int(sequence), modified) for uid, sequence, modified, _ in rows}


def date_of(moment: dt.date | dt.datetime) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def test_a_failed_check_in_moves_every_later_event_a_week_in_place(project: Path, tmp_path: Path) -> None:
    before = read_feed(feed_of(build(project, environment(FIRST), output=tmp_path / "first")))
    add_records(project, FAILED)
    after = read_feed(feed_of(build(project, environment(LATER), output=tmp_path / "second")))

    assert set(before) <= set(after), "an event that still exists left the feed"
    earlier = [uid for uid, event in before.items() if date_of(event.start) <= day("2026-12-20")]
    later = [uid for uid, event in before.items() if date_of(event.start) > day("2026-12-20")]
    # Up to the record: 12 sessions, two check-ins and three weeks of home exercises; the rest after it.
    assert len(earlier) == 17 and len(later) == 37
    for uid in earlier:
        assert after[uid].block == before[uid].block, f"{uid} did not change, but its bytes did"
    for uid in later:
        moved, was = after[uid], before[uid]
        assert (moved.start, moved.end) == (was.start + dt.timedelta(days=7), was.end + dt.timedelta(days=7))
        assert (was.sequence, moved.sequence) == (0, 1)
        assert (was.modified, moved.modified) == (utc(FIRST), utc(LATER))
        assert moved.stamp == utc(LATER)
    # The repeated week is new: six events of its own (its home exercises from its first day), at
    # sequence 0, on the week the others left.
    repeated = {uid: event for uid, event in after.items() if uid not in before}
    assert sorted(uid.split("@")[0] for uid in repeated) == [
        f"{MAYA}.hamstring.short-accelerations.w1.r1.{slot}" for slot in ("check-in", "home", "s1", "s2", "s3", "s4")
    ]
    assert sorted(date_of(event.start) for event in repeated.values()) == [
        day(text) for text in ("2026-12-21", "2026-12-21", "2026-12-23", "2026-12-25", "2026-12-26", "2026-12-27")
    ]
    assert {(event.sequence, event.modified) for event in repeated.values()} == {(0, utc(LATER))}
    # The ledger remembers what was published, for the next build.
    ledger = ledger_of(project)
    assert {uid for uid in ledger if uid.startswith(f"{MAYA}.")} == set(after) | {
        f"{MAYA}.hamstring.log.{index}@club.example"
        for index in (0, 1)  # the records' events for staff
    }
    assert {ledger[uid] for uid in later} == {(1, "20260131T000000Z")}
    assert {ledger[uid] for uid in earlier} == {(0, "20260101T000000Z")}


def test_a_pause_takes_the_sessions_it_covers_off_the_feed_and_shows_itself(project: Path, tmp_path: Path) -> None:
    before = read_feed(feed_of(build(project, environment(FIRST), output=tmp_path / "first")))
    add_records(project, PAUSED)
    second = build(project, environment(LATER), output=tmp_path / "second")
    after = read_feed(feed_of(second))
    (paused,) = next(plan for plan in second.gathered.plans if plan.athlete_id == MAYA).pauses
    assert paused.start == day("2026-12-17") and paused.end is not None and paused.end >= day("2026-12-23")

    # Paused from Thu 17 Dec: that week's sessions from Fri 18 and its check-in are gone, from the ledger too.
    gone = sorted(uid.split("@")[0] for uid in set(before) - set(after))
    assert gone == [f"{MAYA}.hamstring.short-accelerations.w1.r0.{slot}" for slot in ("check-in", "s3", "s4")]
    assert not set(gone) & {uid.split("@")[0] for uid in ledger_of(project)}
    # One all-day event spans the pause, up to the day training starts again.
    pause = [event for event in after.values() if event.summary == wording.PAUSED_TITLE]
    assert len(pause) == 1
    assert (pause[0].start, pause[0].end) == (paused.start, paused.end)
    assert (pause[0].sequence, pause[0].modified) == (0, utc(LATER))
    assert not [
        uid
        for uid, event in after.items()
        if paused.start <= date_of(event.start) < paused.end and event is not pause[0]
    ], "a session falls in the pause"
    for uid, event in before.items():
        if uid.split("@")[0].endswith(".home") and date_of(event.start) <= paused.start < date_of(event.end):
            # The paused week's home exercises end where the pause starts.
            assert date_of(after[uid].end) == paused.start and after[uid].sequence == 1
        elif date_of(event.start) <= day("2026-12-16"):
            assert after[uid].block == event.block
        elif uid in after:
            assert after[uid].start > event.start and (event.sequence, after[uid].sequence) == (0, 1)


def test_the_team_feed_follows_the_same_sequences(project: Path, tmp_path: Path) -> None:
    first = build(project, environment(FIRST), output=tmp_path / "first")
    add_records(project, FAILED)
    second = build(project, environment(LATER), output=tmp_path / "second")
    before, after = read_feed(team_feed_of(first)), read_feed(team_feed_of(second))
    # Maya's sessions are in her feed for staff, with the UIDs they had in the team feed.
    after |= read_feed(second.output / second.links.staff_feed(MAYA))
    # Home exercises are the athlete's own: not in the staff's feeds.
    own = {uid: event for uid, event in read_feed(feed_of(second)).items() if ".home@" not in uid}

    maya = {uid: event for uid, event in after.items() if uid.startswith(f"team.{MAYA}.")}
    # The failed check-in itself, on its day, for staff only.
    maya.pop(f"team.{MAYA}.hamstring.log.0@club.example")  # the first check-in, passed
    logged = maya.pop(f"team.{MAYA}.hamstring.log.1@club.example")
    assert (logged.start, logged.summary, logged.sequence) == (day("2026-12-20"), "Maya Okafor: check-in not passed", 0)
    assert len(maya) == len(own)
    for uid, event in maya.items():
        athlete = own[uid.removeprefix("team.")]
        assert (event.start, event.sequence, event.modified, event.stamp) == (
            athlete.start,
            athlete.sequence,
            athlete.modified,
            athlete.stamp,
        )
    assert {event.sequence for event in maya.values()} == {0, 1}
    for uid, event in before.items():
        if not uid.startswith(f"team.{MAYA}."):  # the other athletes' events did not change
            assert after[uid].block == event.block


def test_rebuilding_without_changes_changes_nothing(project: Path, tmp_path: Path) -> None:
    add_records(project, FAILED)
    build(project, environment(FIRST), output=tmp_path / "first")
    ledger = project.parent / LEDGER_FILE
    written = ledger.read_bytes()
    os.utime(ledger, ns=(10**18, 10**18))
    identity = (ledger.stat().st_ino, ledger.stat().st_mtime_ns)
    # A later SOURCE_DATE_EPOCH stamps changes only: with none, every byte stays ...
    build(project, environment(LATER), output=tmp_path / "second", today=dt.date(2026, 1, 1))
    assert feeds_of(tmp_path / "second") == feeds_of(tmp_path / "first")
    # ... but the staff's upcoming feed, which starts on the build's day.
    build(project, environment(LATER), output=tmp_path / "third")
    moved = {path for path, data in feeds_of(tmp_path / "third").items() if feeds_of(tmp_path / "first")[path] != data}
    assert moved == {Links(SECRET.encode()).staff_dir() + UPCOMING_FEED_NAME}
    assert ledger.read_bytes() == written
    assert (ledger.stat().st_ino, ledger.stat().st_mtime_ns) == identity, "feeds.lock was written again"


def test_a_fresh_clone_builds_the_same_bytes_whatever_its_file_times(project: Path, tmp_path: Path) -> None:
    # On the laptop, with no SOURCE_DATE_EPOCH: a first build, then the failed check-in.
    build(project, environment(None), output=tmp_path / "first")
    add_records(project, FAILED)
    laptop = build(project, environment(None), output=tmp_path / "laptop")
    # In CI: the committed files (the ledger among them), checked out at other times.
    clone = tmp_path / "clone"
    shutil.copytree(project.parent, clone)
    for number, path in enumerate(sorted(clone.rglob("*"))):
        os.utime(path, (2_000_000_000 + number, 2_000_000_000 + number))
    ci = build(clone / project.name, environment(None), output=tmp_path / "ci")

    assert feeds_of(tmp_path / "ci") == feeds_of(tmp_path / "laptop")
    assert (clone / LEDGER_FILE).read_bytes() == (project.parent / LEDGER_FILE).read_bytes()
    # Stamps come from the log's days: the first build's newest record, then the failed check-in's day.
    events = read_feed(feed_of(ci))
    assert events == read_feed(feed_of(laptop))
    stamps = {(event.sequence, event.stamp) for event in events.values()}
    assert stamps == {
        (0, dt.datetime(2026, 12, 13, tzinfo=dt.UTC)),
        (1, dt.datetime(2026, 12, 20, tzinfo=dt.UTC)),
        (0, dt.datetime(2026, 12, 20, tzinfo=dt.UTC)),  # the repeated week
    }


def test_a_change_with_no_new_date_still_moves_last_modified_forward(project: Path, tmp_path: Path) -> None:
    before = read_feed(feed_of(build(project, environment(FIRST), output=tmp_path / "first")))
    roster = project.read_text()
    assert 'session_time: "17:30"' in roster
    project.write_text(roster.replace('session_time: "17:30"', 'session_time: "18:00"', 1))
    after = read_feed(feed_of(build(project, environment(FIRST), output=tmp_path / "second")))

    assert set(after) == set(before)
    assert sum(isinstance(event.start, dt.datetime) for event in after.values()) == 44  # every session, tests too
    for uid, event in after.items():
        if isinstance(event.start, dt.datetime):
            assert (event.sequence, event.modified) == (1, utc(FIRST + 1))
        else:  # check-ins are all day: the session time does not touch them
            assert event.block == before[uid].block


def test_a_deleted_ledger_warns_and_starts_every_event_again(run: Run, project: Path) -> None:
    site = project.parent / "site"
    first = run("build", "-q", "-f", project)
    assert first.exit_code == 0 and "warning" not in first.output  # no site yet: nothing to warn about
    add_records(project, FAILED)
    assert run("build", "-q", "-f", project).exit_code == 0
    assert 1 in {sequence for sequence, _ in ledger_of(project).values()}

    (project.parent / LEDGER_FILE).unlink()
    strict = run("build", "-q", "--strict", "-f", project)
    assert strict.exit_code == 1 and not (project.parent / LEDGER_FILE).exists()
    again = run("build", "-q", "-f", project)
    assert again.exit_code == 0
    assert (
        "warning: feeds.lock:1:1: not found, but site/ holds a built site: every calendar event starts again "
        "at sequence 0, and calendar apps may keep old copies of moved events; commit feeds.lock with the roster"
    ) in again.output
    for feed in site.rglob("*.ics"):
        if feed.name != UPCOMING_FEED_NAME:  # its window, the build's day, holds none of these plans
            assert {event.sequence for event in read_feed(feed).values()} == {0}
    assert {sequence for sequence, _ in ledger_of(project).values()} == {0}


def test_the_warning_names_the_folder_the_build_writes_to(run: Run, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert run("build", "-q", "-f", project, "-o", out).exit_code == 0
    (project.parent / LEDGER_FILE).unlink()
    again = run("build", "-q", "-f", project, "-o", out)
    assert f"warning: feeds.lock:1:1: not found, but {out}/ holds a built site" in again.output
    assert "site/" not in again.output


def test_a_damaged_ledger_stops_the_build_rather_than_starting_again(project: Path, tmp_path: Path) -> None:
    build(project, environment(FIRST), output=tmp_path / "first")
    ledger = project.parent / LEDGER_FILE
    lines = ledger.read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace(" 0 ", " zero ", 1)
    ledger.write_text("".join(lines))
    with pytest.raises(InputError) as raised:
        build(project, environment(FIRST), output=tmp_path / "second")
    assert [str(problem) for problem in raised.value.problems] == [
        "feeds.lock:4:1: expected 'UID SEQUENCE YYYYMMDDTHHMMSSZ HASH' once per UID; delete the file to start again"
    ]
    ledger.write_bytes(b"\xff" + "".join(lines).encode())
    with pytest.raises(InputError) as raised:
        build(project, environment(FIRST), output=tmp_path / "third")
    assert [str(problem) for problem in raised.value.problems] == ["feeds.lock:1:1: not UTF-8 text (byte 0)"]
