"""Expansion: program × athlete -> a week-by-week plan with projected dates."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from builder.build import Gathered, gather
from builder.models import WEEKDAYS
from builder.plan import Plan
from tests.conftest import ENVIRONMENT, MINI, edit


@pytest.fixture(scope="module")
def gathered() -> Gathered:
    return gather(MINI / "sprintback.yaml", ENVIRONMENT)


def plan_of(gathered: Gathered, athlete: str) -> Plan:
    return next(plan for plan in gathered.plans if plan.athlete_id == athlete)


def test_week_one_starts_on_the_start_date_whatever_the_weekday(gathered: Gathered) -> None:
    ana = plan_of(gathered, "ana")  # starts on a Wednesday
    assert ana.weeks[0].start == dt.date(2027, 1, 6)
    assert [week.start.weekday() for week in ana.weeks] == [2] * len(ana.weeks)
    assert all(b.start - a.start == dt.timedelta(days=7) for a, b in itertools.pairwise(ana.weeks))
    assert all(week.start <= s.date <= week.end for week in ana.weeks for s in week.sessions)


def test_sessions_land_on_training_days_in_pattern_order(gathered: Gathered) -> None:
    ana = plan_of(gathered, "ana")
    days = {WEEKDAYS.index(day) for day in ana.athlete.training_days}
    for week in ana.weeks:
        assert all(session.date.weekday() in days for session in week.sessions)
        dates = [session.date for session in week.sessions]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert [s.dose.session.id for s in week.sessions] == list(week.phase.linked.spec.pattern)
    # Week 1 of ana: Wed 6, Fri 8 and Mon 11 January: spread over the week, not bunched.
    assert [s.date.day for s in ana.weeks[0].sessions] == [6, 8, 11]


@pytest.mark.parametrize("days", [c for c in itertools.combinations(WEEKDAYS, 4)])
def test_hard_sessions_keep_48_hours_apart_for_any_four_training_days(tmp_path: Path, days: tuple[str, ...]) -> None:
    from tests.conftest import copy_project

    project = copy_project(MINI, tmp_path / "p")
    edit(project, "training_days: [tue, thu, sat, sun]", f"training_days: [{', '.join(days)}]")
    ben = plan_of(gather(project, ENVIRONMENT), "ben")
    hard = [s.date for s in ben.sessions() if s.dose.session.spec.kind == "acceleration"]
    assert len(hard) == 4  # two sprint sessions a week for two weeks
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(hard))


def test_grade_scales_phases_and_sets_their_weeks(gathered: Gathered) -> None:
    ana, ben = plan_of(gathered, "ana"), plan_of(gathered, "ben")
    # Grade 2 is the reference: early 2 weeks + speed 3 weeks.
    assert [(p.phase.id, p.weeks) for p in ana.phases] == [("early", 2), ("speed", 3)]
    # Grade 1 gives early 1 week and halves the rest (3 * 0.5 rounds up to 2).
    assert [(p.phase.id, p.weeks) for p in ben.phases] == [("early", 1), ("speed", 2)]
    assert len(ben.weeks) == 3


def test_progression_is_applied_week_by_week_and_deload_cuts_volume(gathered: Gathered) -> None:
    ana = plan_of(gathered, "ana")
    speed = [week for week in ana.weeks if week.phase.id == "speed"]
    strides = [
        next(item.dose for block in week.sessions[0].dose.blocks for item in block.items if item.drill.id == "strides")
        for week in speed
    ]
    # +2 m and +10 points a week, capped at 90%; the deload week (3) repeats week 2 at half the sets.
    assert [(d.sets, d.distance_m, d.intensity_pct) for d in strides] == [(4, 20, 75), (4, 22, 75), (2, 22, 75)]
    assert [week.dosed.deload for week in speed] == [False, False, True]
    assert speed[2].load < speed[1].load
    assert speed[2].sessions[0].dose.minutes == 15  # 29 minutes at 50%, rounded half up


def test_shared_blocks_stay_the_same_every_week(gathered: Gathered) -> None:
    ana = plan_of(gathered, "ana")
    warm_ups = {
        (item.dose.sets, item.dose.reps)
        for session in ana.sessions()
        for block in session.dose.blocks
        if block.block.spec.name == "Warm-up"
        for item in block.items
    }
    assert warm_ups == {(2, 10)}


def test_each_phase_ends_with_a_check_in_for_its_criteria(gathered: Gathered) -> None:
    ana = plan_of(gathered, "ana")
    check_ins = [week.check_in for week in ana.weeks if week.check_in]
    assert [(c.phase.id, c.date) for c in check_ins] == [
        ("early", dt.date(2027, 1, 19)),
        ("speed", dt.date(2027, 2, 9)),
    ]
    assert [c.id for c in check_ins[0].criteria] == ["squeeze"]
    assert check_ins[0].next_phase is not None and check_ins[0].next_phase.id == "speed"
    assert check_ins[1].next_phase is None


def test_expansion_is_deterministic(gathered: Gathered) -> None:
    again = gather(MINI / "sprintback.yaml", ENVIRONMENT)
    for first, second in zip(gathered.plans, again.plans, strict=True):
        assert [(s.event, s.date, s.dose.key) for s in first.sessions()] == [
            (s.event, s.date, s.dose.key) for s in second.sessions()
        ]


def test_athletes_on_the_same_program_and_grade_share_doses(tmp_path: Path) -> None:
    from tests.conftest import copy_project

    project = copy_project(MINI, tmp_path / "p")
    edit(project, "grade: 1, side: right", "grade: 2, side: right")
    gathered = gather(project, ENVIRONMENT)
    ana, ben = plan_of(gathered, "ana"), plan_of(gathered, "ben")
    assert [s.dose for s in ana.sessions()] == [s.dose for s in ben.sessions()]
    assert ana.sessions()[0].dose is ben.sessions()[0].dose
    assert ana.sessions()[0].date != ben.sessions()[0].date


def test_fixed_items_keep_their_dose_through_progression_and_deload(tmp_path: Path) -> None:
    from tests.conftest import copy_project

    project = copy_project(MINI, tmp_path / "p")
    program = project.parent / "programs" / "adductor.yaml"
    item = "          - drill: strides\n            sets: 4\n"
    edit(program, item, item.replace("sets: 4", "fixed: true\n            sets: 4"))
    ana = plan_of(gather(project, ENVIRONMENT), "ana")
    speed = [week for week in ana.weeks if week.phase.id == "speed"]
    strides = [
        next(item.dose for block in week.sessions[0].dose.blocks for item in block.items if item.drill.id == "strides")
        for week in speed
    ]
    assert {(d.sets, d.distance_m, d.intensity_pct) for d in strides} == {(4, 20, 75)}
    assert speed[2].dosed.deload  # the deload week still cuts the rest of the session
