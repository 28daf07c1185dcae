"""The resolve stage: check every reference, link the programs, apply grades, match athletes."""

from __future__ import annotations

from collections.abc import Mapping

from builder.errors import InputError, Problem
from builder.library import Library
from builder.linked import (
    Assignment,
    GradedPhase,
    GradedProgram,
    GradeKey,
    HomeDrill,
    Item,
    LinkedBlock,
    LinkedCriterion,
    LinkedPhase,
    LinkedProgram,
    LinkedSession,
    Resolution,
    Rule,
)
from builder.models import Athlete, ContentChange, Program, Session, program_drills, round_half_up
from builder.source import KeyPath, Source


def resolve(library: Library) -> Resolution:
    """Check references between programs, drills and roster, then link them; raise InputError on any problem."""
    problems: list[Problem] = []
    for program_id, program in library.programs.items():
        source = library.program_source(program_id)
        problems += _check_program(program, source, library) + _check_grades(program, source)
    problems += _check_drills(library)
    if problems:
        # Linking follows references; with a broken one there is nothing to link, but the roster is still checked.
        problems += _check_roster(library)
        raise InputError(problems)

    linked = {program.id: _link(program, library) for program in library.programs.values()}
    graded = {
        GradeKey(program.id, grade, muscle): _apply_grade(
            _varied(linked[program.id], grade, muscle, library), grade, muscle
        )
        for program in library.programs.values()
        for grade in program.grades
        for muscle in (None, *program.muscles)
    }
    problems = _check_roster(library)
    if problems:
        raise InputError(problems)
    assignments = tuple(
        assign(athlete_id, athlete, library, graded) for athlete_id, athlete in library.project.athletes.items()
    )
    return Resolution(library, tuple(linked.values()), graded, assignments)


def _check_roster(library: Library) -> list[Problem]:
    """Every athlete is served by exactly one program, which has the athlete's grade."""
    roster = library.project_source
    return [
        problem
        for athlete_id, athlete in library.project.athletes.items()
        for problem in athlete_problems(athlete, library, roster, ("athletes", athlete_id))
    ]


def athlete_problems(athlete: Athlete, library: Library, source: Source, here: KeyPath) -> list[Problem]:
    """What stops an athlete (at `here` in `source`) from having a plan: no single program serving the
    injury, or a program without the athlete's grade or muscle, or an injury after the start."""
    problems: list[Problem] = []
    injured = athlete.injury.date
    if injured is not None and injured > athlete.start:
        problems.append(
            source.problem(
                here + ("injury", "date"),
                f"the injury date {injured} is after the start date {athlete.start}; expected the day of the injury",
            )
        )
    chosen = _program_for(athlete, here, library, _by_injury(library), source, problems)
    muscle = athlete.injury.muscle
    if chosen is not None and muscle is not None and muscle not in chosen.muscles:
        known = ", ".join(chosen.muscles) or "none"
        problems.append(
            source.problem(
                here + ("injury", "muscle"),
                f"program {chosen.id!r} has no variant for the muscle {muscle!r}; its muscles: {known}",
            )
        )
    if chosen is not None and athlete.injury.grade not in chosen.grades:
        known = ", ".join(chosen.grades)
        problems.append(
            source.problem(
                here + ("injury", "grade"),
                f"program {chosen.id!r} has no variant for grade {athlete.injury.grade!r}; it has grades {known}",
            )
        )
    return problems


def assign(athlete_id: str, athlete: Athlete, library: Library, graded: Mapping[GradeKey, GradedProgram]) -> Assignment:
    """An athlete without problems (see `athlete_problems`) and the graded program they follow."""
    key = GradeKey(_chosen(athlete, library).id, athlete.injury.grade, athlete.injury.muscle)
    return Assignment(athlete_id, athlete, graded[key])


def _by_injury(library: Library) -> dict[str, list[Program]]:
    by_injury: dict[str, list[Program]] = {}
    for program in library.programs.values():
        by_injury.setdefault(program.injury, []).append(program)
    return by_injury


def _chosen(athlete: Athlete, library: Library) -> Program:
    """The program an athlete follows (the roster has been checked)."""
    if athlete.program is not None:
        return library.programs[athlete.program]
    return _by_injury(library)[athlete.injury.type][0]


