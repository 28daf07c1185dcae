"""The resolve stage: check every reference, match athletes to programs, apply grades."""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.errors import InputError, Problem
from builder.load import Library
from builder.models import Athlete, GradeVariant, Phase, Program
from builder.source import Source


@dataclass(frozen=True, eq=False)
class GradedProgram:
    """A program as one injury grade runs it: its phases and their lengths in weeks."""

    program: Program
    grade: str
    """The grade key of the program that applies (`2` for an athlete graded `2b`, say)."""
    variant: GradeVariant
    phases: tuple[tuple[Phase, int], ...]


@dataclass(frozen=True)
class Assignment:
    """An athlete and the graded program they follow."""

    athlete_id: str
    athlete: Athlete
    graded: GradedProgram


@dataclass(frozen=True)
class Resolution:
    """The library with every reference checked, and each athlete's graded program."""

    library: Library
    assignments: tuple[Assignment, ...]
    graded: dict[tuple[str, str], GradedProgram]
    """Every program as each of its grades runs it, by (program id, grade)."""


def resolve(library: Library) -> Resolution:
    """Check references between programs, drills and roster; raise InputError on any problem."""
    problems: list[Problem] = []
    for program_id, program in library.programs.items():
        problems += _check_program(program, library.program_source(program_id), library)
    problems += _check_drills(library)

    graded = {
        (program.id, grade): _apply_grade(program, grade)
        for program in library.programs.values()
        for grade in program.grades
    }
    assignments = []
    roster = library.project_source
    by_injury: dict[str, list[Program]] = {}
    for program in library.programs.values():
        by_injury.setdefault(program.injury, []).append(program)
    for athlete_id, athlete in library.project.athletes.items():
        here = ("athletes", athlete_id)
        chosen = _program_for(athlete, here, library, by_injury, roster, problems)
        if chosen is None:
            continue
        grade = _grade_key(athlete.injury.grade, chosen)
        if grade is None:
            known = ", ".join(chosen.grades)
            problems.append(
                roster.problem(
                    here + ("injury", "grade"),
                    f"program {chosen.id!r} has no variant for grade {athlete.injury.grade!r}; it has grades {known}",
                )
            )
            continue
        assignments.append(Assignment(athlete_id, athlete, graded[chosen.id, grade]))

    if problems:
        raise InputError(problems)
    return Resolution(library, tuple(assignments), graded)


def _program_for(
    athlete: Athlete,
    here: tuple[str, ...],
    library: Library,
    by_injury: dict[str, list[Program]],
    roster: Source,
    problems: list[Problem],
) -> Program | None:
    if athlete.program is not None:
        program = library.programs.get(athlete.program)
        if program is None:
            problems.append(
                roster.problem(
                    here + ("program",),
                    f"no program {athlete.program!r}; programs: {', '.join(sorted(library.programs)) or 'none'}",
                )
            )
        elif program.injury != athlete.injury.type:
            problems.append(
                roster.problem(
                    here + ("program",),
                    f"program {program.id!r} serves {program.injury!r} injuries, not {athlete.injury.type!r}",
                )
            )
            return None
        return program
    serving = by_injury.get(athlete.injury.type, [])
    if len(serving) == 1:
        return serving[0]
    if not serving:
        served = ", ".join(sorted(by_injury)) or "none"
        problems.append(
            roster.problem(
                here + ("injury", "type"),
                f"no program serves {athlete.injury.type!r} injuries; injuries served: {served}",
            )
        )
    else:
        names = ", ".join(sorted(p.id for p in serving))
        problems.append(
            roster.problem(
                here + ("injury", "type"),
                f"several programs serve {athlete.injury.type!r} injuries ({names}): choose one with 'program'",
            )
        )
    return None


def _grade_key(grade: str, program: Program) -> str | None:
    """The program's variant for a grade: exact (`2c`), else by its number (`2b` -> `2`)."""
    if grade in program.grades:
        return grade
    number = re.match(r"\d+", grade)
    if number and number.group() in program.grades:
        return number.group()
    return None


def _apply_grade(program: Program, grade: str) -> GradedProgram:
    variant = program.grades[grade]
    phases = tuple(
        (phase, variant.weeks.get(phase.id, max(1, round(phase.weeks * variant.scale))))
        for phase in program.phases
        if phase.id not in variant.skip
    )
    return GradedProgram(program, grade, variant, phases)


def _check_program(program: Program, source: Source, library: Library) -> list[Problem]:
    problems = []

    def missing(path: tuple[str | int, ...], what: str, name: str, known: object) -> None:
        listed = ", ".join(sorted(known)) or "none"  # type: ignore[call-overload]
        problems.append(source.problem(path, f"no {what} {name!r}; expected one of: {listed}"))

    phase_ids: set[str] = set()
    here: tuple[str | int, ...]
    for index, phase in enumerate(program.phases):
        here = ("phases", index)
        if phase.id in phase_ids:
            problems.append(source.problem(here + ("id",), f"phase id {phase.id!r} is used twice"))
        phase_ids.add(phase.id)
        for slot, session_id in enumerate(phase.pattern):
            if session_id not in program.sessions:
                missing(here + ("pattern", slot), "session", session_id, program.sessions)
        for slot, criterion in enumerate(phase.exit):
            if criterion not in program.criteria:
                missing(here + ("exit", slot), "criterion", criterion, program.criteria)
        for slot, week in enumerate(phase.deload_weeks):
            if program.deload is None:
                problems.append(
                    source.problem(
                        here + ("deload_weeks", slot),
                        "a deload week needs the program's 'deload: {volume: ...}' to say how light it is",
                    )
                )
            elif week > phase.weeks:
                problems.append(
                    source.problem(
                        here + ("deload_weeks", slot), f"week {week} is past the phase's {phase.weeks} weeks"
                    )
                )

    for session_id, session in program.sessions.items():
        here = ("sessions", session_id)
        for index, block in enumerate(session.blocks):
            if isinstance(block, str):
                if block not in program.blocks:
                    missing(here + ("blocks", index), "shared block", block, program.blocks)
                continue
            for item_index, item in enumerate(block.items):
                if item.drill not in library.drills:
                    missing(here + ("blocks", index, "items", item_index, "drill"), "drill", item.drill, library.drills)
        for index, rule in enumerate(session.rules or ()):
            if rule not in program.monitoring.rules:
                missing(here + ("rules", index), "monitoring rule", rule, program.monitoring.rules)
    for block_id, block in program.blocks.items():
        for item_index, item in enumerate(block.items):
            if item.drill not in library.drills:
                missing(("blocks", block_id, "items", item_index, "drill"), "drill", item.drill, library.drills)

    for grade, variant in program.grades.items():
        for phase_id in variant.weeks:
            if phase_id not in phase_ids:
                problems.append(
                    source.problem(("grades", grade, "weeks", phase_id), f"no phase {phase_id!r}", at_key=True)
                )
        for index, phase_id in enumerate(variant.skip):
            if phase_id not in phase_ids:
                missing(("grades", grade, "skip", index), "phase", phase_id, phase_ids)
        if len(set(variant.skip)) >= len(phase_ids):
            problems.append(source.problem(("grades", grade, "skip"), "the grade skips every phase"))
    return problems


def _check_drills(library: Library) -> list[Problem]:
    problems = []
    for drill in library.drills.values():
        source = library.drill_source(drill.id)
        for step in ("regression", "progression"):
            target = getattr(drill, step)
            if target is not None and target not in library.drills:
                problems.append(source.problem((step,), f"no drill {target!r} in the library"))
    return problems
