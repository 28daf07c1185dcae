"""The Plan: what the dose and schedule stages make and the render stage lays out.

Doses are shared: every athlete on the same program and grade points at the same
`SessionDose` objects, so their text is rendered once however many athletes follow it.
Each athlete has their own schedule: dated weeks that point at those doses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from builder.linked import GradedPhase, GradedProgram, Item, LinkedBlock, LinkedCriterion, LinkedSession, Rule
from builder.models import Athlete, LogRecord


@dataclass(frozen=True, slots=True)
class DoseKey:
    """Names a dose within its program: phase, session, progression step, deload or not."""

    phase: str
    session: str
    step: int
    """Week of progression within the phase, from 1 (deload weeks hold it)."""
    deload: bool
    origin: str = ""
    """What made the session its own (its `LinkedSession.origin`): "" for the program's."""


@dataclass(frozen=True, slots=True, eq=False)
class BlockDose:
    """A block of a session with its drills dosed for the week."""

    block: LinkedBlock
    items: tuple[Item, ...]
    """Each drill with its dose for the week: progression and deload applied."""


@dataclass(frozen=True, slots=True, eq=False)
class SessionDose:
    """A session template as done in one week of one phase."""

    key: DoseKey
    session: LinkedSession
    phase: GradedPhase
    minutes: int
    blocks: tuple[BlockDose, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.session.rules

    @property
    def load(self) -> int:
        """Session load: minutes × RPE (Foster)."""
        return round(self.minutes * self.session.spec.rpe)


@dataclass(frozen=True, slots=True, eq=False)
class DosedWeek:
    """One week of a graded program before it has dates: the same for every athlete of it."""

    phase: GradedPhase
    week_in_phase: int
    deload: bool
    sessions: tuple[SessionDose, ...]

    @property
    def closes_phase(self) -> bool:
        return self.week_in_phase == self.phase.weeks


@dataclass(frozen=True, slots=True)
class EventId:
    """What an event is, whatever its date: it names the event in every feed, build after build."""

    athlete: str
    program: str
    phase: str
    week_in_phase: int
    repeat: int
    """0 for the week as first planned; 1, 2... for each time it is done again."""
    slot: int | None
    """Position in the week's pattern, from 1; None for the phase's check-in."""


@dataclass(frozen=True, slots=True)
class ScheduledSession:
    """A session on a date of the athlete's plan."""

    date: dt.date
    slot: int
    """Position in the week's pattern, from 1."""
    dose: SessionDose
    event: EventId


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The end of a phase: its exit criteria are tested before the next phase starts."""

    date: dt.date
    phase: GradedPhase
    next_phase: GradedPhase | None
    event: EventId

    @property
    def criteria(self) -> tuple[LinkedCriterion, ...]:
        return self.phase.linked.exit


Effect = Literal[
    "none",  # history only: the plan goes on as it was
    "kept",  # a pass on (or after) the check-in's day: the plan goes on as projected
    "early",  # an early pass: the next phase starts the day after
    "repeat-week",  # the phase's last week again, then the check-in again
    "repeat-phase",  # the whole phase again
    "step-back-phase",  # the previous phase's last week, then this phase again
    "hold",  # the current dose is kept for some days
    "step-back",  # the previous week's dose
    "pause",  # no training until a resume
    "resume",  # training again, from the interrupted week
    "cleared",  # cleared to return to play: the gated phases end
]
"""What a record did to the plan."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A record of the athlete's log as the plan applied it."""

    index: int
    """Position in the log's records, from 0."""
    record: LogRecord
    effect: Effect
    rule: Rule | None = None
    """The monitoring rule a pain report matched."""
    phase: GradedPhase | None = None
    """The phase a check-in result or a re-planning decision concerns."""
    days: int = 0
    """How long a hold lasts."""


@dataclass(frozen=True, slots=True)
class Pause:
    """Days without training: from a pause until a resume (open-ended without one)."""

    start: dt.date
    """The first day without training."""
    end: dt.date | None
    """The day training starts again (the first week start on or after a resume), if recorded;
    the same as `start` when a resume came before any training day was lost."""
    entry: Entry


@dataclass(frozen=True, slots=True)
class LogProblem:
    """A record the plan cannot apply: placed at `file:line:column` by the check stage."""

    index: int
    key: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Week:
    """A week of one athlete's plan: a dosed week laid on seven dates (fewer when a record cut it short)."""

    number: int
    """Position in the athlete's plan, from 1."""
    dosed: DosedWeek
    repeat: int
    start: dt.date
    sessions: tuple[ScheduledSession, ...]
    unplaced: tuple[SessionDose, ...]
    """Sessions that found no training day in the week (too few training days)."""
    check_in: CheckIn | None
    days: int = 7
    """Days the week lasted: fewer when a record changed the plan before its end."""
    entries: tuple[Entry, ...] = ()
    """The records dated in the week."""

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)

    @property
    def phase(self) -> GradedPhase:
        return self.dosed.phase

    @property
    def load(self) -> int:
        return sum(session.dose.load for session in self.sessions)


@dataclass(frozen=True, slots=True)
class PhaseDates:
    """A phase's projected (earliest) dates in one athlete's plan."""

    phase: GradedPhase
    weeks: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Plan:
    """One athlete's whole plan, week by week, with projected (earliest) dates."""

    athlete_id: str
    athlete: Athlete
    graded: GradedProgram
    weeks: tuple[Week, ...]
    phases: tuple[PhaseDates, ...]
    entries: tuple[Entry, ...] = ()
    """The athlete's log, record by record, as applied."""
    pauses: tuple[Pause, ...] = ()
    problems: tuple[LogProblem, ...] = ()
    """Records that could not be applied (the build stops on them)."""
    first_planned: Plan | None = None
    """The plan as projected without the log, to show where moved dates were."""

    @property
    def start(self) -> dt.date:
        return self.weeks[0].start

    @property
    def end(self) -> dt.date:
        return self.weeks[-1].end if self.weeks else self.athlete.start

    @property
    def paused(self) -> Pause | None:
        """The pause the plan ends in, if no resume followed it."""
        return self.pauses[-1] if self.pauses and self.pauses[-1].end is None else None

    def check_ins(self) -> list[CheckIn]:
        """Every check-in of the plan in date order."""
        return [week.check_in for week in self.weeks if week.check_in is not None]

    def sessions(self) -> list[ScheduledSession]:
        """Every session of the plan in date order."""
        return [session for week in self.weeks for session in week.sessions]
