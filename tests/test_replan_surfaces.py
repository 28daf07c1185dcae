"""Every way the plan reaches people says the same dates once the log has moved it.

For each re-planning scenario, the shipped project is built with a log for Maya, and the
athlete's page, her feed (read by icalendar and by vobject), `sprintback plan` and
`sprintback status` must all agree with the plan the build made: same sessions, same
check-ins, same dates, and the pause where there is one.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import icalendar
import pytest
import vobject

from builder import wording
from builder.build import build
from builder.links import FEED_NAME
from builder.plan import Plan
from builder.render_feeds import home_uid, uid
from builder.views import check_in_anchor
from tests.conftest import ENVIRONMENT, Run, copy_shipped

MAYA = "maya-okafor"
HOST = "club.example"

SCENARIOS = {
    "two failures in a row": """
        - {date: 2026-12-13, check_in: protect-and-technique, result: pass}
        - {date: 2026-12-20, check_in: short-accelerations, result: fail}
        - {date: 2026-12-27, check_in: short-accelerations, result: fail}
    """,
    "a fail then a pass": """
        - {date: 2026-12-13, check_in: protect-and-technique, result: fail, values: {pain-free-range: 2/10}}
        - {date: 2026-12-20, check_in: protect-and-technique, result: pass}
    """,
    "an early pass": """
        - {date: 2026-12-06, check_in: protect-and-technique, result: pass, by: J. Doe}
    """,
    "a pain report that holds": """
        - {date: 2026-12-10, pain: 4, when: next-morning, session: gentle-starts}
    """,
    "a step back": """
        - {date: 2026-12-13, check_in: protect-and-technique, result: pass}
        - {date: 2026-12-16, decision: step-back, by: Dr Shah}
    """,
    "a pause then a resume": """
        - {date: 2026-12-09, pain: 6, when: during, rule: pain-while-running}
        - {date: 2026-12-17, decision: resume}
    """,
}


def built_with(tmp_path: Path, records: str) -> tuple[Plan, Path, Path]:
    project = copy_shipped(tmp_path / "project")
    log = tmp_path / "project" / "log"
    log.mkdir(exist_ok=True)
    (log / f"{MAYA}.yaml").write_text("records:\n" + textwrap.indent(textwrap.dedent(records).strip() + "\n", "  "))
    result = build(project, ENVIRONMENT, output=tmp_path / "site")
    plan = next(plan for plan in result.gathered.plans if plan.athlete_id == MAYA)
    return plan, project, result.output / result.links.athlete_dir(MAYA, plan.athlete)


def planned_events(plan: Plan) -> set[tuple[str, dt.date]]:
    """(UID, start day) of every session, check-in and week of home exercises of the plan."""
    events = {(uid(session.event, HOST), session.date) for session in plan.sessions()}
    events |= {(home_uid(plan, week, HOST), week.start) for week in plan.weeks if week.phase.linked.home}
    return events | {(uid(check_in.event, HOST), check_in.date) for check_in in plan.check_ins()}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_page_feed_plan_and_status_agree_with_the_re_planned_dates(tmp_path: Path, run: Run, scenario: str) -> None:
    plan, project, folder = built_with(tmp_path, SCENARIOS[scenario])
    assert plan.entries and plan.first_planned is not None
    moved = {(s.event, s.date) for s in plan.sessions()} != {(s.event, s.date) for s in plan.first_planned.sessions()}
    assert moved, "every scenario moves the plan"

    # The feed, read by two independent parsers.
    feed = (folder / FEED_NAME).read_bytes()
    by_icalendar = {
        (str(event["uid"]), event.start.date() if isinstance(event.start, dt.datetime) else event.start)
        for event in icalendar.Calendar.from_ical(feed).events
        if "pause" not in event.categories
    }
    parsed = vobject.readOne(feed.decode())
    by_vobject = set()
    for event in parsed.vevent_list:
        if "pause" in event.categories.value:
            continue
        start = event.dtstart.value
        by_vobject.add((event.uid.value, start.date() if isinstance(start, dt.datetime) else start))
    assert by_icalendar == by_vobject == planned_events(plan)
    pauses = [e for e in icalendar.Calendar.from_ical(feed).events if "pause" in e.categories]
    assert [(e.start, e.end) for e in pauses] == [(p.start, p.end) for p in plan.pauses if p.end != p.start]

    # The athlete's page: each check-in where the plan has it, and no other.
    page = (folder / "index.html").read_text()
    on_page = set(re.findall(r'<li class="check-in" id="([^"]+)"[^>]*>\s*<strong><time datetime="([^"]+)">', page))
    assert on_page == {(check_in_anchor(c.event), c.date.isoformat()) for c in plan.check_ins()}
    sessions_on_page = re.findall(
        r'<li class="session" id="[^"]+"[^>]*>\s*<details>\s*<summary><time datetime="([^"]+)">', page
    )
    assert sessions_on_page == [session.date.isoformat() for session in plan.sessions()]

    # `sprintback plan`: every check-in with its day.
    printed = run("plan", "-f", project, MAYA, "--brief").output
    for check_in in plan.check_ins():
        assert f"{wording.short_day_text(check_in.date)}  {wording.check_in_title(check_in.phase.title)}" in printed

    # `sprintback status` the day after the last record: the next check-in is the plan's next one.
    last = max(entry.record.date for entry in plan.entries)
    today = last + dt.timedelta(days=1)
    status = run("status", "-f", project, "--today", today.isoformat()).output
    maya = status.split("Maya Okafor (maya-okafor)")[1].split("\n\n")[0]
    if plan.paused is None:
        coming = next(c for c in plan.check_ins() if c.date >= today)
        assert f"end of {coming.phase.title}, {wording.day_text(coming.date)}" in maya
