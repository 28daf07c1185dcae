"""What changed between two plans of one athlete: phases, check-ins, sessions, the end.

Pure: two Plans in, a typed summary out. Events are matched by what they are
(`EventId`), never by position, so the same comparison serves a new record in the log
(`sprintback checkin`, `pain`, `decide`) and two revisions of the project (`diff`).
Phases are matched by id, as two gathers never share phase objects.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from builder.linked import GradedPhase
from builder.plan import CheckIn, EventId, Plan, ScheduledSession
from builder.status import open_check_ins


@dataclass(frozen=True, slots=True)
class PhaseChange:
    """A phase that lasts longer or shorter (0 days: the plan leaves it out, or newly has it)."""

    phase: GradedPhase
    """The phase as the later plan runs it (as the earlier one did, if the later leaves it out)."""
    days_before: int
    days_after: int

    @property
    def days(self) -> int:
        """Days longer (negative: shorter)."""
        return self.days_after - self.days_before


@dataclass(frozen=True, slots=True)
class Moved:
    """An event on another date."""

    event: EventId
    before: dt.date
    after: dt.date

    @property
    def days(self) -> int:
        """Days later (negative: earlier)."""
        return (self.after - self.before).days


@dataclass(frozen=True, slots=True)
class CheckInChange:
    """The next check-in with no result, before and after (None: none left)."""

    before: CheckIn | None
    after: CheckIn | None


@dataclass(frozen=True, slots=True)
class DateChange:
    """A day that moved."""

    before: dt.date
    after: dt.date


@dataclass(frozen=True)
class PlanChanges:
    """What changed from one plan of an athlete to another."""

    athlete_id: str
    phases: tuple[PhaseChange, ...]
    """Phases that last longer or shorter, in the later plan's order (none while either plan is paused)."""
    next_check_in: CheckInChange | None
    moved: tuple[Moved, ...]
    """Sessions on another date, in the later plan's order."""
    added: tuple[ScheduledSession, ...]
    removed: tuple[ScheduledSession, ...]
    end: DateChange | None
    """The projected last day, if it moved (neither plan paused)."""
    paused_from: dt.date | None
    """The first day without training of a pause the later plan ends in, if new."""
    resumed_on: dt.date | None
    """The day training resumes, if the earlier plan was paused and the later one is not."""

    @property
    def plan_changed(self) -> bool:
        """Whether any date of the plan changed (the next check-in aside)."""
        return bool(
            self.phases or self.moved or self.added or self.removed or self.end or self.paused_from or self.resumed_on
        )

    @property
    def shift(self) -> int | None:
        """The days every moved session moved by, when they all moved alike."""
        shifts = {moved.days for moved in self.moved}
        return shifts.pop() if len(shifts) == 1 else None


def compare_plans(before: Plan, after: Plan) -> PlanChanges:
    """What changed from `before` to `after` (two plans of the same athlete)."""
    sessions_before = {session.event: session for session in before.sessions()}
    sessions_after = {session.event: session for session in after.sessions()}
    moved = tuple(
        Moved(event, sessions_before[event].date, session.date)
        for event, session in sessions_after.items()
        if event in sessions_before and sessions_before[event].date != session.date
    )
    added = tuple(session for event, session in sessions_after.items() if event not in sessions_before)
    removed = tuple(session for event, session in sessions_before.items() if event not in sessions_after)

    paused = before.paused is not None or after.paused is not None
    next_after = _next_check_in(after)
    # The same check-in as it stood before (a failed one's retest was the attempt it failed), else the next one.
    waiting = open_check_ins(before)
    next_before = next(
        (c for c in waiting if next_after is not None and c.phase.id == next_after.phase.id),
        waiting[0] if waiting else None,
    )
    same = _when(next_before) == _when(next_after)
    paused_from = after.paused.start if after.paused is not None else None
    if before.paused is not None and after.paused is not None and before.paused.start == after.paused.start:
        paused_from = None
    resumed_on = None
    if before.paused is not None and after.paused is None:
        resumed_on = next((pause.end for pause in after.pauses if pause.start == before.paused.start), None)
    return PlanChanges(
        athlete_id=after.athlete_id,
        phases=() if paused else _phase_changes(before, after),
        next_check_in=None if same else CheckInChange(next_before, next_after),
        moved=moved,
        added=added,
        removed=removed,
        end=None if paused or before.end == after.end else DateChange(before.end, after.end),
        paused_from=paused_from,
        resumed_on=resumed_on,
    )


def _next_check_in(plan: Plan) -> CheckIn | None:
    waiting = open_check_ins(plan)
    return waiting[0] if waiting else None


def _when(check_in: CheckIn | None) -> tuple[EventId, dt.date] | None:
    return (check_in.event, check_in.date) if check_in is not None else None


def _phase_changes(before: Plan, after: Plan) -> tuple[PhaseChange, ...]:
    days_before, days_after = _days_by_phase(before), _days_by_phase(after)
    phases = {week.phase.id: week.phase for week in before.weeks}
    phases.update((week.phase.id, week.phase) for week in after.weeks)
    order = [phase.id for phase in after.graded.phases] + [phase.id for phase in before.graded.phases]
    return tuple(
        PhaseChange(phases[phase_id], days_before[phase_id], days_after[phase_id])
        for phase_id in dict.fromkeys(order)
        if phase_id in phases and days_before[phase_id] != days_after[phase_id]
    )


def _days_by_phase(plan: Plan) -> Counter[str]:
    """Days spent in each phase, by phase id, however many times through.

    Days between a week cut short and the next one (a record ended it early) count to
    the phase of the cut week: it lasts until the next week begins.
    """
    days: Counter[str] = Counter()
    for week, following in zip(plan.weeks, plan.weeks[1:], strict=False):
        days[week.phase.id] += (following.start - week.start).days
    if plan.weeks:
        days[plan.weeks[-1].phase.id] += plan.weeks[-1].days
    return days
