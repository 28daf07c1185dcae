"""The schedule stage: an athlete's dosed weeks laid on their calendar. Pure: no clock, no disk.

Each athlete gets their own sequence of dated weeks, pointing at the dosed weeks that
every athlete of the program and grade shares. Events are named by what they are
(`EventId`), not by where they fall, so a week done again moves later events without
renaming them.
"""

from __future__ import annotations

import datetime as dt
import math

from builder.linked import Assignment
from builder.models import WEEKDAYS
from builder.plan import CheckIn, DosedWeek, EventId, PhaseDates, Plan, ScheduledSession, Week


def schedule_plan(assignment: Assignment, dosed: tuple[DosedWeek, ...]) -> Plan:
    """Lay a graded program's dosed weeks on an athlete's calendar, from the start date."""
    athlete = assignment.athlete
    graded = assignment.graded
    spacing = graded.program.spec.spacing
    training = {WEEKDAYS.index(day) for day in athlete.training_days}
    hard_kinds = set(spacing.kinds)
    gap_days = math.ceil(spacing.hours / 24)

    def event(week: DosedWeek, repeat: int, slot: int | None) -> EventId:
        return EventId(assignment.athlete_id, graded.program.id, week.phase.id, week.week_in_phase, repeat, slot)

    weeks: list[Week] = []
    last_hard: dt.date | None = None
    start = athlete.start
    for template in dosed:
        repeat = 0
        days = [start + dt.timedelta(days=k) for k in range(7)]
        days = [day for day in days if day.weekday() in training]
        hard = [dose.session.spec.kind in hard_kinds for dose in template.sessions]
        chosen = _place(hard, days, gap_days, last_hard)
        sessions = tuple(
            ScheduledSession(days[day], slot, template.sessions[slot - 1], event(template, repeat, slot))
            for slot, day in enumerate(chosen, start=1)
        )
        for session in sessions:
            if session.dose.session.spec.kind in hard_kinds:
                last_hard = session.date
        check_in = None
        if template.closes_phase:
            following = graded.after(template.phase)
            check_in = CheckIn(start + dt.timedelta(days=6), template.phase, following, event(template, repeat, None))
        weeks.append(
            Week(
                number=len(weeks) + 1,
                dosed=template,
                repeat=repeat,
                start=start,
                sessions=sessions,
                unplaced=template.sessions[len(chosen) :],
                check_in=check_in,
            )
        )
        start += dt.timedelta(days=7)
    return Plan(assignment.athlete_id, athlete, graded, tuple(weeks), _phase_dates(weeks))


def _phase_dates(weeks: list[Week]) -> tuple[PhaseDates, ...]:
    """Each phase's first and last day in the athlete's plan."""
    phases: list[PhaseDates] = []
    for week in weeks:
        if phases and phases[-1].phase is week.phase:
            last = phases[-1]
            phases[-1] = PhaseDates(last.phase, last.weeks + 1, last.start, week.end)
        else:
            phases.append(PhaseDates(week.phase, 1, week.start, week.end))
    return tuple(phases)


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
