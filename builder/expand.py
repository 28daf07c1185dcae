"""The expand stage: program × athlete -> Plan. Pure and deterministic; no clock, no disk.

Expansion has two steps. `dose_weeks` turns a graded program into weeks of dosed
sessions, the same for every athlete on that program and grade, so it runs once per
program × grade. `expand_plan` lays those weeks on one athlete's calendar.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from builder.models import WEEKDAYS, DrillItem, DrillPage, Phase, Program, Progression
from builder.plan import (
    BlockDose,
    CheckIn,
    DrillDose,
    PhaseDates,
    Plan,
    ScheduledSession,
    SessionDose,
    Week,
    WeekTemplate,
)
from builder.resolve import Assignment, GradedProgram


def dose_weeks(
    graded: GradedProgram,
    drills: Mapping[str, DrillPage],
    doses: dict[str, SessionDose],
) -> tuple[WeekTemplate, ...]:
    """Every week of a graded program with progression and deloads applied to each dose.

    `doses` collects the program's doses by key, so that grades sharing a dose share
    one object (and its rendered text).
    """
    program = graded.program
    weeks: list[WeekTemplate] = []
    for phase_number, (phase, length) in enumerate(graded.phases, start=1):
        steps = 0  # weeks of progression so far; a deload week holds it
        for week_in_phase in range(1, length + 1):
            number = len(weeks) + 1
            deload = _is_deload(program, phase, week_in_phase, number)
            volume = program.deload.volume if deload and program.deload else 1.0
            # A deload week repeats the last week's progression at a lighter volume.
            step = max(steps - 1, 0) if deload else steps
            sessions = []
            for session_id in phase.pattern:
                key = f"{phase.id}-{session_id}-{step + 1}" + ("-deload" if deload else "")
                if key not in doses:
                    doses[key] = _dose_session(program, phase, session_id, key, step, volume, deload, drills)
                sessions.append(doses[key])
            weeks.append(
                WeekTemplate(
                    number=number,
                    phase=phase,
                    phase_number=phase_number,
                    week_in_phase=week_in_phase,
                    phase_weeks=length,
                    deload=deload,
                    sessions=tuple(sessions),
                    closes_phase=week_in_phase == length,
                )
            )
            if not deload:
                steps += 1
    return tuple(weeks)


def _is_deload(program: Program, phase: Phase, week_in_phase: int, number: int) -> bool:
    if program.deload is None:
        return False
    every = program.deload.every
    return week_in_phase in phase.deload_weeks or (every is not None and number % every == 0)


def _dose_session(
    program: Program,
    phase: Phase,
    session_id: str,
    key: str,
    steps: int,
    volume: float,
    deload: bool,
    drills: Mapping[str, DrillPage],
) -> SessionDose:
    session = program.sessions[session_id]
    blocks = []
    for block in session.blocks:
        if isinstance(block, str):
            # A shared block (the warm-up, say) is the same every time: no progression, no deload.
            shared = program.blocks[block]
            blocks.append(BlockDose(shared, tuple(DrillDose(drills[i.drill], i) for i in shared.items)))
            continue
        items = tuple(
            DrillDose(drills[item.drill], item if item.fixed else _dose_item(item, phase.progression, steps, volume))
            for item in block.items
        )
        blocks.append(BlockDose(block, items))
    rule_ids = session.rules if session.rules is not None else tuple(program.monitoring.rules)
    return SessionDose(
        key=key,
        session_id=session_id,
        session=session,
        phase=phase,
        step=steps + 1,
        deload=deload,
        minutes=max(1, _round(session.minutes * volume)),
        blocks=tuple(blocks),
        rules=tuple((rule_id, program.monitoring.rules[rule_id]) for rule_id in rule_ids),
    )


def _dose_item(item: DrillItem, progression: Progression, steps: int, volume: float) -> DrillItem:
    """Add `steps` weeks of progression, then cut the volume of a deload week.

    A deload cuts the sets (or, for a single set, the reps, else the distance, else the
    duration) and holds intensity: the athlete does less of the same work.
    """
    dose = {
        name: getattr(item, name) + steps * getattr(progression, name)
        for name in ("sets", "reps", "distance_m", "duration_s")
        if getattr(item, name) is not None
    }
    if item.intensity_pct is not None:
        ceiling = max(progression.max_intensity_pct, item.intensity_pct)
        dose["intensity_pct"] = min(item.intensity_pct + steps * progression.intensity_pct, ceiling)
    if volume < 1:
        for name in ("sets", "reps", "distance_m", "duration_s"):
            if name in dose and (name != "sets" or dose[name] > 1):
                dose[name] = max(1, _round(dose[name] * volume))
                break
    dose = {name: max(1, value) for name, value in dose.items()}
    return item.model_copy(update=dose) if dose else item


def _round(value: float) -> int:
    """Round half up, as people do (Python's round() goes to the even number)."""
    return math.floor(value + 0.5)


def expand_plan(assignment: Assignment, weeks: tuple[WeekTemplate, ...]) -> Plan:
    """Lay a graded program's weeks on an athlete's calendar, from the start date."""
    athlete = assignment.athlete
    program = assignment.graded.program
    training = {WEEKDAYS.index(day) for day in athlete.training_days}
    hard_kinds = set(program.spacing.kinds)
    gap_days = math.ceil(program.spacing.hours / 24)
    uid_stem = f"{assignment.athlete_id}-{program.id}"

    planned: list[Week] = []
    last_hard: dt.date | None = None
    for template in weeks:
        start = athlete.start + dt.timedelta(days=7 * (template.number - 1))
        days = [start + dt.timedelta(days=k) for k in range(7)]
        days = [day for day in days if day.weekday() in training]
        hard = [dose.session.kind in hard_kinds for dose in template.sessions]
        chosen = _place(hard, days, gap_days, last_hard)
        sessions = tuple(
            ScheduledSession(
                date=days[day],
                slot=slot,
                dose=template.sessions[slot - 1],
                uid=f"{uid_stem}-w{template.number}-s{slot}@sprintback",
            )
            for slot, day in enumerate(chosen, start=1)
        )
        for session in sessions:
            if session.dose.session.kind in hard_kinds:
                last_hard = session.date
        check_in = None
        if template.closes_phase:
            following = assignment.graded.phases[template.phase_number :]
            check_in = CheckIn(
                date=start + dt.timedelta(days=6),
                phase=template.phase,
                criteria=tuple((key, program.criteria[key]) for key in template.phase.exit),
                next_phase=following[0][0] if following else None,
                uid=f"{uid_stem}-w{template.number}-check-in@sprintback",
            )
        planned.append(
            Week(
                template=template,
                start=start,
                end=start + dt.timedelta(days=6),
                sessions=sessions,
                unplaced=template.sessions[len(chosen) :],
                check_in=check_in,
            )
        )

    phases = []
    for week in planned:
        if week.template.week_in_phase == 1:
            length = week.template.phase_weeks
            phases.append(
                PhaseDates(
                    phase=week.template.phase,
                    number=week.template.phase_number,
                    weeks=length,
                    start=week.start,
                    end=week.start + dt.timedelta(days=7 * length - 1),
                )
            )
    return Plan(assignment.athlete_id, athlete, assignment.graded, tuple(planned), tuple(phases))


def _place(hard: list[bool], days: list[dt.date], gap_days: int, last_hard: dt.date | None) -> list[int]:
    """Choose a training day (index into `days`) for each session, in pattern order.

    Sessions are spread evenly over the week and hard sessions keep `gap_days` apart,
    also from the last hard session of the week before. When no placement keeps the
    gap, sessions go on the earliest days in order and the check stage reports it;
    sessions beyond the number of training days are left out and reported too.
    """
    count = min(len(hard), len(days))

    def search(index: int, first_free: int, previous_hard: dt.date | None) -> list[int] | None:
        if index == count:
            return []
        ideal = index * len(days) / count
        candidates = range(first_free, len(days) - (count - index) + 1)
        for day in sorted(candidates, key=lambda d: (abs(d - ideal), d)):
            if hard[index] and previous_hard is not None and (days[day] - previous_hard).days < gap_days:
                continue
            rest = search(index + 1, day + 1, days[day] if hard[index] else previous_hard)
            if rest is not None:
                return [day, *rest]
        return None

    return search(0, 0, last_hard) or list(range(count))
