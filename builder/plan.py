"""The Plan: what the expand stage makes and the render stage lays out.

Doses are shared: every athlete on the same program and grade points at the same
`SessionDose` objects, so their text is rendered once however many athletes follow it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from builder.models import Athlete, Block, Criterion, DrillItem, DrillPage, PainRule, Phase, Session
from builder.resolve import GradedProgram


@dataclass(frozen=True, slots=True, eq=False)
class DrillDose:
    """A drill with the dose of one week: progression and deload applied."""

    drill: DrillPage
    dose: DrillItem


@dataclass(frozen=True, slots=True, eq=False)
class BlockDose:
    """A block of a session with its drills dosed for the week."""

    block: Block
    items: tuple[DrillDose, ...]


@dataclass(frozen=True, slots=True, eq=False)
class SessionDose:
    """A session template as done in one week of one phase."""

    key: str
    """Names the dose within its program: phase, session and progression step."""
    session_id: str
    session: Session
    phase: Phase
    step: int
    """Week of progression within the phase, from 1 (deload weeks hold it)."""
    deload: bool
    minutes: int
    blocks: tuple[BlockDose, ...]
    rules: tuple[tuple[str, PainRule], ...]

    @property
    def load(self) -> int:
        """Session load: minutes × RPE (Foster)."""
        return round(self.minutes * self.session.rpe)


@dataclass(frozen=True, slots=True, eq=False)
class WeekTemplate:
    """One week of a graded program before it has dates: the same for every athlete."""

    number: int
    phase: Phase
    phase_number: int
    week_in_phase: int
    phase_weeks: int
    deload: bool
    sessions: tuple[SessionDose, ...]
    closes_phase: bool


@dataclass(frozen=True, slots=True)
class ScheduledSession:
    """A session on a date of the athlete's plan."""

    date: dt.date
    slot: int
    """Position in the week's pattern, from 1; with the week it names the event."""
    dose: SessionDose
    uid: str


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The end of a phase: its exit criteria are tested before the next phase starts."""

    date: dt.date
    phase: Phase
    criteria: tuple[tuple[str, Criterion], ...]
    next_phase: Phase | None
    uid: str


@dataclass(frozen=True, slots=True)
class Week:
    """A week of the athlete's plan, from its start date, seven days long."""

    template: WeekTemplate
    start: dt.date
    end: dt.date
    sessions: tuple[ScheduledSession, ...]
    unplaced: tuple[SessionDose, ...]
    """Sessions that found no training day in the week (too few training days)."""
    check_in: CheckIn | None

    @property
    def number(self) -> int:
        return self.template.number

    @property
    def load(self) -> int:
        return sum(session.dose.load for session in self.sessions)


@dataclass(frozen=True, slots=True)
class PhaseDates:
    """A phase's projected (earliest) dates in the plan."""

    phase: Phase
    number: int
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

    @property
    def start(self) -> dt.date:
        return self.weeks[0].start

    @property
    def end(self) -> dt.date:
        return self.weeks[-1].end

    def sessions(self) -> list[ScheduledSession]:
        return [session for week in self.weeks for session in week.sessions]
