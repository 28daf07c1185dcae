"""Dosing: progression, deloads, the intensity ceiling and what stays fixed, week by week.

Every expected number is worked out by hand from the mini fixture (tests/fixtures/mini):
grade 2 (ana) runs early (2 weeks: technique, strength, technique; +1 rep a week) then
speed (3 weeks: sprint, strength, sprint; +2 m and +10 points a week up to 90%, week 3 a
deload); grade 1 (ben) runs early for 1 week, then speed for 2 weeks. Sprint is 29 min at
RPE 6, strength 30 min at RPE 5. Deload volume is 0.5.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import gather
from builder.models import DrillItem
from builder.plan import Plan, Week
from tests.conftest import ENVIRONMENT, Run, edit


def program_file(project: Path) -> Path:
    return project.parent / "programs" / "adductor.yaml"


def plan_of(project: Path, athlete: str) -> Plan:
    return next(plan for plan in gather(project, ENVIRONMENT).plans if plan.athlete_id == athlete)


def dose_of(week: Week, slot: int, drill: str, block: str | None = None) -> DrillItem:
    """The dose of a drill in the week's session at `slot` (from 1), optionally in a named block."""
    return next(
        item.dose
        for part in week.sessions[slot - 1].dose.blocks
        if block is None or part.block.spec.name == block
        for item in part.items
        if item.drill.id == drill
    )


def test_deload_every_n_weeks_counts_the_weeks_of_the_graded_plan(mini: Path) -> None:
    program = program_file(mini)
    edit(program, "deload:\n  volume: 0.5\n", "deload:\n  volume: 0.5\n  every: 3\n")
    edit(program, "    deload_weeks: [3]\n", "")  # only the program-level rule is left
    ana = plan_of(mini, "ana")
    # Plan week 3 is the first week of speed: a deload by the plan's count (not the phase's week 3).
    assert [week.dosed.deload for week in ana.weeks] == [False, False, True, False, False]
    # Ben's plan (a week of early, then 2 of speed) has 3 weeks: his plan week 3 is the deload, though it is
    # his speed phase's week 2.
    assert [week.dosed.deload for week in plan_of(mini, "ben").weeks] == [False, False, True]
    deload, after = ana.weeks[2], ana.weeks[3]
    strides = dose_of(deload, 1, "strides")
    # Half the sets (4 -> 2); distance and intensity hold.
    assert (strides.sets, strides.distance_m, strides.intensity_pct) == (2, 20, 75)
    # 29 and 30 minutes at half volume: 14.5 -> 15 (half up), 15.
    assert [session.dose.minutes for session in deload.sessions] == [15, 15, 15]
    assert [session.dose.minutes for session in after.sessions] == [29, 30, 29]
    # Load = minutes x RPE: 15x6 + 15x5 + 15x6 against 29x6 + 30x5 + 29x6.
    assert (deload.load, after.load) == (255, 498)


def test_deload_every_two_weeks_falls_on_plan_weeks_two_and_four(mini: Path) -> None:
    program = program_file(mini)
    edit(program, "deload:\n  volume: 0.5\n", "deload:\n  volume: 0.5\n  every: 2\n")
    # Weeks 2 and 4 by the rule, week 5 by the speed phase's own deload week 3.
    assert [week.dosed.deload for week in plan_of(mini, "ana").weeks] == [False, True, False, True, True]
    # Ben's 3 weeks: week 2 by the rule (his first week of speed); his grade gives speed no deload week.
    assert [week.dosed.deload for week in plan_of(mini, "ben").weeks] == [False, True, False]


@pytest.mark.parametrize(
    ("dose", "normal", "deload"),
    [
        # (sets, reps, distance_m, duration_s) in speed week 2 and in the deload week 3 after it.
        pytest.param("sets: 3\n            reps: 6\n", (3, 6, None, None), (2, 6, None, None), id="sets-cut"),
        pytest.param("sets: 1\n            reps: 6\n", (1, 6, None, None), (1, 3, None, None), id="one-set-reps"),
        pytest.param("reps: 6\n", (None, 6, None, None), (None, 3, None, None), id="no-sets-reps"),
        pytest.param(
            "sets: 1\n            reps: 6\n            distance_m: 20\n",
            (1, 6, 22, None),
            (1, 3, 22, None),
            id="one-set-reps-before-distance",
        ),
        # Distance grows 2 m a week in speed: 15, 17; the deload repeats 17 at half: 8.5 -> 9.
        pytest.param("sets: 1\n            distance_m: 15\n", (1, None, 17, None), (1, None, 9, None), id="distance"),
        pytest.param("sets: 1\n            duration_s: 45\n", (1, None, None, 45), (1, None, None, 23), id="duration"),
    ],
)
def test_a_deload_on_a_single_set_cuts_reps_else_distance_else_duration(
    mini: Path, dose: str, normal: tuple[int | None, ...], deload: tuple[int | None, ...]
) -> None:
    edit(
        program_file(mini), "            sets: 3\n            reps: 6\n", "            " + dose
    )  # the Copenhagen plank
    ana = plan_of(mini, "ana")
    week2, week3 = ana.weeks[3], ana.weeks[4]  # speed weeks 2 and 3 (the deload)
    assert not week2.dosed.deload and week3.dosed.deload
    for week, expected in ((week2, normal), (week3, deload)):
        item = dose_of(week, 2, "copenhagen")
        assert (item.sets, item.reps, item.distance_m, item.duration_s) == expected


