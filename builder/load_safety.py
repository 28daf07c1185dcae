"""Load-safety rules over each program × grade: run once per graded program, whatever the roster.

Every grade of every program is checked, so a protocol is safe for the athletes it will get,
not only for those on the roster today. Weeks are counted as the grade's plan lays them,
seven days each; rules that depend on an athlete's training days are in `check.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from builder.errors import Problem
from builder.library import Library
from builder.linked import GradedProgram, GradeKey
from builder.plan import DosedWeek, SessionDose
from builder.source import Source
from builder.workload import high_speed_m, top_intensity, totals

SPIKE_LIMIT = 1.10
"""A session more than 10 % above the largest of the previous 30 days (Frandsen 2025)."""
SPIKE_WEEKS = 4
"""Previous weeks a session is compared with: about 30 days."""
WEEKLY_HIGH_SPEED_LIMIT = 1.5
"""A week's high-speed metres more than 50 % above the largest of the previous four weeks (Duhig 2016)."""


def check_load_safety(
    library: Library, graded: Mapping[GradeKey, GradedProgram], weeks: Mapping[GradeKey, tuple[DosedWeek, ...]]
) -> list[Problem]:
    """Warnings for every program's phases (volume and intensity raised together) and every graded
    program: intensity before its gate, session spikes, weekly high-speed spikes, misplaced or
    missing deloads."""
    found: list[Problem] = []
    for program_id, program in library.programs.items():
        source = library.program_source(program_id)
        for index, phase in enumerate(program.phases):
            if len(phase.progression.moves) > 1:
                found.append(
                    source.problem(
                        ("phases", index, "progression"),
                        f"phase {phase.id} raises volume and intensity every week; expected one variable at a "
                        "time, volume or intensity, on the drills that move (Green 2022, rule 3)",
                    )
                )
    for key, dosed in weeks.items():
        source = library.program_source(key.program)
        for rule in (_gates, _drill_gates, _session_spikes, _weekly_high_speed, _deloads):
            found.extend(rule(source, graded[key], dosed))
    return found


def _label(graded: GradedProgram) -> str:
    """`2`, or `2 (soleus)` for a muscle's variant."""
    return graded.grade if graded.muscle is None else f"{graded.grade} ({graded.muscle})"


def _where(week: DosedWeek, number: int, grade: str, session: SessionDose | None = None) -> str:
    said = f"grade {grade}, week {number} ({week.phase.id} week {week.week_in_phase})"
    return f"{said}, session {session.session.id}" if session is not None else said


def _phase_path(graded: GradedProgram, week: DosedWeek) -> tuple[str | int, ...]:
    """The phase in the program file (a grade that leaves phases out numbers its own from 1)."""
    return ("phases", [phase.id for phase in graded.program.spec.phases].index(week.phase.id))


def _drill_gates(source: Source, graded: GradedProgram, weeks: tuple[DosedWeek, ...]) -> Iterator[Problem]:
    """No drill before the check-in its `cleared_by` names for the injury (a gate comes before what it guards)."""
    injury = graded.program.spec.injury
    passed: set[str] = set()
    warned: set[tuple[str, str]] = set()
    for number, week in enumerate(weeks, start=1):
        phase = week.phase.linked
        for dose in week.sessions:
            for block in dose.blocks:
                for item in block.items:
                    needed = item.drill.cleared_by.get(injury)
                    if needed is None or needed in passed or (item.drill.id, week.phase.id) in warned:
                        continue
                    if dose.session is phase.test and any(c.id == needed for c in phase.exit):
                        continue  # the test session of that very check-in
                    warned.add((item.drill.id, week.phase.id))
                    yield source.problem(
                        (*_phase_path(graded, week), "pattern"),
                        f"{_where(week, number, _label(graded), dose)}: {item.drill.name} before the check-in "
                        f"that clears it ({needed}); expected it only after a check-in with {needed!r} has passed "
                        f"(the drill's cleared_by; a gate comes before what it guards: Aspetar)",
                    )
        if week.closes_phase:
            passed |= {criterion.id for criterion in phase.exit}


