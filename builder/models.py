"""The program format: typed, immutable models validated once, at load.

Each field's docstring is its documentation: it becomes the description in the
published JSON Schema, so editors show it while a physio types.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    model_validator,
)

Slug = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64),
]
"""An identifier: lower-case letters, digits and hyphens, e.g. `short-accelerations`."""

SessionKind = Literal[
    "technique",
    "acceleration",
    "max-velocity",
    "strength",
    "plyometric",
    "stability",
    "mobility",
    "cross-training",
    "tempo",
    "team-training",
    "rest",
    "check-in",
]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

PainAction = Literal["stop", "regress", "hold", "step-back", "call-clinician"]
PainTiming = Literal["during", "after", "next-morning"]
PAIN_TIMINGS: tuple[PainTiming, ...] = ("during", "after", "next-morning")


def _text_from_scalar(value: Any) -> Any:
    """YAML reads `grade: 2` and `version: 1.0` as numbers; the format means text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_text_from_scalar), Field(min_length=1)]

Label = Annotated[
    str,
    BeforeValidator(_text_from_scalar),
    Field(min_length=1),
    WithJsonSchema({"type": ["string", "number"]}),
]
"""Text that is often written as a number: a version (`1.2`), a grade (`2`)."""


class Model(BaseModel):
    """Base of every format model: unknown keys are errors, values never change."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
    )


# --- drills (programs/drills/*.md front matter) -------------------------------


class Drill(Model):
    """One drill of the shared library: the front matter of `programs/drills/<id>.md`."""

    name: Text
    """The drill's name as athletes know it."""
    category: SessionKind
    """The kind of work the drill is."""
    loads: tuple[Text, ...] = ()
    """Muscles and tissues the drill loads, e.g. `hamstrings`, `soleus`."""
    cues: tuple[Text, ...] = ()
    """Coaching cues, shown with the drill on every session that uses it."""
    regression: Slug | None = None
    """The easier drill to step back to (a drill id)."""
    progression: Slug | None = None
    """The harder drill to step up to (a drill id)."""
    cautions: dict[Slug, Text] = {}
    """Cautions per injury type, e.g. `hamstring: keep the knee soft`."""


class DrillPage(Drill):
    """A drill with its identity and its Markdown description (the file body)."""

    id: Slug
    description: str = ""


# --- programs (programs/*.yaml) ------------------------------------------------


class Source(Model):
    """A publication the program rests on."""

    id: Slug
    """Short key to cite the source by."""
    citation: Text
    """Authors, title, journal, year."""
    url: AnyHttpUrl | None = None
    """Where to read it."""


class PainRule(Model):
    """A rule of the monitoring section: what a symptom means for the session."""

    when: Text
    """The symptom, e.g. `pain above 3/10 during a drill`."""
    action: PainAction
    """`stop` the drill, `regress` to an easier one, `hold` progression, `step-back` to the
    previous week's dose, or `call-clinician` (which pauses the plan when a pain report matches)."""
    advice: Text
    """What the athlete does, in plain words."""
    pain_above: int | None = Field(default=None, ge=0, le=9)
    """A pain report scoring above this matches the rule, and the plan follows its action;
    leave out for a rule no score can tell (the report can name the rule instead)."""
    timing: tuple[PainTiming, ...] = ()
    """When the pain must have been felt for a report to match: `during`, `after`,
    `next-morning`; any time when left out."""
    days: int | None = Field(default=None, ge=1, le=56)
    """How many days a `hold` lasts; the program's `replan.hold_days` when left out."""

    @model_validator(mode="after")
    def _days_only_for_hold(self) -> PainRule:
        if self.days is not None and self.action != "hold":
            raise ValueError("days is how long a hold lasts; this rule's action is not hold")
        return self


