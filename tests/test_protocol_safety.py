"""The shipped protocols at every grade, in the order a sports physio expects.

Each test is one of the harms the review of the first protocols found, checked on the plans
of an athlete of every grade of both programs (built on the shipped athletes' training days).
"""

from __future__ import annotations

import datetime as dt

from builder.build import Gathered
from builder.plan import Plan, ScheduledSession
from builder.workload import top_intensity
from tests.test_recommendations import PROGRAMS, every_grade, plans_of

__all__ = ["every_grade"]  # the fixture, shared with the recommendations' test


def _all_plans(gathered: Gathered) -> list[Plan]:
    return [plan for program in PROGRAMS for plan in plans_of(gathered, program)]


def test_no_running_faster_than_the_check_ins_passed_so_far_have_cleared(every_grade: Gathered) -> None:
    for plan in _all_plans(every_grade):
        spec = plan.graded.program.spec
        cleared = spec.ungated_pct
        passed = sorted(plan.check_ins(), key=lambda check_in: check_in.date)
        for session in plan.sessions():
            allowed = max(
                [cleared] + [c.phase.linked.spec.clears_pct or 0 for c in passed if c.date < session.date],
            )
            top = top_intensity(session.dose)
            assert top <= allowed, (plan.athlete.name, session.date, session.dose.session.id, top, allowed)
        first_run = min(s.date for s in plan.sessions() if top_intensity(s.dose) > 0)
        assert passed[0].date < first_run, f"{plan.athlete.name}: running at a set speed before the first check-in"


def test_every_grade_keeps_every_gate(every_grade: Gathered) -> None:
    for program in PROGRAMS:
        spec = every_grade.library.programs[program]
        gates = {criterion for phase in spec.phases for criterion in phase.exit}
        for plan in plans_of(every_grade, program):
            checked = {criterion.id for check_in in plan.check_ins() for criterion in check_in.criteria}
            # A variant may add a gate (`add_exit`), never drop one.
            assert gates <= checked, (program, plan.graded.grade, gates - checked)


def _test_sessions(plan: Plan) -> list[ScheduledSession]:
    tests = {phase.test for phase in plan.graded.program.spec.phases if phase.test}
    return [session for session in plan.sessions() if session.dose.session.id in tests]


def test_a_test_is_a_load_on_a_training_day_with_48_hours_before_the_next_hard_session(
    every_grade: Gathered,
) -> None:
    for plan in _all_plans(every_grade):
        tests = _test_sessions(plan)
        assert tests, plan.athlete.name
        training = set(plan.athlete.training_days)
        hard = set(plan.graded.program.spec.spacing.kinds)
        for test in tests:
            assert f"{test.date:%a}".lower() in training
            days = [c.date for c in plan.check_ins() if c.phase.id == test.dose.phase.id]
            assert test.date in days, (plan.athlete.name, test.dose.session.id, test.date, days)
            week = next(w for w in plan.weeks if test in w.sessions)
            assert test.dose.load > 0 and week.load >= test.dose.load
            after = [s for s in plan.sessions() if s.date > test.date and s.dose.session.spec.kind in hard]
            if after:
                assert after[0].date - test.date >= dt.timedelta(hours=48), (plan.athlete.name, test.date)


def test_a_test_asks_nothing_faster_or_longer_than_was_trained_before_it(every_grade: Gathered) -> None:
    """Each running drill of a test was done before at that speed (within 5 %), and with rests as
    short as the test's (a repeated-sprint test is never the first work on short rests)."""
    for plan in _all_plans(every_grade):
        for test in _test_sessions(plan):
            before = [s for s in plan.sessions() if s.date < test.date and s not in _test_sessions(plan)]
            for block in test.dose.blocks:
                for item in block.items:
                    dose = item.dose
                    if dose.intensity_pct is None or item.drill.category in {"strength", "stability", "mobility"}:
                        continue
                    trained = [
                        other.dose
                        for session in before
                        for other_block in session.dose.blocks
                        for other in other_block.items
                        if other.drill.id == item.drill.id and other.dose.intensity_pct is not None
                    ]
                    assert any(
                        t.intensity_pct is not None and t.intensity_pct >= dose.intensity_pct - 5 for t in trained
                    ), (plan.athlete.name, test.dose.session.id, item.drill.id, dose.intensity_pct)
                    if dose.rest_s is not None and (dose.reps or 1) * (dose.sets or 1) > 2:
                        # Repeated efforts on short rests: trained on rests as short, at most 20 % slower.
                        assert any(
                            other.dose.rest_s is not None
                            and other.dose.rest_s <= dose.rest_s
                            and (other.dose.intensity_pct or 0) >= dose.intensity_pct - 20
                            for session in before
                            for other_block in session.dose.blocks
                            for other in other_block.items
                        ), (plan.athlete.name, test.dose.session.id, item.drill.id, dose.rest_s)