def _gates(source: Source, graded: GradedProgram, weeks: tuple[DosedWeek, ...]) -> Iterator[Problem]:
    """No running faster than the check-ins passed so far have cleared (Aspetar; Hickey 2020)."""
    program = graded.program.spec
    if not any(phase.clears_pct for phase in program.phases):
        return
    cleared = program.ungated_pct
    warned: set[str] = set()
    for number, week in enumerate(weeks, start=1):
        for dose in week.sessions:
            top = top_intensity(dose)
            if top > cleared and week.phase.id not in warned:
                warned.add(week.phase.id)
                yield source.problem(
                    (*_phase_path(graded, week), "pattern"),
                    f"{_where(week, number, _label(graded), dose)}: running at {top} % before a check-in clears it "
                    f"(cleared so far: {cleared} %); expected a check-in whose clears_pct covers it first "
                    "(a gate comes before what it guards: Aspetar)",
                )
        if week.closes_phase and week.phase.linked.spec.clears_pct is not None:
            cleared = max(cleared, week.phase.linked.spec.clears_pct)


def _session_spikes(source: Source, graded: GradedProgram, weeks: tuple[DosedWeek, ...]) -> Iterator[Problem]:
    """No session more than 10 % above the largest of the previous 30 days, in load or high-speed metres."""
    warned: set[tuple[str, str]] = set()
    for index, week in enumerate(weeks):
        earlier = [dose for before in weeks[max(0, index - SPIKE_WEEKS) : index] for dose in before.sessions]
        for slot, dose in enumerate(week.sessions):
            previous = earlier + list(week.sessions[:slot])
            for what, measure, unit in (("load", _load, ""), ("high-speed running", high_speed_m, " m")):
                largest = max((measure(other) for other in previous), default=0)
                value = measure(dose)
                if largest and value > largest * SPIKE_LIMIT and (week.phase.id, what) not in warned:
                    warned.add((week.phase.id, what))
                    yield source.problem(
                        ("sessions", dose.session.id),
                        f"{_where(week, index + 1, _label(graded), dose)}: {what} {value}{unit} is "
                        f"{_percent(value, largest)} above the largest of the previous 30 days ({largest}{unit}); "
                        "expected at most 10 % more (Frandsen 2025)",
                    )


def _weekly_high_speed(source: Source, graded: GradedProgram, weeks: tuple[DosedWeek, ...]) -> Iterator[Problem]:
    """No week's high-speed running far above the previous weeks' (Duhig 2016)."""
    metres = [totals(week.sessions)[1] for week in weeks]
    for index, week in enumerate(weeks):
        largest = max(metres[max(0, index - SPIKE_WEEKS) : index], default=0)
        if largest and metres[index] > largest * WEEKLY_HIGH_SPEED_LIMIT:
            yield source.problem(
                _phase_path(graded, week),
                f"{_where(week, index + 1, _label(graded))}: {metres[index]} m of high-speed running is "
                f"{_percent(metres[index], largest)} above the largest week of the previous four ({largest} m); "
                "expected at most 50 % more (Duhig 2016)",
            )


def _deloads(source: Source, graded: GradedProgram, weeks: tuple[DosedWeek, ...]) -> Iterator[Problem]:
    """Deloads outside the phases that exclude them and outside test weeks; none missing too long."""
    deload = graded.program.spec.deload
    if deload is None:
        return
    excluded = set(deload.not_in)
    run = 0
    for number, week in enumerate(weeks, start=1):
        if week.deload and week.phase.id in excluded:
            yield source.problem(
                _phase_path(graded, week),
                f"{_where(week, number, _label(graded))}: a deload week in a phase the program's deload.not_in "
                "excludes; expected deloads outside rehab phases, where criteria set the dose",
            )
        elif week.deload and week.closes_phase and week.phase.linked.exit:
            yield source.problem(
                _phase_path(graded, week),
                f"{_where(week, number, _label(graded))}: a deload week is the phase's test week; "
                "expected the check-in's tests in a week of full training",
            )
        if week.phase.id in excluded or week.deload:
            run = 0
            continue
        run += 1
        if deload.longest_gap_weeks is not None and run == deload.longest_gap_weeks + 1:
            yield source.problem(
                ("deload", "longest_gap_weeks"),
                f"{_where(week, number, _label(graded))}: {run} weeks in a row without a deload; "
                f"expected one at least every {deload.longest_gap_weeks} weeks (deload.longest_gap_weeks)",
            )


def _load(dose: SessionDose) -> int:
    return dose.load


def _percent(value: int, largest: int) -> str:
    return f"{(value / largest - 1) * 100:.0f} %"