class Monitoring(Model):
    """How pain and effort are scored and what each score means."""

    pain_scale: Text
    """The scale the athlete scores pain on, e.g. `0-10, 0 no pain, 10 worst imaginable`."""
    allowed_pain: int = Field(ge=0, le=10)
    """Highest pain score allowed during and after a drill; shown on every session."""
    rules: dict[Slug, PainRule]
    """The stop, regress, hold and call-the-clinician rules, by id."""
    log: tuple[Text, ...] = ()
    """What the athlete records after every session (RPE, pain, cues that changed...)."""


FailAction = Literal["repeat-week", "repeat-phase", "step-back"]


class Replan(Model):
    """How recorded check-ins and pain reports move the rest of the plan."""

    on_fail: FailAction = "repeat-week"
    """After a failed check-in: `repeat-week` does the phase's last week again, `repeat-phase`
    the whole phase, `step-back` the previous phase's last week and then this phase again;
    the check-in comes again at the end."""
    early_pass: bool = False
    """A pass recorded before the projected check-in (from the end of the phase's first week)
    ends the phase that day and pulls the following phases forward."""
    hold_days: int = Field(default=7, ge=1, le=56)
    """How many days a hold keeps the dose, unless its rule or decision says."""


class PhaseReplan(Model):
    """A phase's own re-planning rules: each key left out is the program's."""

    on_fail: FailAction | None = None
    """As the program's `replan.on_fail`, for this phase's check-in."""
    early_pass: bool | None = None
    """As the program's `replan.early_pass`, for this phase's check-in."""


class Criterion(Model):
    """A test behind a phase exit: how to run it and what passes."""

    name: Text
    """The test's name."""
    how: Text
    """How to run the test."""
    passes: Text
    """What counts as a pass."""


class Dose(Model):
    """How much of a drill: every field is optional, give the ones that apply."""

    sets: int | None = Field(default=None, ge=1)
    """Number of sets."""
    reps: int | None = Field(default=None, ge=1)
    """Repetitions per set."""
    distance_m: int | None = Field(default=None, ge=1)
    """Distance per repetition, in metres."""
    duration_s: int | None = Field(default=None, ge=1)
    """Duration per repetition or set, in seconds."""
    intensity_pct: int | None = Field(default=None, ge=1, le=100)
    """Intensity as a percentage of the athlete's maximal speed."""
    rpe: float | None = Field(default=None, ge=0, le=10)
    """Intensity as rating of perceived exertion (0-10)."""
    rest_s: int | None = Field(default=None, ge=0)
    """Rest between repetitions or sets, in seconds."""
    each_side: bool = False
    """The dose is per leg."""
    note: Text | None = None
    """A word on how to do it this time."""


class DrillItem(Dose):
    """A drill in a block, with its dose."""

    drill: Slug
    """The drill's id in `programs/drills/`."""
    fixed: bool = False
    """The dose stays as written every week: no progression, no deload (a warm-up ride, say)."""


class Block(Model):
    """A part of a session (warm-up, main set, cool-down), with drills in order."""

    name: Text
    """The block's heading, e.g. `Warm-up`."""
    items: tuple[DrillItem, ...] = Field(min_length=1)
    """The drills, in order, each with its dose."""
    note: Text | None = None
    """A word for the whole block."""


def _block_tag(value: Any) -> str:
    return "shared" if isinstance(value, str) else "block"


SessionBlock = Annotated[
    Annotated[Slug, Tag("shared")] | Annotated[Block, Tag("block")],
    Discriminator(_block_tag),
]
"""A block of a session: the id of one of the program's shared blocks, or a block written out."""


class Session(Model):
    """A session template; phases place sessions on training days."""

    title: Text
    """The session's title as it appears in the calendar."""
    kind: SessionKind
    """What kind of session it is; drives the rest rules between hard sessions."""
    minutes: int = Field(ge=1, le=300)
    """Estimated minutes; session load is minutes × RPE."""
    rpe: float = Field(ge=0, le=10)
    """Planned rating of perceived exertion (0-10)."""
    blocks: tuple[SessionBlock, ...] = ()
    """Blocks in order: a shared block's id, or a block written out."""
    rules: tuple[Slug, ...] | None = None
    """Ids of the monitoring rules shown with this session; all rules when left out."""
    notes: Text | None = None
    """Notes for the athlete (Markdown)."""


