"""Resolving grades: phase lengths, skipped phases, deload weeks per grade, and ids kept apart.

The mini fixture (tests/fixtures/mini) has phases early (2 weeks, with exit criteria) and speed
(3 weeks, deload week 3); grade "2" (ana) is the reference, grade "1" (ben) is `scale: 0.5,
weeks: {early: 1}, deload_weeks: {speed: []}`. Only a phase without exit criteria may be skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest

from builder.build import gather
from builder.plan import Plan
from tests.conftest import ENVIRONMENT, Run, athlete_dir, edit

GRADE_1 = '  "1": {scale: 0.5, weeks: {early: 1}, deload_weeks: {speed: []}, note: Mild.}'
GRADE_2 = '  "2": {note: Moderate.}'


def program_file(project: Path) -> Path:
    return project.parent / "programs" / "adductor.yaml"


def plan_of(project: Path, athlete: str) -> Plan:
    return next(plan for plan in gather(project, ENVIRONMENT).plans if plan.athlete_id == athlete)


def phases_of(project: Path, athlete: str) -> list[tuple[str, int]]:
    """The athlete's phases in order, each with its number of weeks in the plan."""
    return [(dates.phase.id, dates.weeks) for dates in plan_of(project, athlete).phases]


def errors_of(run: Run, project: Path) -> list[str]:
    result = run("validate", "-f", project)
    assert result.exit_code == 1, result.output
    return [line.removeprefix("error: ") for line in result.output.splitlines() if line.startswith("error: ")]


def test_a_grades_weeks_win_over_its_scale(mini: Path) -> None:
    edit(program_file(mini), GRADE_2, '  "2": {scale: 2, weeks: {early: 1}, note: Moderate.}')
    # early: 1 week as the grade says (2 x 2 would be 4); speed: 3 x 2 = 6.
    assert phases_of(mini, "ana") == [("early", 1), ("speed", 6)]
    assert len(plan_of(mini, "ana").weeks) == 7


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        # 5 x 0.5 = 2.5 goes up to 3 (Python's round() would give 2); early keeps the grade's 1 week.
        ([("    weeks: 3\n", "    weeks: 5\n")], [("early", 1), ("speed", 3)]),
        # 1 x 0.4 = 0.4 is still one week; 3 x 0.4 = 1.2 is one week.
        (
            [
                ("    weeks: 2\n", "    weeks: 1\n"),
                (GRADE_1, '  "1": {scale: 0.4, deload_weeks: {speed: []}, note: Mild.}'),
            ],
            [("early", 1), ("speed", 1)],
        ),
    ],
    ids=["half-up", "at-least-one-week"],
)
def test_scale_rounds_half_up_and_keeps_at_least_one_week(
    mini: Path, edits: list[tuple[str, str]], expected: list[tuple[str, int]]
) -> None:
    for old, new in edits:
        edit(program_file(mini), old, new)
    assert phases_of(mini, "ben") == expected


def test_a_grade_skips_the_phases_it_names(mini: Path) -> None:
    # A grade may skip only a phase without exit criteria: early loses its squeeze test here.
    edit(program_file(mini), "    exit: [squeeze]\n", "")
    edit(program_file(mini), GRADE_2, '  "2": {skip: [early], note: Moderate.}')
    ana = plan_of(mini, "ana")
    assert phases_of(mini, "ana") == [("speed", 3)]
    # The plan starts with speed on the start date, and speed is the grade's phase 1.
    assert [s.dose.session.spec.title for s in ana.weeks[0].sessions] == [
        "Accelerations",
        "Copenhagen strength",
        "Accelerations",
    ]
    assert ana.phases[0].phase.number == 1
    assert [week.check_in.phase.id for week in ana.weeks if week.check_in] == ["speed"]


