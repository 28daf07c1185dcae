"""The check stage: safety lint over the library and every athlete's plan."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from builder.errors import Problem
from builder.ledger import LEDGER_FILE
from builder.library import Library
from builder.linked import GradedProgram, GradeKey
from builder.load_safety import check_load_safety
from builder.models import program_drills
from builder.plan import DosedWeek, Plan, ScheduledSession, Week
from builder.source import KeyPath, Source
from builder.timezones import clock_change
from builder.workload import RUNNING_KINDS, top_intensity

FAST_PCT = 80
"""Running this fast (% of maximal speed) waits out a drill's soreness_days."""
MONOTONY_LIMIT = 2.0
"""Weekly monotony (mean ÷ standard deviation of daily load) above this is a warning (Foster)."""


@dataclass(frozen=True)
class Findings:
    """What the check stage found: errors stop the build, warnings fail it under --strict."""

    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def check(
    library: Library,
    plans: list[Plan],
    graded: Mapping[GradeKey, GradedProgram],
    weeks: Mapping[GradeKey, tuple[DosedWeek, ...]],
) -> Findings:
    """Check every graded program's weeks for load safety (once each, whatever the roster), each
    athlete's plan for unsafe spacing and load, the library for unused drills, and that a built
    site still has its feed ledger."""
    errors: list[Problem] = []
    warnings: list[Problem] = check_load_safety(library, graded, weeks)
    roster = library.project_source
    for plan in plans:
        for found in plan.problems:
            key: tuple[str | int, ...] = ("records", found.index)
            if found.key is not None:
                key += tuple(found.key.split("."))
            errors.append(library.log_source(plan.athlete_id).problem(key, found.message))
        findings = check_plan(plan, roster, ("athletes", plan.athlete_id))
        errors += findings.errors
        warnings += findings.warnings
    used = {drill for program in library.programs.values() for drill in program_drills(program)}
    for drill in library.drills.values():
        used.update(step for step in (drill.regression, drill.progression) if step)
    for drill_id in sorted(set(library.drills) - used):
        warnings.append(
            library.drill_source(drill_id).problem(
                (), f"drill {drill_id!r} is used by no program and is no drill's regression or progression"
            )
        )
    if not library.ledger.found and library.built_site is not None:
        warnings.append(
            Problem(
                LEDGER_FILE,
                1,
                1,
                "",
                (
                    f"not found, but {library.built_site} holds a built site: every calendar event starts again "
                    "at sequence 0, and calendar apps may keep old copies of moved events; "
                    f"commit {LEDGER_FILE} with the roster"
                ),
            )
        )
    return Findings(tuple(errors), tuple(warnings))