class Progression(Model):
    """How the dose grows from one week of a phase to the next (added per week)."""

    sets: int = 0
    """Sets added each week."""
    reps: int = 0
    """Repetitions added each week."""
    distance_m: int = 0
    """Metres added each week."""
    duration_s: int = 0
    """Seconds added each week."""
    intensity_pct: int = 0
    """Percentage points of maximal speed added each week."""
    max_intensity_pct: int = Field(default=100, ge=1, le=100)
    """Intensity never rises past this in the phase."""


class Deload(Model):
    """Lighter weeks: how much lighter, and optionally a rule counted over the whole plan."""

    volume: float = Field(gt=0, lt=1)
    """Share of the normal volume done in a deload week, e.g. 0.6."""
    every: int | None = Field(default=None, ge=2)
    """Every how many weeks of the plan a deload falls (4: weeks 4, 8, 12...);
    leave out to have only the phases' `deload_weeks`."""


class Phase(Model):
    """A stage of the protocol: entered in order, left when its exit criteria pass."""

    id: Slug
    """The phase's id."""
    title: Text
    """The phase's title."""
    goal: Text
    """What the phase is for (Markdown)."""
    weeks: int = Field(ge=1, le=52)
    """Length in weeks for the program's reference grade; grades scale it."""
    exit: tuple[Slug, ...] = ()
    """Ids of the criteria that must pass before the next phase (checked at its end)."""
    pattern: tuple[Slug, ...] = Field(min_length=1)
    """The week's sessions in order (session ids); placed on the athlete's training days."""
    progression: Progression = Progression()
    """How the dose grows week to week inside the phase."""
    deload_weeks: tuple[Annotated[int, Field(ge=1)], ...] = ()
    """Weeks of this phase (1 = its first) done at the program's deload volume."""
    milestones: tuple[Text, ...] = ()
    """Milestones worth marking in this phase."""
    replan: PhaseReplan = PhaseReplan()
    """This phase's own re-planning rules (what a failed check-in does, early passes)."""


class GradeVariant(Model):
    """How an injury grade changes the protocol."""

    scale: float = Field(default=1.0, gt=0, le=5)
    """Multiplies every phase's length in weeks (rounded half up, at least one week)."""
    weeks: dict[Slug, Annotated[int, Field(ge=1, le=52)]] = {}
    """Phase lengths in weeks for this grade, by phase id; wins over `scale`."""
    deload_weeks: dict[Slug, tuple[Annotated[int, Field(ge=1)], ...]] = {}
    """A phase's deload weeks at this grade, by phase id (`[]` for none); needed where the grade
    makes a phase shorter than one of its `deload_weeks`."""
    skip: tuple[Slug, ...] = ()
    """Ids of phases this grade leaves out."""
    note: Text | None = None
    """What the grade means for the athlete."""
    typical_return_days: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]] | None = None
    """The typical range of days from injury to return to play at this grade, e.g. `[14, 28]`:
    shown against the athlete's injury date."""

    @model_validator(mode="after")
    def _range_in_order(self) -> GradeVariant:
        if self.typical_return_days is not None and self.typical_return_days[0] > self.typical_return_days[1]:
            raise ValueError("typical_return_days is [fewest, most] days: the first is larger")
        return self


class Spacing(Model):
    """Rest the plan keeps between hard sessions."""

    kinds: tuple[SessionKind, ...] = ("acceleration", "max-velocity", "plyometric", "team-training")
    """Session kinds that count as hard."""
    hours: int = Field(default=48, ge=24, le=168)
    """Least hours between two hard sessions."""


