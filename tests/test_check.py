"""The check stage on real plans: monotony of daily load, and rest between hard sessions.

Expected values are worked out by hand from the mini fixture (tests/fixtures/mini): ana (grade 2)
starts Wed 2027-01-06 and runs early (2 weeks: technique, strength, technique) then speed (3 weeks:
sprint, strength, sprint); ben (grade 1) starts Mon 2027-01-04 on tue, thu, sat, sun and runs
early for 1 week, then speed for 2 weeks. Technique is 40 min x RPE 4 = 160, sprint (the one hard
kind) 29 x 6 = 174, strength 30 x 5 = 150.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from builder.build import gather
from tests.conftest import ENVIRONMENT, Run, edit

WARNING_TAIL = ", above the 2.0 limit of daily-load monotony; expected more variation between hard, easy and rest days"


def program_file(project: Path) -> Path:
    return project.parent / "programs" / "adductor.yaml"


def warnings_of(run: Run, project: Path) -> list[str]:
    result = run("validate", "-f", project)
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line.startswith("warning: ")]


def test_a_week_without_any_load_is_not_monotonous(run: Run, mini: Path) -> None:
    # Every daily load is 0: no spread, but no load either, so no warning.
    for rpe in ("    rpe: 4\n", "    rpe: 6\n", "    rpe: 5\n"):
        edit(program_file(mini), rpe, "    rpe: 0\n")
    result = run("validate", "--strict", "-f", mini)
    assert result.exit_code == 0, result.output
    assert result.output == "OK: 1 programs, 3 drills, 2 athletes, 24 sessions planned.\n"


def test_the_same_load_every_day_is_a_warning(run: Run, mini: Path) -> None:
    # The early weeks of ana and ben: seven technique sessions of 160 on seven days: spread 0, monotony infinite.
    edit(program_file(mini), "pattern: [technique, strength, technique]", f"pattern: [{', '.join(['technique'] * 7)}]")
    every_day = "training_days: [mon, tue, wed, thu, fri, sat, sun]"
    edit(mini, "training_days: [mon, wed, fri, sat]", every_day)
    edit(mini, "training_days: [tue, thu, sat, sun]", every_day)
    assert warnings_of(run, mini) == [
        f"warning: sprintback.yaml:{line}:20: athletes.{athlete}.training_days: week 1: the same load every day"
        + WARNING_TAIL
        for line, athlete in ((11, "ana"), (18, "ben"))
    ]
    assert run("validate", "--strict", "-f", mini).exit_code == 1


EASY_SESSIONS = """\
  light:
    title: Light mobility
    kind: mobility
    minutes: {light}
    rpe: 3
    blocks: [warm-up]
  steady:
    title: Steady mobility
    kind: mobility
    minutes: 50
    rpe: 3
    blocks: [warm-up]
  firm:
    title: Firm mobility
    kind: mobility
    minutes: 60
    rpe: 3
    blocks: [warm-up]
"""


@pytest.mark.parametrize(
    ("light_minutes", "expected"),
    [
        # Ana's daily loads 180, 150, 150, 150, 0 (Sunday), 150, 60: mean 120, deviations 60, 30, 30, 30, -120,
        # 30, -60, squares 3600 + 4 x 900 + 14400 + 3600 = 25200, / 7 = 3600, standard deviation 60: monotony
        # exactly 2.0.
        (20, []),
        # 21 minutes instead of 20 (load 63): mean 843/7 = 120.43, standard deviation 59.58, monotony 2.02.
        (
            21,
            [
                f"warning: sprintback.yaml:{line}:20: athletes.{athlete}.training_days: week 1: monotony 2.02"
                + WARNING_TAIL
                for line, athlete in ((11, "ana"), (18, "ben"))
            ],
        ),
    ],
    ids=["exactly-2.0-passes", "just-above-warns"],
)
def test_monotony_of_exactly_the_limit_is_not_a_warning(
    run: Run, mini: Path, light_minutes: int, expected: list[str]
) -> None:
    program = program_file(mini)
    edit(program, "sessions:\n", "sessions:\n" + EASY_SESSIONS.format(light=light_minutes))
    # The firmest session (180) first, so no session is more than 10 % above an earlier one (the sprints of 174
    # that follow included): the load-safety checks stay quiet and only monotony speaks.
    edit(
        program,
        "pattern: [technique, strength, technique]",
        "pattern: [firm, steady, steady, steady, steady, light]",
    )
    # Ana's weeks start on Wednesday; six training days leave Sunday (day 5 of the week) free. Ben's early
    # week (Monday to Sunday) gets the same six days: the same daily loads in another order, the same monotony.
    edit(mini, "training_days: [mon, wed, fri, sat]", "training_days: [mon, tue, wed, thu, fri, sat]")
    edit(mini, "training_days: [tue, thu, sat, sun]", "training_days: [mon, tue, wed, thu, fri, sat]")
    assert warnings_of(run, mini) == expected
    assert run("validate", "--strict", "-f", mini).exit_code == (1 if expected else 0)


def hard_dates(project: Path) -> dict[str, list[dt.date]]:
    return {
        plan.athlete_id: [
            session.date
            for session in plan.sessions()
            if session.dose.session.spec.kind in plan.graded.program.spec.spacing.kinds
        ]
        for plan in gather(project, ENVIRONMENT).plans
    }


def test_spacing_that_is_not_whole_days_keeps_whole_days_more(mini: Path) -> None:
    # 49 hours is more than two days: hard sessions go at least three calendar days apart.
    edit(program_file(mini), "grades:\n", "spacing: {hours: 49}\ngrades:\n")
    hard = hard_dates(mini)
    jan = [dt.date(2027, 1, day) for day in range(1, 32)]
    feb = [dt.date(2027, 2, day) for day in range(1, 29)]
    assert hard == {
        # Speed from Wed 20 Jan on wed, fri, sat, mon: each following week's Wednesday comes two days after
        # Monday's sprint, so that week's first sprint moves to Friday.
        "ana": [jan[19], jan[24], jan[28], feb[0], feb[4], feb[7]],
        # Speed from Mon 11 Jan (after a week of early loading): Tue 12 and Sun 17; then Tue 19 is two days
        # after Sunday: Thu 21 and Sun 24.
        "ben": [jan[11], jan[16], jan[20], jan[23]],
    }
    for dates in hard.values():
        assert all((after - before).days >= 3 for before, after in itertools.pairwise(dates))


def test_spacing_that_is_not_whole_days_is_an_error_when_days_are_too_close(run: Run, mini: Path) -> None:
    # Ben's first speed week (his second week, after early loading) on tue, wed, thu: sprint Tue, strength Wed,
    # sprint Thu, 48 hours apart, less than 49.
    edit(program_file(mini), "grades:\n", "spacing: {hours: 49}\ngrades:\n")
    edit(mini, "training_days: [tue, thu, sat, sun]", "training_days: [tue, wed, thu]")
    result = run("validate", "-f", mini)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("error: ")] == [
        "error: sprintback.yaml:18:20: athletes.ben.training_days: hard sessions on Tue 12 Jan 2027 and "
        "Thu 14 Jan 2027 are less than 49 hours apart (adductor); expected training days that leave a rest "
        "day between hard sessions"
    ]