def check_plan(plan: Plan, source: Source, athlete: KeyPath) -> Findings:
    """An athlete's plan: hard sessions too close, weeks with too few training days, monotonous load,
    runs on consecutive days, fast running while sore, session times the clocks skip. Problems stand
    on the athlete's `training_days` and `session_time` (the athlete at `athlete` in `source`)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    here = athlete + ("training_days",)
    spacing = plan.graded.program.spec.spacing
    short = _first_short_rest(plan)
    if short is not None:
        before, after = short
        errors.append(
            source.problem(
                here,
                (
                    f"hard sessions on {before:%a %d %b %Y} and {after:%a %d %b %Y} are less than "
                    f"{spacing.hours} hours apart ({plan.graded.program.id}); "
                    "expected training days that leave a rest day between hard sessions"
                ),
            )
        )
    crowded = next((week for week in plan.weeks if week.unplaced), None)
    if crowded is not None:
        wanted = len(crowded.dosed.sessions)
        errors.append(
            source.problem(
                here,
                (
                    f"week {crowded.number} ({crowded.phase.title}) has {wanted} sessions, "
                    f"but only {len(crowded.sessions)} of the athlete's training days fall in it; "
                    f"expected at least {wanted} training days"
                ),
            )
        )
    monotonous = next((week for week in plan.weeks if _monotony(week) > MONOTONY_LIMIT), None)
    if monotonous is not None:
        value = _monotony(monotonous)
        said = "the same load every day" if value == float("inf") else f"monotony {value:.2f}"
        warnings.append(
            source.problem(
                here,
                (
                    f"week {monotonous.number}: {said}, above the {MONOTONY_LIMIT} limit of daily-load monotony; "
                    "expected more variation between hard, easy and rest days"
                ),
            )
        )
    if spacing.running_apart:
        days = _first_running_days_in_a_row(plan.sessions())
        if days is not None:
            warnings.append(
                source.problem(
                    here,
                    (
                        f"sessions with running on {days[0]:%a %d %b %Y} and {days[1]:%a %d %b %Y}, "
                        f"consecutive days ({plan.graded.program.id}); expected a day without running "
                        "between runs (Green 2022)"
                    ),
                )
            )
    sore = _first_fast_run_while_sore(plan.sessions())
    if sore is not None:
        name, before, after = sore
        warnings.append(
            source.problem(
                here,
                (
                    f"{name} on {before:%a %d %b %Y} and running at {FAST_PCT} % or faster on "
                    f"{after:%a %d %b %Y} ({plan.graded.program.id}), while the muscle may still be sore; "
                    "expected fast running before it, or after its soreness_days"
                ),
            )
        )
    warnings.extend(_clock_changes(plan, source, athlete + ("session_time",)))
    return Findings(tuple(errors), tuple(warnings))


def _clock_changes(plan: Plan, source: Source, here: KeyPath) -> list[Problem]:
    """A warning for each session whose start time the clocks skip or show twice that day."""
    athlete = plan.athlete
    if athlete.session_time is None:
        return []
    found: list[Problem] = []
    for day in sorted({session.date for session in plan.sessions()}):
        change = clock_change(day, athlete.session_time, athlete.timezone)
        if change is None:
            continue
        how, shown = change
        said = (
            f"does not exist in {athlete.timezone} on {day:%a %d %b %Y} (the clocks go forward): "
            f"calendars will show {shown:%H:%M}"
            if how == "skipped"
            else f"happens twice in {athlete.timezone} on {day:%a %d %b %Y} (the clocks go back): "
            f"calendars will show the first {shown:%H:%M}, before the clocks go back"
        )
        found.append(
            source.problem(
                here,
                f"{athlete.session_time:%H:%M} {said}; expected a session time that every training day has once",
            )
        )
    return found


def _first_short_rest(plan: Plan) -> tuple[dt.date, dt.date] | None:
    spacing = plan.graded.program.spec.spacing
    hard = set(spacing.kinds)
    previous = None
    for session in plan.sessions():
        if session.dose.session.spec.kind not in hard:
            continue
        if previous is not None and (session.date - previous).days * 24 < spacing.hours:
            return previous, session.date
        previous = session.date
    return None


def _first_running_days_in_a_row(sessions: list[ScheduledSession]) -> tuple[dt.date, dt.date] | None:
    """The first two consecutive days that both have a session with running."""
    running = sorted({session.date for session in sessions if _runs(session)})
    return next(((a, b) for a, b in itertools.pairwise(running) if (b - a).days == 1), None)


def _first_fast_run_while_sore(sessions: list[ScheduledSession]) -> tuple[str, dt.date, dt.date] | None:
    """The first drill that leaves soreness followed, within its soreness_days, by fast running.

    Sessions are in date order, so only the few that follow within a week are looked at.
    """
    for index, session in enumerate(sessions):
        for block in session.dose.blocks:
            for item in block.items:
                days = item.drill.soreness_days
                if days is None:
                    continue
                for later in sessions[index + 1 :]:
                    gap = (later.date - session.date).days
                    if gap > days:
                        break
                    if gap > 0 and top_intensity(later.dose) >= FAST_PCT:
                        return item.drill.name, session.date, later.date
    return None


def _runs(session: ScheduledSession) -> bool:
    """Whether a session has running in it: a running kind, or a drill run at a stated speed."""
    kind = session.dose.session.spec.kind
    return kind in RUNNING_KINDS - {"technique"} or top_intensity(session.dose) > 0


def _monotony(week: Week) -> float:
    """Mean ÷ standard deviation of the week's daily loads, rest days counting as zero."""
    daily = [0] * 7
    for session in week.sessions:
        daily[(session.date - week.start).days] += session.dose.load
    return _monotony_of(tuple(daily))


@functools.lru_cache(maxsize=4096)
def _monotony_of(daily: tuple[int, ...]) -> float:
    """Monotony of some daily loads: most weeks of a roster share their loads, so each is worked out once."""
    spread = statistics.pstdev(daily)
    if spread == 0:
        return 0.0 if sum(daily) == 0 else float("inf")
    return statistics.fmean(daily) / spread