class Program(Model):
    """A return-to-sprint protocol: one YAML file in `programs/`."""

    id: Slug
    """The program's id; pages and feed event ids are built from it."""
    title: Text
    """The program's title."""
    injury: Slug
    """The injury type the program serves, e.g. `hamstring`; athletes are matched on it."""
    version: Label
    """The protocol's version; every page and calendar event names it."""
    summary: Text
    """What the program is and who it is for (Markdown)."""
    sources: tuple[Source, ...] = ()
    """The evidence behind the program."""
    monitoring: Monitoring
    """Pain scale and the rules that stop, regress or hold a session."""
    criteria: dict[Slug, Criterion] = {}
    """The tests that gate the phases, by id."""
    blocks: dict[Slug, Block] = {}
    """Blocks shared by sessions (e.g. the standard warm-up), by id."""
    sessions: dict[Slug, Session]
    """Session templates, by id."""
    phases: tuple[Phase, ...] = Field(min_length=1)
    """The phases, in order."""
    deload: Deload | None = None
    """Deload weeks: their volume, and a rule such as every fourth week at 60% volume."""
    spacing: Spacing = Spacing()
    """Least rest between hard sessions."""
    replan: Replan = Replan()
    """How recorded check-ins, pain reports and decisions move the plan; phases may override."""
    grades: dict[Text, GradeVariant] = Field(min_length=1)
    """Variants by injury grade (`1`, `2`, `3`, or with a site letter such as `2c`); every athlete's grade
    must be one of them."""


def round_half_up(value: float) -> int:
    """Round as people do: 2.5 -> 3 (Python's round() goes to the even number, 2)."""
    return math.floor(value + 0.5)


def program_drills(program: Program) -> list[str]:
    """The ids of the drills a program uses, in order of first use."""
    blocks = list(program.blocks.values())
    for session in program.sessions.values():
        blocks += [block for block in session.blocks if not isinstance(block, str)]
    return list(dict.fromkeys(item.drill for block in blocks for item in block.items))


# --- the project file (sprintback.yaml) ---------------------------------------


def _known_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}, expected an IANA name such as Europe/London") from None
    return name


TimeZone = Annotated[str, AfterValidator(_known_time_zone)]


class Injury(Model):
    """The athlete's injury."""

    type: Slug
    """Injury type; the program serving it is chosen by this, e.g. `hamstring`."""
    grade: Label
    """Injury grade, e.g. `1`, `2`, `3` or `2c`; it must be one of the program's grades."""
    side: Literal["left", "right", "both"]
    """Which leg."""
    date: dt.date | None = None
    """The day of the injury, as YYYY-MM-DD: pages count days after injury from it."""


class Athlete(Model):
    """An athlete of the roster."""

    name: Text
    """Display name."""
    injury: Injury
    """The injury the plan is for."""
    start: dt.date
    """The day week 1 starts (any weekday), as YYYY-MM-DD."""
    timezone: TimeZone
    """IANA time zone of the athlete, e.g. `Europe/London`."""
    training_days: tuple[Weekday, ...] = Field(min_length=1, max_length=7)
    """Days the athlete can train, e.g. `[mon, wed, fri, sat]`."""
    session_time: dt.time | None = None
    """Local start time of sessions (HH:MM); all-day events when left out."""
    program: Slug | None = None
    """The program to follow; by default the one serving the injury type."""
    link_key: int = Field(default=0, ge=0)
    """Raise by one to replace the athlete's private page and feed addresses if they leaked."""

    @model_validator(mode="after")
    def _days_once_each(self) -> Athlete:
        if len(set(self.training_days)) != len(self.training_days):
            raise ValueError("training_days names a day twice")
        return self


