"""The linked program: what the resolve stage hands on.

Every reference of the format is followed once, in resolve: a phase holds its
sessions, a session its blocks, a block its drills, an exit its criteria. Later
stages walk these objects and never look an id up again. Objects are compared by
identity (`eq=False`): two sessions with the same fields are still two sessions.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.library import Library
from builder.models import (
    Athlete,
    Block,
    Criterion,
    DrillItem,
    DrillPage,
    GradeVariant,
    HomeItem,
    Monitoring,
    MuscleVariant,
    PainRule,
    Phase,
    Program,
)
from builder.models import Session as SessionSpec


@dataclass(frozen=True, slots=True, eq=False)
class Item:
    """A drill of a block, with the dose as written (before progression and deloads)."""

    drill: DrillPage
    dose: DrillItem


@dataclass(frozen=True, slots=True, eq=False)
class HomeDrill:
    """An exercise a phase has done at home, with its drill."""

    drill: DrillPage
    spec: HomeItem


@dataclass(frozen=True, slots=True, eq=False)
class LinkedBlock:
    """A block of a session with its drills; `shared` blocks stay the same every week."""

    spec: Block
    items: tuple[Item, ...]
    shared: bool


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """A monitoring rule, with its id."""

    id: str
    spec: PainRule


@dataclass(frozen=True, slots=True, eq=False)
class LinkedCriterion:
    """A test behind a phase exit, with its id."""

    id: str
    spec: Criterion


@dataclass(frozen=True, slots=True, eq=False)
class LinkedSession:
    """A session template with its blocks and the monitoring rules shown with it."""

    id: str
    spec: SessionSpec
    blocks: tuple[LinkedBlock, ...]
    rules: tuple[Rule, ...]
    monitoring: Monitoring
    """The pain scale and limit the session is done with (a grade may set its own limit)."""
    origin: str = ""
    """What made the session its own, as a folder name: "" for the program's, else `grade-3c`,
    `muscle-soleus` or `pain-2` (a grade's pain limit), joined by "-"."""


@dataclass(frozen=True, slots=True, eq=False)
class LinkedPhase:
    """A phase with the sessions of its weekly pattern and the criteria of its exit."""

    spec: Phase
    pattern: tuple[LinkedSession, ...]
    exit: tuple[LinkedCriterion, ...]
    test: LinkedSession | None = None
    """The session in which the exit criteria are tested, added to the phase's last week."""
    home: tuple[HomeDrill, ...] = ()
    """Exercises done at home through every week of the phase."""

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True, eq=False)
class LinkedProgram:
    """A program with every reference followed."""

    spec: Program
    phases: tuple[LinkedPhase, ...]
    sessions: tuple[LinkedSession, ...]
    """Every session template, in the order the file gives them."""
    criteria: tuple[LinkedCriterion, ...]
    rules: dict[str, Rule]
    """Every monitoring rule, by id."""
    shared: dict[str, LinkedBlock]
    """The blocks sessions share, by id."""

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True, eq=False)
class GradedPhase:
    """A phase as one grade runs it: its length and its deload weeks at that grade."""

    linked: LinkedPhase
    number: int
    """Position among the grade's phases, from 1."""
    weeks: int
    deload_weeks: tuple[int, ...]

    @property
    def id(self) -> str:
        return self.linked.id

    @property
    def title(self) -> str:
        return self.linked.spec.title


@dataclass(frozen=True, slots=True, eq=False)
class GradedProgram:
    """A program as one injury grade runs it."""

    program: LinkedProgram
    """The program as this grade and muscle do it: its sessions and exits may be the variants' own."""
    grade: str
    variant: GradeVariant
    phases: tuple[GradedPhase, ...]
    muscle: str | None = None
    """The injured muscle whose variant the program follows, if any."""

    @property
    def key(self) -> GradeKey:
        return GradeKey(self.program.id, self.grade, self.muscle)

    @property
    def muscle_variant(self) -> MuscleVariant | None:
        return self.program.spec.muscles[self.muscle] if self.muscle is not None else None

    def after(self, phase: GradedPhase) -> GradedPhase | None:
        """The phase that follows, if any."""
        return self.phases[phase.number] if phase.number < len(self.phases) else None


@dataclass(frozen=True, slots=True)
class GradeKey:
    """Names a graded program: a program id, one of its grades and maybe one of its muscles
    (never joined into one string)."""

    program: str
    grade: str
    muscle: str | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """An athlete and the graded program they follow."""

    athlete_id: str
    athlete: Athlete
    graded: GradedProgram


@dataclass(frozen=True)
class Resolution:
    """The library linked: every program, each as its grades run it, and each athlete's."""

    library: Library
    programs: tuple[LinkedProgram, ...]
    graded: dict[GradeKey, GradedProgram]
    assignments: tuple[Assignment, ...]