def _return(plan: Plan) -> dt.date:
    """The day of the last check-in: cleared to return to play."""
    return max(check_in.date for check_in in plan.check_ins())


def test_an_injury_into_the_tendon_never_returns_sooner_than_the_same_grade_without(every_grade: Gathered) -> None:
    for program in PROGRAMS:
        plans = {plan.graded.grade: plan for plan in plans_of(every_grade, program)}
        for grade, plan in plans.items():
            if grade.endswith("c") and grade[:-1] in plans:
                start = plan.athlete.start
                plain = plans[grade[:-1]]
                assert _return(plan) - start >= _return(plain) - plain.athlete.start, (program, grade)


def test_every_grade_of_both_protocols_passes_every_load_safety_check(every_grade: Gathered) -> None:
    """Not only the sample roster: an athlete of each grade, on the shipped athletes' training days."""
    assert [str(warning) for warning in every_grade.findings.warnings] == []


def _drills(session: ScheduledSession) -> set[str]:
    return {item.drill.id for block in session.dose.blocks for item in block.items}


def test_an_injury_into_the_tendon_changes_what_is_done_not_only_how_long(every_grade: Gathered) -> None:
    """Pollock 2022's class-specific approach: a lower pain limit, holds first, no Nordic before
    the long-length strength test; the plain grade keeps the program's own sessions."""
    plans = {plan.graded.grade: plan for plan in plans_of(every_grade, "hamstring")}
    for grade in ("2c", "3c"):
        plan = plans[grade]
        gate = next(c.date for c in plan.check_ins() if any(k.id == "long-length-strength" for k in c.criteria))
        before = [session for session in plan.sessions() if session.date <= gate]
        assert not any("nordic-hamstring" in _drills(session) for session in before), grade
        assert any("nordic-hamstring" in _drills(session) for session in plan.sessions() if session.date > gate)
        assert {session.dose.session.monitoring.allowed_pain for session in plan.sessions()} == {2}
        first = plan.weeks[0].sessions
        assert any("isometric-knee-flexor-hold" in _drills(session) for session in first), grade
        plain = plans[grade[:-1]]
        assert {session.dose.session.monitoring.allowed_pain for session in plain.sessions()} == {3}
        assert not any(k.id == "long-length-strength" for c in plain.check_ins() for k in c.criteria)
        assert any(
            "nordic-hamstring" in _drills(s) for s in plain.sessions() if s.dose.phase.id == "short-accelerations"
        )


def test_early_hamstring_loading_has_two_strength_sessions_a_week_that_progress(every_grade: Gathered) -> None:
    """Grade 3's protect phase: holds and hip lifts beside the L-protocol, a little more each week."""
    plan = next(plan for plan in plans_of(every_grade, "hamstring") if plan.graded.grade == "3")
    protect = [week for week in plan.weeks if week.phase.id == "protect-and-technique"]
    assert len(protect) == 3
    holds: list[int] = []
    for week in protect:
        strength = [s for s in week.sessions if s.dose.session.spec.kind == "strength"]
        assert len(strength) >= 2
        assert {"romanian-deadlift", "isometric-knee-flexor-hold"} <= set().union(*map(_drills, strength))
        holds.append(
            next(
                item.dose.duration_s or 0
                for s in strength
                for block in s.dose.blocks
                for item in block.items
                if item.drill.id == "isometric-knee-flexor-hold"
            )
        )
    assert holds == sorted(holds) and holds[0] < holds[-1], holds


def test_the_askling_exercises_are_home_exercises_as_the_trials_dosed_them(every_grade: Gathered) -> None:
    """Askling 2013/2014: the Extender twice a day at home, every day, while the L-protocol runs."""
    for plan in plans_of(every_grade, "hamstring"):
        weeks = [week for week in plan.weeks if any("askling-extender" in _drills(s) for s in week.sessions)]
        assert weeks, plan.graded.grade
        for week in weeks:
            home = {item.drill.id: item.spec for item in week.phase.linked.home}
            assert home["askling-extender"].times_a_day == 2 and home["askling-extender"].every_days == 1, (
                plan.graded.grade,
                week.number,
            )