class Site(Model):
    """Settings of the built site."""

    title: Text
    """The site's title."""
    base_url: AnyHttpUrl | None = None
    """Absolute address the site is published at, e.g. `https://club.example/rehab/`;
    needed for `webcal://` links and links from calendar events."""
    programs: Text = "programs"
    """Folder of the programs, relative to the project file."""
    templates: Text = "templates"
    """Folder of the templates and static files, relative to the project file."""
    output: Text = "site"
    """Folder the site is written to, relative to the project file."""
    logs: Text = "log"
    """Folder of the athletes' logs (`<athlete id>.yaml`), relative to the project file."""
    athletes_public: bool = False
    """List athletes on the home page; off by default, as their pages hold health data."""
    refresh_hours: int = Field(default=12, ge=1, le=168)
    """How often calendar apps are asked to refresh the feeds."""

    @property
    def address(self) -> str | None:
        """`base_url` as text (`https://club.example/rehab/`), or None without one."""
        return str(self.base_url) if self.base_url else None


class Project(Model):
    """The project file, `sprintback.yaml`: site settings and the roster."""

    site: Site
    """Site settings."""
    athletes: dict[Slug, Athlete] = {}
    """The roster, by athlete id."""


# --- the athletes' logs (log/<athlete>.yaml) -----------------------------------

CheckInResult = Literal["pass", "fail", "not-done"]
DecisionAction = Literal["hold", "step-back", "pause", "resume", "cleared"]
MeasuredValue = Annotated[
    str,
    BeforeValidator(_text_from_scalar),
    Field(min_length=1, max_length=200),
    WithJsonSchema({"type": ["string", "number"]}),
]
"""A measured value as written: `1.62 m`, `2`, `left 1.62 m, right 1.70 m`."""


class Record(Model):
    """What every record of a log has."""

    date: dt.date
    """The day it happened, as YYYY-MM-DD."""
    note: Text | None = None
    """A word on it."""


class CheckInRecord(Record):
    """The result of a check-in: the tests at the end of a phase."""

    check_in: Slug
    """The phase whose check-in this is (the phase's id)."""
    result: CheckInResult
    """`pass`, `fail`, or `not-done` (the tests were not run: the check-in comes again)."""
    values: dict[Slug, MeasuredValue] = {}
    """What was measured, by criterion id, e.g. `hop-tests: left 1.62 m, right 1.70 m`."""
    by: Text | None = None
    """Who assessed."""


class PainRecord(Record):
    """A pain report."""

    pain: int = Field(ge=0, le=10)
    """The pain score on the program's scale, 0-10."""
    when: PainTiming = "during"
    """When it was felt: `during` a session, `after` it, or the `next-morning`."""
    session: Slug | None = None
    """The session it came with (a session id of the program)."""
    drill: Slug | None = None
    """The drill it came with (a drill id)."""
    rule: Slug | None = None
    """The monitoring rule that applies, when the score alone cannot tell (a rule id)."""


class DecisionRecord(Record):
    """A clinician's decision."""

    decision: DecisionAction
    """`hold` progression, `step-back` to the previous week's dose, `pause` all training,
    `resume` after a pause, or `cleared` to return to play."""
    days: int | None = Field(default=None, ge=1, le=56)
    """How many days a hold lasts (the program's `replan.hold_days` when left out)."""
    by: Text | None = None
    """Who decided."""


def _record_tag(value: Any) -> str:
    if isinstance(value, dict):
        # Tags differ from every key, so that an error's place names the key, not the tag.
        for key, tag in (("check_in", "check-in-result"), ("pain", "pain-report"), ("decision", "clinician-decision")):
            if key in value:
                return tag
    return "unknown"


LogRecord = Annotated[
    Annotated[CheckInRecord, Tag("check-in-result")]
    | Annotated[PainRecord, Tag("pain-report")]
    | Annotated[DecisionRecord, Tag("clinician-decision")],
    Discriminator(
        _record_tag,
        custom_error_type="record_kind",
        custom_error_message="expected a record with check_in, pain or decision",
    ),
]
"""A record of the log: a check-in result, a pain report or a clinician's decision."""


class Log(Model):
    """An athlete's log, `log/<athlete id>.yaml`: what happened, oldest first."""

    records: tuple[LogRecord, ...] = ()
    """Check-in results, pain reports and decisions, in date order."""
