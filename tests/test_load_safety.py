"""Load-safety checks: each rule fires on a deliberately unsafe protocol, with its message and source.

The mini fixture (tests/fixtures/mini) passes them all: ana (grade 2) runs early (2 weeks:
technique, strength, technique) then speed (3 weeks: sprint, strength, sprint, a deload in the
third); ben (grade 1) runs early for a week, then speed for 2 weeks. Technique is 40 min × RPE 4
= 160 with strides at 60 %; sprint 29 min × RPE 6 = 174 with 4 × 20 m at 75 % (80 m of
high-speed running), 2 m longer each week; strength 30 min × RPE 5 = 150.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.build import gather
from tests.conftest import ENVIRONMENT, Run, edit


def program(project: Path) -> Path:
    return project.parent / "programs" / "adductor.yaml"


def warnings_of(run: Run, project: Path) -> list[str]:
    result = run("validate", "-f", project)
    assert result.exit_code == 0, result.output
    strict = run("validate", "--strict", "-f", project)
    warned = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert (strict.exit_code == 1) is bool(warned), strict.output
    return warned


def test_the_mini_fixture_passes_every_load_safety_check(run: Run, mini: Path) -> None:
    assert warnings_of(run, mini) == []


def test_running_before_the_check_in_that_clears_it_is_a_warning(run: Run, mini: Path) -> None:
    edit(program(mini), "    exit: [squeeze]\n", "    exit: [squeeze]\n    clears_pct: 90\n")
    assert warnings_of(run, mini) == [
        f"warning: programs/adductor.yaml:89:14: phases[0].pattern: grade {grade}, week 1 (early week 1), "
        "session technique: running at 60 % before a check-in clears it (cleared so far: 0 %); expected a "
        "check-in whose clears_pct covers it first (a gate comes before what it guards: Aspetar)"
        for grade in ("1", "2")
    ]
    # What runs before any check-in may be allowed; after the early check-in, up to 90 % is cleared.
    edit(program(mini), "grades:\n", "ungated_pct: 60\ngrades:\n")
    assert warnings_of(run, mini) == []
    edit(program(mini), "    clears_pct: 90\n", "    clears_pct: 70\n")
    assert [line.split(": ", 3)[3] for line in warnings_of(run, mini)] == [
        f"grade {grade}, week {week} (speed week 1), session sprint: running at 75 % before a check-in clears it "
        "(cleared so far: 70 %); expected a check-in whose clears_pct covers it first (a gate comes before what it "
        "guards: Aspetar)"
        for grade, week in (("1", 2), ("2", 3))
    ]


def test_a_session_more_than_ten_percent_above_the_last_thirty_days_is_a_warning(run: Run, mini: Path) -> None:
    edit(program(mini), "    minutes: 29\n    rpe: 6\n", "    minutes: 30\n    rpe: 6\n")  # 180: 12.5 % above 160
    assert [line.split(": ", 3)[3] for line in warnings_of(run, mini)] == [
        f"grade {grade}, week {week} (speed week 1), session sprint: load 180 is 12 % above the largest of the "
        "previous 30 days (160); expected at most 10 % more (Frandsen 2025)"
        for grade, week in (("1", 2), ("2", 3))
    ]
    edit(program(mini), "    minutes: 30\n    rpe: 6\n", "    minutes: 29\n    rpe: 6\n")
    edit(program(mini), "distance_m: 2}", "distance_m: 10}")  # 4 × 30 m after 4 × 20 m at >= 70 %
    warned = [line.split(": ", 3)[3] for line in warnings_of(run, mini)]
    assert (
        "grade 2, week 4 (speed week 2), session sprint: high-speed running 120 m is 50 % above the largest of the "
        "previous 30 days (80 m); expected at most 10 % more (Frandsen 2025)"
    ) in warned


def test_a_week_of_high_speed_running_far_above_the_previous_weeks_is_a_warning(run: Run, mini: Path) -> None:
    edit(program(mini), "distance_m: 2}", "distance_m: 30}")  # 2 × 80 m, then 2 × 200 m a week
    warned = [line for line in warnings_of(run, mini) if "Duhig" in line]
    assert warned == [
        f"warning: programs/adductor.yaml:90:5: phases[1]: grade {grade}, week {week} (speed week 2): 400 m of "
        "high-speed running is 150 % above the largest week of the previous four (160 m); expected at most 50 % "
        "more (Duhig 2016)"
        for grade, week in (("1", 3), ("2", 4))
    ]


@pytest.mark.parametrize(
    ("deload", "expected"),
    [
        (
            "deload:\n  volume: 0.5\n  not_in: [speed]\n",
            "grade 2, week 5 (speed week 3): a deload week in a phase the program's deload.not_in excludes; "
            "expected deloads outside rehab phases, where criteria set the dose",
        ),
        (
            "deload:\n  volume: 0.5\n  longest_gap_weeks: 3\n",
            "grade 2, week 4 (speed week 2): 4 weeks in a row without a deload; expected one at least every 3 "
            "weeks (deload.longest_gap_weeks)",
        ),
    ],
    ids=["not-in", "longest-gap"],
)
def test_deloads_where_the_program_excludes_them_or_too_far_apart_are_warnings(
    run: Run, mini: Path, deload: str, expected: str
) -> None:
    edit(program(mini), "deload:\n  volume: 0.5\n", deload)
    assert [line.split(": ", 3)[3] for line in warnings_of(run, mini)] == [expected]


def test_a_deload_in_a_test_week_is_a_warning(run: Run, mini: Path) -> None:
    edit(program(mini), "    progression: {reps: 1}\n", "    progression: {reps: 1}\n    deload_weeks: [2]\n")
    edit(program(mini), "deload_weeks: {speed: []}", "deload_weeks: {speed: [], early: []}")
    assert [line.split(": ", 3)[3] for line in warnings_of(run, mini)] == [
        "grade 2, week 2 (early week 2): a deload week is the phase's test week; expected the check-in's tests "
        "in a week of full training"
    ]


SQUEEZE_TEST = """  squeeze-test:
    title: Squeeze and hop tests
    kind: check-in
    minutes: 30
    rpe: 5
    blocks:
      - name: Tests
        items:
          - drill: strides
            sets: 1
            reps: 2
            distance_m: 20
            intensity_pct: 60