def _program_for(
    athlete: Athlete,
    here: KeyPath,
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


def _link(
    program: Program, library: Library, base: LinkedProgram | None = None, origins: Mapping[str, str] | None = None
) -> LinkedProgram:
    """Follow every reference of a checked program once, so later stages hold objects, not ids.

    A variant's program is linked with its `base` (the program as written) and the `origins`
    of the sessions it made its own: every other object is the base's, so doses are shared.
    """
    if base is None:
        rules = {rule_id: Rule(rule_id, rule) for rule_id, rule in program.monitoring.rules.items()}
        criteria = {key: LinkedCriterion(key, criterion) for key, criterion in program.criteria.items()}
        shared = {
            block_id: LinkedBlock(block, tuple(Item(library.drills[i.drill], i) for i in block.items), shared=True)
            for block_id, block in program.blocks.items()
        }
        own = {}
    else:
        rules, criteria, shared = base.rules, {c.id: c for c in base.criteria}, base.shared
        own = {session.id: session for session in base.sessions}
    sessions = {}
    for session_id, session in program.sessions.items():
        origin = (origins or {}).get(session_id, "")
        if not origin and session_id in own:
            sessions[session_id] = own[session_id]
            continue
        blocks = tuple(
            shared[block]
            if isinstance(block, str)
            else LinkedBlock(block, tuple(Item(library.drills[i.drill], i) for i in block.items), shared=False)
            for block in session.blocks
        )
        shown = session.rules if session.rules is not None else tuple(rules)
        sessions[session_id] = LinkedSession(
            session_id, session, blocks, tuple(rules[r] for r in shown), program.monitoring, origin
        )
    phases = tuple(
        LinkedPhase(
            phase,
            tuple(sessions[session_id] for session_id in phase.pattern),
            tuple(criteria[key] for key in phase.exit),
            sessions[phase.test] if phase.test is not None else None,
            tuple(HomeDrill(library.drills[item.drill], item) for item in phase.home),
        )
        for phase in program.phases
    )
    return LinkedProgram(program, phases, tuple(sessions.values()), tuple(criteria.values()), rules, shared)


def _varied(base: LinkedProgram, grade: str, muscle: str | None, library: Library) -> LinkedProgram:
    """The program as a grade and an injured muscle do it: their sessions, added exit criteria and pain limit.

    The muscle's sessions win over the grade's. Without a change, the program as written.
    """
    program = base.spec
    by_grade = program.grades[grade]
    by_muscle = program.muscles[muscle] if muscle is not None else None
    changes = [by_grade] + ([by_muscle] if by_muscle is not None else [])
    if by_grade.allowed_pain is None and not any(
        change.sessions or change.add_exit or change.home for change in changes
    ):
        return base
    pain = f"pain-{by_grade.allowed_pain}" if by_grade.allowed_pain is not None else ""
    sessions = dict(program.sessions)
    origins = dict.fromkeys(program.sessions, pain)
    for label, change in [(f"grade-{grade}", by_grade)] + ([(f"muscle-{muscle}", by_muscle)] if by_muscle else []):
        for session_id, session in change.sessions.items():
            sessions[session_id] = session
            origins[session_id] = "-".join(part for part in (label, pain) if part)
    phases = tuple(
        phase.model_copy(
            update={
                "exit": tuple(
                    dict.fromkeys(phase.exit + tuple(k for c in changes for k in c.add_exit.get(phase.id, ())))
                ),
                # The muscle's home exercises win over the grade's, as its sessions do.
                "home": next((c.home[phase.id] for c in reversed(changes) if phase.id in c.home), phase.home),
            }
        )
        for phase in program.phases
    )
    monitoring = (
        program.monitoring.model_copy(update={"allowed_pain": by_grade.allowed_pain})
        if by_grade.allowed_pain is not None
        else program.monitoring
    )
    varied = program.model_copy(update={"sessions": sessions, "phases": phases, "monitoring": monitoring})
    return _link(varied, library, base, origins)


def _apply_grade(program: LinkedProgram, grade: str, muscle: str | None = None) -> GradedProgram:
    variant = program.spec.grades[grade]
    kept = [phase for phase in program.phases if phase.id not in variant.skip]
    phases = tuple(
        GradedPhase(
            phase,
            number,
            _graded_weeks(phase.spec.weeks, phase.id, grade, program.spec),
            variant.deload_weeks.get(phase.id, phase.spec.deload_weeks),
        )
        for number, phase in enumerate(kept, start=1)
    )
    return GradedProgram(program, grade, variant, phases, muscle)


def _graded_weeks(weeks: int, phase_id: str, grade: str, program: Program) -> int:
    """A phase's length at a grade: the grade's `weeks`, else the reference length scaled, half up."""
    variant = program.grades[grade]
    return variant.weeks.get(phase_id, max(1, round_half_up(weeks * variant.scale)))


def _check_grades(program: Program, source: Source) -> list[Problem]:
    """A grade that shortens a phase must say where that phase's deload weeks go."""
    problems = []
    phases = {phase.id: phase for phase in program.phases}
    for grade, variant in program.grades.items():
        here = ("grades", grade)
        for phase_id, weeks in variant.deload_weeks.items():
            if phase_id not in phases:
                problems.append(
                    source.problem(here + ("deload_weeks", phase_id), f"no phase {phase_id!r}", at_key=True)
                )
            elif program.deload is None and weeks:
                problems.append(
                    source.problem(
                        here + ("deload_weeks", phase_id),
                        "a deload week needs the program's 'deload: {volume: ...}' to say how light it is",
                    )
                )
        for phase in program.phases:
            if phase.id in variant.skip:
                continue
            length = _graded_weeks(phase.weeks, phase.id, grade, program)
            if phase.id in variant.deload_weeks:
                for index, week in enumerate(variant.deload_weeks[phase.id]):
                    if week > length:
                        problems.append(
                            source.problem(
                                here + ("deload_weeks", phase.id, index),
                                f"week {week} is past the phase's {length} weeks at grade {grade}",
                            )
                        )
                continue
            # (A deload week past the phase's own length is reported with the phase.)
            lost = [week for week in phase.deload_weeks if length < week <= phase.weeks]
            if lost:
                where = here + (("weeks", phase.id) if phase.id in variant.weeks else ("scale",))
                problems.append(
                    source.problem(
                        where,
                        f"grade {grade} makes phase {phase.id!r} {length} week{'s' * (length != 1)} long, so its "
                        f"{_deload_weeks_lost(lost)}; expected the grade to say which weeks "
                        f"of the phase are deloads: 'deload_weeks: {{{phase.id}: [...]}}' ([] for none)",
                    )
                )
    return problems


def _deload_weeks_lost(weeks: list[int]) -> str:
    """`deload week 3 falls away`, `deload weeks 3, 4 fall away`."""
    listed = ", ".join(map(str, weeks))
    return f"deload week {listed} falls away" if len(weeks) == 1 else f"deload weeks {listed} fall away"


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
        for slot, home in enumerate(phase.home):
            if home.drill not in library.drills:
                missing(here + ("home", slot, "drill"), "drill", home.drill, library.drills)
        for slot, drill in enumerate(phase.progression.drills):
            if drill not in library.drills:
                missing(here + ("progression", "drills", slot), "drill", drill, library.drills)
        if phase.test is not None and phase.test not in program.sessions:
            missing(here + ("test",), "session", phase.test, program.sessions)
        if phase.test is not None and not phase.exit:
            problems.append(
                source.problem(here + ("test",), "a test session needs the phase's 'exit' criteria to test")
            )
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

    def check_session(here: tuple[str | int, ...], session: Session) -> None:
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

    for session_id, session in program.sessions.items():
        check_session(("sessions", session_id), session)
    variants: list[tuple[tuple[str, str], ContentChange]] = [(("grades", g), v) for g, v in program.grades.items()]
    variants += [(("muscles", m), v) for m, v in program.muscles.items()]
    for where, change in variants:
        for session_id, session in change.sessions.items():
            if session_id not in program.sessions:
                problems.append(
                    source.problem(
                        where + ("sessions", session_id),
                        f"no session {session_id!r} to do this variant's way; a variant replaces one of the "
                        f"program's sessions: {', '.join(sorted(program.sessions))}",
                        at_key=True,
                    )
                )
            check_session(where + ("sessions", session_id), session)
        for phase_id, exercises in change.home.items():
            if phase_id not in phase_ids:
                problems.append(source.problem(where + ("home", phase_id), f"no phase {phase_id!r}", at_key=True))
            for slot, exercise in enumerate(exercises):
                if exercise.drill not in library.drills:
                    missing(where + ("home", phase_id, slot, "drill"), "drill", exercise.drill, library.drills)
        for phase_id, added in change.add_exit.items():
            if phase_id not in phase_ids:
                missing(where + ("add_exit", phase_id), "phase", phase_id, phase_ids)
            for slot, criterion in enumerate(added):
                if criterion not in program.criteria:
                    missing(where + ("add_exit", phase_id, slot), "criterion", criterion, program.criteria)
    for block_id, block in program.blocks.items():
        for item_index, item in enumerate(block.items):
            if item.drill not in library.drills:
                missing(("blocks", block_id, "items", item_index, "drill"), "drill", item.drill, library.drills)
    for drill_id in program_drills(program):
        page = library.drills.get(drill_id)
        needed = page.cleared_by.get(program.injury) if page is not None else None
        if needed is not None and needed not in program.criteria:
            problems.append(
                library.drill_source(drill_id).problem(
                    ("cleared_by", program.injury),
                    f"no criterion {needed!r} in program {program.id!r}, which uses the drill; "
                    f"expected one of: {', '.join(sorted(program.criteria)) or 'none'}",
                )
            )

    for grade, variant in program.grades.items():
        for phase_id in variant.weeks:
            if phase_id not in phase_ids:
                problems.append(
                    source.problem(("grades", grade, "weeks", phase_id), f"no phase {phase_id!r}", at_key=True)
                )
        gated = {phase.id for phase in program.phases if phase.exit}
        for index, phase_id in enumerate(variant.skip):
            if phase_id not in phase_ids:
                missing(("grades", grade, "skip", index), "phase", phase_id, phase_ids)
            elif phase_id in gated:
                problems.append(
                    source.problem(
                        ("grades", grade, "skip", index),
                        f"phase {phase_id!r} has exit criteria, and a grade may shorten a phase but never drop "
                        "its criteria; expected 'weeks: {" + phase_id + ": 1}' instead",
                    )
                )
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
