"""The shipped project, end to end: what athletes and coaches see after `sprintback build`."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import icalendar
import vobject
import yaml

from builder.build import gather
from builder.links import Links
from builder.models import WEEKDAYS
from builder.plan import Plan
from builder.wording import CARD_NOTICE
from tests.conftest import ENVIRONMENT, REPO, SECRET, files_of

LINKS = Links(SECRET.encode())


def shipped_plans() -> list[Plan]:
    return gather(REPO / "sprintback.yaml", ENVIRONMENT).plans


def test_shipped_project_validates_without_warnings() -> None:
    gathered = gather(REPO / "sprintback.yaml", ENVIRONMENT)
    assert gathered.findings.warnings == ()
    roster = gathered.resolution.library.project.athletes
    assert len(roster) >= 5
    assert {a.injury.type for a in roster.values()} == {"hamstring", "calf"}
    assert len({a.injury.grade for a in roster.values()}) >= 3
    assert {a.injury.side for a in roster.values()} >= {"left", "right"}
    assert len({a.start.weekday() for a in roster.values()}) >= 4
    assert len({a.timezone for a in roster.values()}) >= 4
    assert any(a.session_time for a in roster.values()) and not all(a.session_time for a in roster.values())


WEEK_THREE = {
    # Week 3 runs from the 15th day of each plan for seven days (starts from the roster).
    "maya-okafor": "Mon 14 Dec 2026 to Sun 20 Dec 2026",
    "tom-becker": "Wed 16 Dec 2026 to Tue 22 Dec 2026",
    "lena-ruiz": "Sat 19 Dec 2026 to Fri 25 Dec 2026",
    "sam-kowalski": "Thu 24 Dec 2026 to Wed 30 Dec 2026",
    "jordan-ali": "Tue 15 Dec 2026 to Mon 21 Dec 2026",
    "ana-silva": "Wed 20 Jan 2027 to Tue 26 Jan 2027",
}


def test_every_athlete_page_shows_week_three_as_planned(shipped_site: Path) -> None:
    plans = shipped_plans()
    assert sorted(plan.athlete_id for plan in plans) == sorted(WEEK_THREE)
    for plan in plans:
        athlete = plan.athlete
        html = (shipped_site / LINKS.athlete_dir(plan.athlete_id, athlete) / "index.html").read_text()
        week = html[html.index('id="w3"') : html.index('id="w4"')]
        assert f"{WEEK_THREE[plan.athlete_id]} (earliest)" in week
        first, last = (
            dt.datetime.strptime(day, "%a %d %b %Y").date() for day in WEEK_THREE[plan.athlete_id].split(" to ")
        )
        shown = [dt.date.fromisoformat(d) for d in re.findall(r'<time datetime="([\d-]+)">', week)]
        sessions = shown[: len(plan.weeks[2].sessions)]  # then the check-in, if the week has one
        assert all(first <= day <= last for day in shown)
        assert all(WEEKDAYS[day.weekday()] in athlete.training_days for day in sessions)
        assert sessions == sorted(sessions)


def test_feed_holds_the_same_sessions_as_the_page(shipped_site: Path) -> None:
    for plan in shipped_plans():
        folder = shipped_site / LINKS.athlete_dir(plan.athlete_id, plan.athlete)
        html = (folder / "index.html").read_text()
        page_dates = [dt.date.fromisoformat(d) for d in re.findall(r'<time datetime="([\d-]+)">', html)]
        calendar = icalendar.Calendar.from_ical((folder / "calendar.ics").read_bytes())
        events = [event for event in calendar.events if event.categories != ["home"]]  # a week's, not a day's
        starts = [e.start.date() if isinstance(e.start, dt.datetime) else e.start for e in events]
        assert starts == page_dates
        assert len({str(e["uid"]) for e in events}) == len(events)
        parsed = vobject.readOne((folder / "calendar.ics").read_text(encoding="utf-8"))
        assert len(parsed.vevent_list) == len(calendar.events)
        for event in calendar.events:
            text = str(event["description"])
            assert CARD_NOTICE in text[:300]
            assert f"version {plan.graded.program.spec.version}" in text


def test_hard_sessions_are_48_hours_apart_for_every_athlete() -> None:
    for plan in shipped_plans():
        spacing = plan.graded.program.spec.spacing
        hard = [s.date for s in plan.sessions() if s.dose.session.spec.kind in spacing.kinds]
        assert all((b - a).days * 24 >= spacing.hours for a, b in itertools.pairwise(hard)), plan.athlete_id


def test_programs_use_every_feature_of_the_format() -> None:
    programs = [yaml.safe_load(p.read_text()) for p in sorted((REPO / "programs").glob("*.yaml"))]
    kinds = {s["kind"] for p in programs for s in p["sessions"].values()}
    assert kinds == {
        "technique",
        "acceleration",
        "max-velocity",
        "strength",
        "plyometric",
        "stability",
        "mobility",
        "cross-training",
        "tempo",
        "team-training",
        "rest",
        "check-in",
    }
    items = [
        item
        for p in programs
        for s in p["sessions"].values()
        for b in s.get("blocks", [])
        if isinstance(b, dict)
        for item in b["items"]
    ]
    for key in ("sets", "reps", "distance_m", "duration_s", "intensity_pct", "rpe", "rest_s", "each_side", "note"):
        assert any(key in item for item in items), key
    assert any(isinstance(b, str) for p in programs for s in p["sessions"].values() for b in s.get("blocks", []))
    phases = [phase for p in programs for phase in p["phases"]]
    for key in ("exit", "progression", "deload_weeks", "milestones", "test", "clears_pct"):
        assert any(key in phase for phase in phases), key
    # Deloads are placed by the season phase's own weeks, kept out of the rehab phases and never
    # far apart; `every` (counted from week 1) and `skip` (which may not drop a gated phase) are
    # the fixtures' to show (tests/test_dose.py, tests/test_resolve.py).
    for key in ("not_in", "longest_gap_weeks"):
        assert all(key in p["deload"] for p in programs), key
    assert any(p["spacing"].get("running_apart") for p in programs)
    assert any("weeks" in v for p in programs for v in p["grades"].values())
    assert {r["action"] for p in programs for r in p["monitoring"]["rules"].values()} == {
        "stop",
        "regress",
        "hold",
        "call-clinician",
    }


def test_shipped_build_is_reproducible(shipped_site: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import EPOCH, copy_shipped

    again = tmp_path / "again"
    project = copy_shipped(tmp_path / "project")
    env = {**os.environ, "SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": EPOCH}
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "-q", "-f", str(project), "-o", str(again)],
        check=True,
        env=env,
    )
    assert files_of(again) == files_of(shipped_site)


def test_each_program_names_the_grading_system_its_grades_follow(shipped_site: Path) -> None:
    hamstring = (shipped_site / "programs" / "hamstring" / "index.html").read_text()
    assert "Grades follow the British Athletics Muscle Injury Classification (BAMIC; Pollock 2016)" in hamstring
    assert ": 0, 1, 2, 2c, 3c, 3.</p>" in hamstring
    calf = (shipped_site / "programs" / "calf" / "index.html").read_text()
    assert "Grades follow the clinical grade of the strain, 1 (mild) to 3 (severe)" in calf
