"""The shipped protocols at every grade, in the order a sports physio expects.

Each test is one of the harms the review of the first protocols found, checked on the plans
of an athlete of every grade of both programs, with and without each muscle variant (built on
the shipped athletes' training days).
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
import yaml

from builder.build import Gathered, gather
from builder.errors import InputError
from builder.models import ContentChange
from builder.plan import Plan, ScheduledSession
from builder.workload import top_intensity
from tests.conftest import ENVIRONMENT, copy_shipped
from tests.test_recommendations import PROGRAMS, every_grade, plans_of, variant
from tests.test_replan import check_in_days, day, plan_of, write_log

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
    """Every gate of the program, and those the grade and the muscle add: a variant asks more, never less."""
    for program in PROGRAMS:
        spec = every_grade.library.programs[program]
        gates = {criterion for phase in spec.phases for criterion in phase.exit}
        for plan in plans_of(every_grade, program):
            changes: list[ContentChange] = [spec.grades[plan.graded.grade]]
            if plan.graded.muscle is not None:
                changes.append(spec.muscles[plan.graded.muscle])
            added = {criterion for change in changes for keys in change.add_exit.values() for criterion in keys}
            checked = {criterion.id for check_in in plan.check_ins() for criterion in check_in.criteria}
            assert checked == gates | added, (program, variant(plan), (gates | added) ^ checked)


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
        plans = {(plan.graded.grade, plan.graded.muscle): plan for plan in plans_of(every_grade, program)}
        for (grade, muscle), plan in plans.items():
            if grade.endswith("c") and (grade[:-1], muscle) in plans:
                start = plan.athlete.start
                plain = plans[grade[:-1], muscle]
                assert _return(plan) - start >= _return(plain) - plain.athlete.start, (program, grade, muscle)


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


BENT_KNEE = {"seated-calf-raise", "bent-knee-calf-raise"}
"""Raises with the knee bent: they load the soleus."""
STRAIGHT_KNEE = {"straight-knee-calf-raise", "weighted-single-leg-calf-raise"}
"""Raises with the knee straight: they load the gastrocnemius (the weighted raise is done knee straight)."""


def _first_raise(session: ScheduledSession) -> str | None:
    """The first raise of the session that loads one calf muscle more than the other, if any."""
    return next(
        (
            item.drill.id
            for block in session.dose.blocks
            for item in block.items
            if item.drill.id in BENT_KNEE | STRAIGHT_KNEE
        ),
        None,
    )


def test_the_injured_calf_muscle_s_raises_lead_its_strength_sessions(every_grade: Gathered) -> None:
    """Soleus: bent-knee or seated raises first; gastrocnemius: straight-knee raises first (Green 2022)."""
    leads = {"soleus": BENT_KNEE, "gastrocnemius": STRAIGHT_KNEE}
    plans = [plan for plan in plans_of(every_grade, "calf") if plan.graded.muscle is not None]
    assert {plan.graded.muscle for plan in plans} == set(leads)
    for plan in plans:
        assert plan.graded.muscle is not None
        lead = leads[plan.graded.muscle]
        strength = [s for s in plan.sessions() if s.dose.session.spec.kind == "strength"]
        first = {(s.dose.session.id, _first_raise(s)) for s in strength if _first_raise(s) is not None}
        # The holds, the raise-building and the heavy sessions all say which raise leads.
        assert {"calf-raise-build", "calf-strength-heavy"} <= {session for session, _ in first}, variant(plan)
        wrong = {(session, drill) for session, drill in first if drill not in lead}
        assert wrong == set(), (variant(plan), wrong)
        # The other muscle's raises stay in the plan, second.
        other = (BENT_KNEE | STRAIGHT_KNEE) - lead
        assert any(item.drill.id in other for s in strength for block in s.dose.blocks for item in block.items), (
            variant(plan)
        )


LADDER = ("walk-run-4-1", "walk-run-3-2", "walk-run-2-3", "walk-run-1-4", "continuous-run")
"""The calf's walk-run ladder, one phase per step: each step moves up only on its own check-in."""


def test_each_walk_run_step_is_a_gate_whose_test_is_the_step_s_second_run(every_grade: Gathered) -> None:
    for plan in plans_of(every_grade, "calf"):
        runs = [
            s for s in plan.sessions() if s.dose.phase.id in LADDER and s.dose.session.spec.kind != "cross-training"
        ]
        for step in LADDER:
            first, test = [s for s in runs if s.dose.phase.id == step]
            assert first.date < test.date, (variant(plan), step)
            assert test.dose.session.id == f"{step}-test" and test.dose.session.spec.kind == "check-in"
            check_in = next(c for c in plan.check_ins() if c.phase.id == step)
            assert check_in.date == test.date and [c.id for c in check_in.criteria] == [step]
            repeats = [
                [i.dose.sets for b in s.dose.blocks for i in b.items if i.drill.id == "walk-run-intervals"]
                for s in (first, test)
            ]
            assert repeats == [[4], [6]], (variant(plan), step, repeats)
            # Run-throughs before the walk-run repeats, never running on the day after a run.
            drills = [i.drill.id for b in first.dose.blocks for i in b.items]
            assert drills.index("run-through") < drills.index("walk-run-intervals")
        days = sorted(s.date for s in runs)
        assert all((b - a).days > 1 for a, b in itertools.pairwise(days)), variant(plan)


