"""Where each athlete stands on a given day: what `sprintback status` prints.

Pure: plans and a day in, typed rows out. The day is passed in (the command reads the
clock, never the build). Which check-in is next is decided here once, for `status`,
for `checkin` (which check-in a result is for) and for the plan comparison.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from builder.models import LogRecord, PainRecord
from builder.plan import CheckIn, Effect, Entry, EventId, Pause, Plan, Week

CheckInState = Literal["upcoming", "due", "overdue"]
"""A check-in still to come, due today, or past its day with no result recorded."""

RESULT_EFFECTS: frozenset[Effect] = frozenset({"kept", "repeat-week", "repeat-phase", "step-back-phase"})
"""The effects of a check-in result that the plan applied to a check-in it had laid."""


@dataclass(frozen=True, slots=True)
class Hold:
    """A hold on progression: the same dose from its record's day to its last day."""

    start: dt.date
    last: dt.date
    entry: Entry


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one athlete stands on a day."""

    plan: Plan
    today: dt.date
    week: Week | None
    """The week of the plan that holds today (None before the start, after the end, or between weeks)."""
    next_week: Week | None
    """The first week that starts after today."""
    check_in: CheckIn | None
    """The check-in due next (see `due_check_in`); None when the plan has none left."""
    check_in_state: CheckInState | None
    last_pain: PainRecord | None
    """The latest pain report dated today or earlier."""
    holds: tuple[Hold, ...]
    """Holds in force today."""
    pause: Pause | None
    """The pause in force today."""
    future: tuple[LogRecord, ...]
    """Records dated after today: most likely a typing slip in the date."""

    @property
    def not_started(self) -> bool:
        return self.today < self.plan.start

    @property
    def finished(self) -> bool:
        return self.today > self.plan.end and self.pause is None


def squad_status(plans: Sequence[Plan], today: dt.date) -> list[Standing]:
    """Where every athlete stands on `today`, in roster order."""
    return [standing(plan, today) for plan in plans]


def standing(plan: Plan, today: dt.date) -> Standing:
    """Where one athlete stands on `today`."""
    week = next((week for week in plan.weeks if week.start <= today <= week.end), None)
    check_in = due_check_in(plan, today)
    state: CheckInState | None = None
    if check_in is not None:
        state = "due" if check_in.date == today else "overdue" if check_in.date < today else "upcoming"
    records = [entry.record for entry in sorted(plan.entries, key=lambda entry: entry.index)]
    pains = [record for record in records if isinstance(record, PainRecord) and record.date <= today]
    resumes = [entry.record.date for entry in plan.entries if entry.effect == "resume" and entry.record.date <= today]
    holds = tuple(
        Hold(entry.record.date, entry.record.date + dt.timedelta(days=entry.days), entry)
        for entry in plan.entries
        if entry.effect == "hold"
        and entry.record.date <= today <= entry.record.date + dt.timedelta(days=entry.days)
        # A resume starts the interrupted week afresh: a hold before it is over.
        and not any(entry.record.date < resumed for resumed in resumes)
    )
    pause = next(
        (
            pause
            for pause in plan.pauses
            if pause.entry.record.date <= today and (pause.end is None or today < pause.end)
        ),
        None,
    )
    return Standing(
        plan=plan,
        today=today,
        week=week,
        next_week=next((week for week in plan.weeks if week.start > today), None),
        check_in=check_in,
        check_in_state=state,
        last_pain=pains[-1] if pains else None,
        holds=holds,
        pause=pause,
        future=tuple(record for record in records if record.date > today),
    )


def recorded_check_ins(plan: Plan) -> dict[EventId, Entry]:
    """Each check-in of the plan that has a result in the log, with the result as applied.

    A result belongs to the latest check-in laid on or before its day (the schedule
    stage accepts it only if that check-in is of the result's phase).
    """
    check_ins = plan.check_ins()
    dates = [check_in.date for check_in in check_ins]
    results: dict[EventId, Entry] = {}
    for entry in plan.entries:
        if entry.effect in RESULT_EFFECTS:
            laid = bisect.bisect_right(dates, entry.record.date)
            if laid:
                results[check_ins[laid - 1].event] = entry
    return results


def open_check_ins(plan: Plan) -> list[CheckIn]:
    """The check-ins after the last one with a recorded result, in date order."""
    check_ins = plan.check_ins()
    recorded = recorded_check_ins(plan)
    last = max((index for index, check_in in enumerate(check_ins) if check_in.event in recorded), default=-1)
    return check_ins[last + 1 :]


def due_check_in(plan: Plan, day: dt.date) -> CheckIn | None:
    """The check-in a result recorded on `day` is for: the latest open check-in on or before
    the day (on time or late), else the first one after it (early)."""
    waiting = open_check_ins(plan)
    passed = [check_in for check_in in waiting if check_in.date <= day]
    if passed:
        return passed[-1]
    return waiting[0] if waiting else None