def test_a_grade_no_variant_names_is_an_error_listing_the_grades(run: Run, mini: Path) -> None:
    edit(mini, "grade: 2, side: left", "grade: 2b, side: left")
    assert errors_of(run, mini) == [
        "sprintback.yaml:8:37: athletes.ana.injury.grade: program 'adductor' has no variant for grade '2b'; "
        "it has grades 1, 2"
    ]


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (
            '  "1": {scale: 0.5, weeks: {early: 1}, note: Mild.}',
            "programs/adductor.yaml:101:16: grades.1.scale: grade 1 makes phase 'speed' 2 weeks long, so its "
            "deload week 3 falls away; expected the grade to say which weeks of the phase are deloads: "
            "'deload_weeks: {speed: [...]}' ([] for none)",
        ),
        (
            '  "1": {weeks: {speed: 1, early: 1}, note: Mild.}',
            "programs/adductor.yaml:101:24: grades.1.weeks.speed: grade 1 makes phase 'speed' 1 week long, so "
            "its deload week 3 falls away; expected the grade to say which weeks of the phase are deloads: "
            "'deload_weeks: {speed: [...]}' ([] for none)",
        ),
        (
            '  "1": {scale: 0.5, weeks: {early: 1}, deload_weeks: {speed: [3]}, note: Mild.}',
            "programs/adductor.yaml:101:63: grades.1.deload_weeks.speed[0]: week 3 is past the phase's 2 weeks "
            "at grade 1",
        ),
    ],
    ids=["scale", "weeks", "past-the-end"],
)
def test_a_grade_that_cuts_off_a_deload_week_must_say_where_deloads_go(
    run: Run, mini: Path, grade: str, expected: str
) -> None:
    edit(program_file(mini), GRADE_1, grade)
    assert errors_of(run, mini) == [expected]


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [("[]", [False, False]), ("[1]", [True, False]), ("[2]", [False, True])],
)
def test_a_grades_deload_weeks_land_where_it_says(mini: Path, weeks: str, expected: list[bool]) -> None:
    """`expected`: whether each of ben's 2 speed weeks is a deload; his week of early loading never is."""
    edit(program_file(mini), "deload_weeks: {speed: []}", f"deload_weeks: {{speed: {weeks}}}")
    ben = plan_of(mini, "ben")
    assert [week.dosed.deload for week in ben.weeks] == [False, *expected]
    # A deload week does half the sprint session's 4 sets.
    speed = [week for week in ben.weeks if week.phase.id == "speed"]
    strides = [
        next(
            item.dose.sets
            for block in week.sessions[0].dose.blocks
            for item in block.items
            if item.drill.id == "strides"
        )
        for week in speed
    ]
    assert strides == [2 if deload else 4 for deload in expected]
    # The reference grade keeps the phase's own deload week 3.
    assert [week.dosed.deload for week in plan_of(mini, "ana").weeks] == [False, False, False, False, True]


SPEED_SPRINT = """\
  speed-sprint:
    title: Relaxed early strides
    kind: technique
    minutes: 35
    rpe: 4
    blocks:
      - name: Main
        items:
          - {drill: strides, sets: 2, distance_m: 30, intensity_pct: 55}
"""


def test_phase_and_session_ids_that_join_alike_stay_apart(run: Run, mini: Path, tmp_path: Path) -> None:
    """Phase `early` with session `speed-sprint`, and phase `early-speed` with session `sprint`."""
    program = program_file(mini)
    edit(program, "  - id: speed\n", "  - id: early-speed\n")
    edit(program, "pattern: [technique, strength, technique]", "pattern: [technique, strength, speed-sprint]")
    edit(program, "sessions:\n", "sessions:\n" + SPEED_SPRINT)
    edit(program, GRADE_1, '  "1": {scale: 0.5, deload_weeks: {early-speed: []}, note: Mild.}')
    out = tmp_path / "site"
    result = run("build", "-q", "-f", mini, "-o", out)
    assert result.exit_code == 0, result.output

    early = ["Technique and strides", "Copenhagen strength", "Relaxed early strides"]
    speed = ["Accelerations", "Copenhagen strength", "Accelerations"]
    expected = {
        "ana": [early, early, speed, speed, speed],  # grade 2: 2 + 3 weeks
        "ben": [early, speed, speed],  # grade 1: 1 + 2 weeks (2 x 0.5, 3 x 0.5 half up)
    }
    pages: dict[str, set[str]] = {}
    for athlete, weeks in expected.items():
        plan = plan_of(mini, athlete)
        assert [[s.dose.session.spec.title for s in week.sessions] for week in plan.weeks] == weeks
        feed = icalendar.Calendar.from_ical((out / athlete_dir(mini, athlete) / "calendar.ics").read_bytes())
        sessions = [event for event in feed.events if event.categories != ["check-in"]]
        titles = [str(event["summary"]) for event in sessions]
        assert titles == [f"{title} (week {number})" for number, week in enumerate(weeks, start=1) for title in week]
        # Each event opens the athlete's page at its own session, and its card holds that session's main set.
        page = (out / athlete_dir(mini, athlete) / "index.html").read_text()
        for event, title in zip(sessions, titles, strict=True):
            session = title.rsplit(" (week", 1)[0]
            anchor = str(event["url"]).split("#", 1)[1]
            opened = rf'<li class="session" id="{anchor}"[^>]*>\s*<details>\s*'
            found = re.search(opened + r"<summary><time[^>]*>[^<]*</time> ([^<]+)<", page)
            assert found is not None and found.group(1) == session
            card = str(event["description"])
            main_set = card[card.index("\n\n") : card.index("Pain allowed")]
            pages.setdefault(session, set()).add(main_set)
    # First weeks of each phase: "Relaxed early strides" and "Accelerations" have doses of their own.
    assert pages["Relaxed early strides"].isdisjoint(pages["Accelerations"])