def test_a_failed_ladder_check_in_keeps_the_athlete_on_the_same_step(shipped: Path) -> None:
    """Tom (calf, grade 1, soleus) fails step 2 on its test day: he runs step 2 again, not step 3."""
    before = plan_of(shipped, "tom-becker")
    failed = next(c for c in before.check_ins() if c.phase.id == "walk-run-3-2").date
    assert failed == day("2026-12-22")
    write_log(shipped, f"- {{date: {failed}, check_in: walk-run-3-2, result: fail}}", athlete="tom-becker")
    after = plan_of(shipped, "tom-becker")
    assert [entry.effect for entry in after.entries] == ["repeat-week"]
    next_runs = [s for s in after.sessions() if s.date > failed and s.dose.session.spec.kind in {"tempo", "check-in"}][
        :2
    ]
    assert [s.dose.session.id for s in next_runs] == ["walk-run-3-2-first", "walk-run-3-2-test"]
    assert [s.dose.key for s in next_runs] == [
        s.dose.key
        for s in before.sessions()
        if s.dose.phase.id == "walk-run-3-2" and s.dose.session.id != "cross-training-low"
    ]
    steps = [phase for phase, _ in check_in_days(after)]
    assert steps[1:4] == ["walk-run-4-1", "walk-run-3-2", "walk-run-3-2"], steps
    retest = check_in_days(after)[3][1]
    assert retest == failed + dt.timedelta(days=7)
    assert min(s.date for s in after.sessions() if s.dose.phase.id == "walk-run-2-3") > retest


def _landings(session: ScheduledSession) -> int:
    """Landings of the session's hops and jumps: sets × reps (× 2 for each side)."""
    return sum(
        (item.dose.sets or 1) * item.dose.reps * (2 if item.dose.each_side else 1)
        for block in session.dose.blocks
        for item in block.items
        if item.drill.category == "plyometric" and item.dose.reps is not None
    )


def test_the_calf_s_first_plyometric_sessions_hold_25_to_50_landings(every_grade: Gathered) -> None:
    for plan in plans_of(every_grade, "calf"):
        plyometric = [s for s in plan.sessions() if s.dose.session.spec.kind == "plyometric"]
        first = [_landings(s) for s in plyometric[:2]]
        assert all(25 <= landings <= 50 for landings in first), (variant(plan), first)


def test_a_severe_calf_strain_adds_holds_at_home_in_its_first_phase(every_grade: Gathered) -> None:
    """A grade changes what is done, not only how long: grade 3 holds its calf at home twice a day."""
    for plan in plans_of(every_grade, "calf"):
        first = [week for week in plan.weeks if week.phase.id == "load-the-calf"]
        home = {(item.drill.id, item.spec.times_a_day) for week in first for item in week.phase.linked.home}
        assert home == ({("isometric-calf-raise", 2)} if plan.graded.grade == "3" else set()), variant(plan)


def test_no_warning_for_any_four_training_days_the_plan_can_be_built_on(tmp_path: Path) -> None:
    """Whatever four days a week an athlete trains, no rule of the week is broken (the Nordic not the day
    before fast running, the calf's runs apart): every grade and muscle. Days that cannot keep 48 hours
    between the calf's hard sessions (two pairs of days in a row) are refused with an error instead."""
    project = copy_shipped(tmp_path / "project")
    roster = yaml.safe_load(project.read_text())
    athletes: dict[str, object] = {}
    for program in PROGRAMS:
        spec = yaml.safe_load((project.parent / "programs" / f"{program}.yaml").read_text())
        base = next(a for a in roster["athletes"].values() if a["injury"]["type"] == program)
        for grade in spec["grades"]:
            for muscle in (None, *spec.get("muscles", {})):
                for days in itertools.combinations(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 4):
                    injury = {**base["injury"], "grade": str(grade)}
                    injury.pop("muscle", None)
                    if muscle is not None:
                        injury["muscle"] = muscle
                    name = "-".join(part for part in (program, str(grade).lower(), muscle, *days) if part)
                    athletes[name] = {**base, "name": name, "injury": injury, "training_days": list(days)}
    for log in (project.parent / "log").glob("*.yaml"):
        log.unlink()
    roster["athletes"] = athletes
    project.write_text(yaml.safe_dump(roster, sort_keys=False))
    with pytest.raises(InputError) as refused:
        gather(project, ENVIRONMENT)
    unbuildable = {p.where.split(".")[1] for p in refused.value.problems}
    assert all("less than 48 hours apart" in p.message for p in refused.value.problems)
    assert not any(name.startswith("hamstring-") for name in unbuildable)  # the hamstring fits any four days
    roster["athletes"] = {name: a for name, a in athletes.items() if name not in unbuildable}
    project.write_text(yaml.safe_dump(roster, sort_keys=False))
    gathered = gather(project, ENVIRONMENT)
    # 35 ways to train four days of seven: the hamstring's 6 grades on all, the calf's 3 grades × 3 on 21.
    planned, unbuilt = len(gathered.plans), len(unbuildable)
    assert (planned, unbuilt) == (6 * 35 + 9 * 21, 9 * 14)
    warnings = [str(warning) for warning in gathered.findings.warnings]
    assert warnings == []