@pytest.mark.parametrize(
    ("progression", "expected"),
    [
        # 75 + 10 a week: 85 in week 2 is capped at 80; the deload week repeats week 2.
        ("{intensity_pct: 10, max_intensity_pct: 80, distance_m: 2}", [75, 80, 80]),
        # Without a ceiling it is 100%: 75 + 30 = 105 is capped at 100.
        ("{intensity_pct: 30, distance_m: 2}", [75, 100, 100]),
        # A ceiling below the written intensity stops any rise; it does not cut what was written.
        ("{intensity_pct: 10, max_intensity_pct: 70, distance_m: 2}", [75, 75, 75]),
    ],
)
def test_intensity_never_rises_past_the_ceiling(mini: Path, progression: str, expected: list[int]) -> None:
    edit(program_file(mini), "{distance_m: 2}", progression)
    speed = plan_of(mini, "ana").weeks[2:]
    assert [dose_of(week, 1, "strides").intensity_pct for week in speed] == expected
    # Distance still progresses: 20, 22, then the deload repeats 22 (the 4 sets are the ones cut).
    assert [dose_of(week, 1, "strides").distance_m for week in speed] == [20, 22, 22]


def test_fixed_items_keep_their_dose_through_progression_and_deload(mini: Path) -> None:
    edit(
        program_file(mini),
        "          - drill: copenhagen\n",
        "          - drill: copenhagen\n            fixed: true\n",
    )
    ana = plan_of(mini, "ana")
    strength = [week.sessions[1] for week in ana.weeks]  # slot 2 is the strength session every week
    assert [session.dose.session.id for session in strength] == ["strength"] * 5
    copenhagen = [dose_of(week, 2, "copenhagen") for week in ana.weeks]
    # Without `fixed`: 6, 7 reps in early (+1 a week) and 2 sets in the deload week.
    assert [(dose.sets, dose.reps) for dose in copenhagen] == [(3, 6)] * 5
    # The rest of the plan still progresses and deloads: technique strides 4 -> 5 reps; 30 -> 15 minutes.
    assert [dose_of(week, 1, "strides").reps for week in ana.weeks[:2]] == [4, 5]
    assert [session.dose.minutes for session in strength] == [30, 30, 30, 30, 15]


def test_shared_blocks_keep_their_dose_through_progression_and_deload(mini: Path) -> None:
    ana = plan_of(mini, "ana")
    early_week_2, deload_week = ana.weeks[1], ana.weeks[4]
    assert deload_week.dosed.deload
    # The warm-up is a shared block: 2 x 10 each side, in a week that adds a rep and in a deload week.
    for week in (early_week_2, deload_week):
        swings = dose_of(week, 1, "leg-swings", block="Warm-up")
        assert (swings.sets, swings.reps) == (2, 10)
    # The blocks written in the session beside it do change: 4 -> 5 reps, and 4 -> 2 sets.
    assert dose_of(early_week_2, 1, "strides", block="Main").reps == 5
    assert dose_of(deload_week, 1, "strides", block="Main").sets == 2


def test_deload_minutes_are_rounded_half_up(mini: Path) -> None:
    edit(program_file(mini), "    minutes: 30\n", "    minutes: 25\n")  # the strength session
    deload_week = plan_of(mini, "ana").weeks[4]
    assert deload_week.dosed.deload
    # Half of 29 is 14.5 and half of 25 is 12.5: both go up (Python's round() would give 14 and 12).
    assert [session.dose.minutes for session in deload_week.sessions] == [15, 13, 15]


def test_a_drill_from_a_later_week_and_on_one_side_only(run: Run, mini: Path, tmp_path: Path) -> None:
    # Copenhagen planks from the early phase's second week, on the injured side only.
    edit(
        program_file(mini),
        "          - drill: copenhagen\n",
        "          - drill: copenhagen\n            from_week: 2\n            side: injured\n",
    )
    early = plan_of(mini, "ana").weeks[:2]
    strength = [week.sessions[1].dose for week in early]
    assert [s.session.id for s in strength] == ["strength", "strength"]
    assert [len(s.blocks) for s in strength] == [0, 1]  # week 1: the block's only drill is not due yet
    assert dose_of(early[1], 2, "copenhagen").side == "injured"
    result = run("build", "-q", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 0, result.output
    [page] = (tmp_path / "site").rglob("sessions/early/strength/week-2/index.html")
    assert "3 × 7 reps (injured side only) · rest 1 min" in page.read_text()
    [first] = (tmp_path / "site").rglob("sessions/early/strength/week-1/index.html")
    assert "drills/copenhagen/" not in first.read_text()  # the drill is not due in the first week