phases:
"""


def test_a_test_session_is_a_load_on_a_training_day_and_the_check_in_falls_on_it(mini: Path) -> None:
    edit(program(mini), "phases:\n", SQUEEZE_TEST)
    edit(program(mini), "    exit: [squeeze]\n", "    exit: [squeeze]\n    test: squeeze-test\n")
    plans = {plan.athlete_id: plan for plan in gather(mini, ENVIRONMENT).plans}
    ana = plans["ana"]
    last_early = next(week for week in ana.weeks if week.check_in is not None)
    [test] = [session for session in last_early.sessions if session.dose.session.id == "squeeze-test"]
    # Ana trains mon, wed, fri, sat from Wed 6 Jan: the early phase's second week runs Wed 13 to Tue 19 Jan.
    assert last_early.check_in is not None and last_early.check_in.date == test.date
    assert test.date.strftime("%a") in {"Mon", "Wed", "Fri", "Sat"} and test.date != last_early.end
    assert last_early.load == 160 + 150 + 160 + 150  # the test counts in the week's load
    # A test is hard: the next hard session (speed's first sprint) keeps 48 hours from it.
    first_sprint = next(s for s in ana.sessions() if s.dose.session.id == "sprint")
    assert first_sprint.date - test.date >= dt.timedelta(days=2)
    # Other weeks of the phase have no test.
    assert all(s.dose.session.id != "squeeze-test" for w in ana.weeks if w is not last_early for s in w.sessions)


def test_running_on_consecutive_days_is_a_warning_where_the_program_asks(run: Run, mini: Path) -> None:
    assert warnings_of(run, mini) == []  # ana on mon, wed, fri, sat and ben never run two days in a row
    edit(program(mini), "grades:\n", "spacing:\n  running_apart: true\ngrades:\n")
    assert warnings_of(run, mini) == []
    edit(mini, "training_days: [mon, wed, fri, sat]", "training_days: [mon, tue, wed, thu]")
    # Strides on Tuesday end the first early week; the second starts with strides on Wednesday.
    assert warnings_of(run, mini) == [
        "warning: sprintback.yaml:11:20: athletes.ana.training_days: sessions with running on Tue 12 Jan 2027 "
        "and Wed 13 Jan 2027, consecutive days (adductor); expected a day without running between runs "
        "(Green 2022)"
    ]


def test_a_grade_may_not_skip_a_phase_with_exit_criteria(run: Run, mini: Path, tmp_path: Path) -> None:
    edit(program(mini), "weeks: {early: 1}", "skip: [early]")
    result = run("build", "-q", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        "error: programs/adductor.yaml:101:28: grades.1.skip[0]: phase 'early' has exit criteria, and a grade may "
        "shorten a phase but never drop its criteria; expected 'weeks: {early: 1}' instead"
    ) in result.output
    assert not (tmp_path / "site").exists()


def test_raising_volume_and_intensity_in_one_phase_is_a_warning(run: Run, mini: Path) -> None:
    edit(program(mini), "    progression: {distance_m: 2}\n", "    progression: {distance_m: 2, intensity_pct: 5}\n")
    assert warnings_of(run, mini) == [
        "warning: programs/adductor.yaml:95:18: phases[1].progression: phase speed raises volume and intensity "
        "every week; expected one variable at a time, volume or intensity, on the drills that move "
        "(Green 2022, rule 3)"
    ]


def test_a_progression_moves_only_the_drills_it_names(mini: Path) -> None:
    edit(program(mini), "    progression: {reps: 1}\n", "    progression: {reps: 1, drills: [copenhagen]}\n")
    ana = next(plan for plan in gather(mini, ENVIRONMENT).plans if plan.athlete_id == "ana")
    early = ana.weeks[:2]

    def reps(week_index: int, drill: str) -> list[int | None]:
        return [
            item.dose.reps
            for session in early[week_index].sessions
            for block in session.dose.blocks
            for item in block.items
            if item.drill.id == drill
        ]

    assert reps(0, "copenhagen") == [6] and reps(1, "copenhagen") == [7]  # named: one more rep a week
    assert reps(0, "strides") == reps(1, "strides") == [4, 4]  # not named: as written


def test_a_progression_naming_a_drill_that_does_not_exist_is_an_error(run: Run, mini: Path, tmp_path: Path) -> None:
    edit(program(mini), "    progression: {reps: 1}\n", "    progression: {reps: 1, drills: [copenhagn]}\n")
    result = run("build", "-q", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        "error: programs/adductor.yaml:89:37: phases[0].progression.drills[0]: no drill 'copenhagn'; "
        "expected one of: copenhagen, leg-swings, strides"
    ) in result.output
    assert not (tmp_path / "site").exists()


def test_fast_running_while_a_drill_may_still_leave_the_muscle_sore_is_a_warning(run: Run, mini: Path) -> None:
    drill = mini.parent / "programs" / "drills" / "copenhagen.md"
    edit(drill, "category: strength\n", "category: strength\nsoreness_days: 3\n")
    assert warnings_of(run, mini) == []  # accelerations at 75 %: not fast enough to matter
    edit(program(mini), "            intensity_pct: 75\n", "            intensity_pct: 80\n")
    # Ana's Copenhagen planks on Friday, her accelerations at 80 % on Monday: three days later.
    assert [line.split(": ", 3)[3] for line in warnings_of(run, mini)][:1] == [
        "Copenhagen plank on Fri 22 Jan 2027 and running at 80 % or faster on Mon 25 Jan 2027 (adductor), while "
        "the muscle may still be sore; expected fast running before it, or after its soreness_days"
    ]


def test_a_drill_before_the_check_in_its_drill_file_names_is_a_warning(run: Run, mini: Path, tmp_path: Path) -> None:
    drill = mini.parent / "programs" / "drills" / "copenhagen.md"
    edit(drill, "category: strength\n", "category: strength\ncleared_by: {adductor: squeeze}\n")
    # The Copenhagen plank is in the early phase, whose check-in tests the squeeze: it comes before its gate.
    assert [line.split(": ", 3)[3] for line in warnings_of(run, mini)] == [
        f"grade {grade}, week 1 (early week 1), session strength: Copenhagen plank before the check-in that "
        "clears it (squeeze); expected it only after a check-in with 'squeeze' has passed (the drill's "
        "cleared_by; a gate comes before what it guards: Aspetar)"
        for grade in ("1", "2")
    ]
    # In the speed phase only, after the squeeze test has passed: no warning.
    edit(program(mini), "    pattern: [technique, strength, technique]", "    pattern: [technique, technique]")
    assert warnings_of(run, mini) == []
    # A criterion the program does not have is an error in the drill's file.
    edit(drill, "cleared_by: {adductor: squeeze}", "cleared_by: {adductor: hop}")
    result = run("validate", "-f", mini)
    assert result.exit_code == 1
    assert (
        "error: programs/drills/copenhagen.md:4:24: cleared_by.adductor: no criterion 'hop' in program 'adductor', "
        "which uses the drill; expected one of: squeeze"
    ) in result.output.splitlines()
