"""The program format: typed, immutable models validated once, at load.

Each field's docstring is its documentation: it becomes the description in the
published JSON Schema, so editors show it while a physio types.

Every count has a maximum no protocol comes near, so that no input can make a build
run for hours; and every value is taken as it was meant or refused, never reinterpreted:
YAML reads an unquoted `true` as a yes-or-no value and `1.10` as the number 1.1, and pydantic
would take `true` for 1, and a number for a date (seconds since 1970) or a time of day
(seconds since midnight). Text holds no control characters: they would break a calendar
feed's lines or reach a terminal as escape sequences.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
import unicodedata
import zoneinfo
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

Slug = Annotated[
    str,
    # Not stripped: `"ana "` and `ana` would be one key, the later silently replacing the earlier.
    StringConstraints(strip_whitespace=False, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64),
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

# --- limits ----------------------------------------------------------------------

FIRST_DAY = dt.date(1900, 1, 1)
"""The earliest start, injury or log date."""
LAST_DAY = dt.date(2999, 12, 31)
"""The latest start, injury or log date (a plan's weeks added to it stay valid dates)."""
MAX_PLAN_WEEKS = 104
"""The longest plan a grade may make, in weeks: two years."""
LINE_LENGTH = 1000
"""The most characters of one line of text: a name, a title, a citation."""
TEXT_LENGTH = 20_000
"""The most characters of a Markdown text: a summary, a goal, notes."""
MEASURE_LENGTH = 200
"""The most characters of a value measured at a check-in."""

# --- text --------------------------------------------------------------------------

_NOT_TEXT = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories of characters that are not text: controls (line feed, NUL, ESC...),
invisible formatting (bidirectional overrides...), lone surrogates, line and paragraph separators."""
_NAMES = {
    "\t": "a tab",
    "\n": "a line feed",
    "\r": "a carriage return",
    "\x00": "a NUL character",
    "\x1b": "an escape character (ESC)",
    "\x7f": "a delete character (DEL)",
    "\u2028": "a line separator (U+2028)",
    "\u2029": "a paragraph separator (U+2029)",
}
_BIDI = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def non_text_character(text: str, *, allowed: str = "") -> tuple[int, str] | None:
    """The first character of `text` that is not text (a control, format or separator
    character) and not in `allowed`: its index and name, e.g. `(11, "a line feed")`."""
    if text.isprintable():  # the common case, at C speed
        return None
    for index, char in enumerate(text):
        if char not in allowed and unicodedata.category(char) in _NOT_TEXT:
            return index, _character_name(char)
    return None


def _character_name(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in _NAMES:
        return _NAMES[char]
    if char in _BIDI:
        return f"a bidirectional override ({code})"
    category = unicodedata.category(char)
    if category == "Cc":
        return f"a control character ({code})"
    if category == "Cs":
        return f"a lone surrogate ({code})"
    return f"an invisible formatting character ({code})"


def quoted(text: str) -> str:
    """Text in double quotes for a message, with every character that is not text escaped."""
    shown = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _NOT_TEXT else c for c in shown)


def _shown(value: Any) -> str:
    """A value as a message shows what was given."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat(' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else type(value).__name__


def _text_of(value: Any, *, numbers: str) -> Any:
    """Text as written; YAML's readings of unquoted words refused where they lose what was written.

    `numbers` says which numbers stand for their text: "whole" (`grade: 2`), "any" (a
    measured `1.62`), or "none".
    """
    if isinstance(value, bool):
        raise ValueError(
            f"expected text, got {_shown(value)}: YAML reads an unquoted true or false as a yes-or-no value; "
            "put the text in quotes"
        )
    if (isinstance(value, int) and numbers in ("whole", "any")) or (isinstance(value, float) and numbers == "any"):
        return str(value)
    if isinstance(value, float):
        raise ValueError(
            f"expected text, got {_shown(value)}: put the text in quotes, as YAML reads an unquoted 1.10 "
            "as the number 1.1"
        )
    if isinstance(value, dt.date):
        raise ValueError(f"expected text, got {_shown(value)}; put the text in quotes")
    return value


_LINE_EXPECTED = "one line of text without control characters"
_MARKDOWN_EXPECTED = "text without control characters other than line feeds and tabs"


def text_problem(text: str, *, lines: bool = False, longest: int | None = None) -> str | None:
    """What is wrong with `text` as one line (or, with `lines`, as Markdown): a character that is not
    text, or too many characters; None if nothing is. Characters around the text are not counted."""
    allowed, expected = ("\n\t", _MARKDOWN_EXPECTED) if lines else ("", _LINE_EXPECTED)
    stripped = text.strip()
    found = non_text_character(stripped, allowed=allowed)
    if found is not None:
        index, name = found
        before = text[: len(text) - len(text.lstrip()) + index]
        if "\n" not in before:
            return f"expected {expected}, got {name} at character {len(before) + 1}"
        line, character = before.count("\n") + 1, len(before) - before.rindex("\n")
        return f"expected {expected}, got {name} on line {line} of the text, at character {character}"
    longest = longest or (TEXT_LENGTH if lines else LINE_LENGTH)
    if len(stripped) > longest:
        return f"expected at most {longest:,} characters of text, got {len(stripped):,}"
    return None


def _checked_text(value: Any, *, lines: bool, longest: int | None = None) -> Any:
    if not isinstance(value, str):
        return value
    problem = text_problem(value, lines=lines, longest=longest)
    if problem is not None:
        raise ValueError(problem)
    return value.strip()  # as the models strip it (Python's strip also takes U+001C-U+001F)


def _line(value: Any, numbers: str = "whole", longest: int | None = None) -> Any:
    return _checked_text(_text_of(value, numbers=numbers), lines=False, longest=longest)


def _markdown(value: Any) -> Any:
    return _checked_text(_text_of(value, numbers="whole"), lines=True)


Line = Annotated[
    str,
    BeforeValidator(_line),
    Field(min_length=1, json_schema_extra={"maxLength": LINE_LENGTH}),
]
"""One line of text: a name, a title, a cue. No line breaks, tabs or other control characters."""

Markdown = Annotated[
    str,
    BeforeValidator(_markdown),
    Field(min_length=1, json_schema_extra={"maxLength": TEXT_LENGTH}),
]
"""Text that may run over several lines (Markdown, or a sentence or two of advice)."""

Label = Annotated[
    str,
    BeforeValidator(_line),
    Field(min_length=1, json_schema_extra={"maxLength": LINE_LENGTH}),
    WithJsonSchema({"type": ["string", "integer"]}),
]
"""A short label often written as a whole number: a grade (`2`), a version (`3`, or `"1.10"` in quotes)."""


def _grade(value: Any) -> Any:
    value = _text_of(value, numbers="whole")
    if isinstance(value, str) and value != value.strip():
        # As a key, `"2 "` would be `2` once stripped, and replace grade 2 without a word.
        raise ValueError(f"expected a grade without spaces around it, got {quoted(value)}")
    return _line(value)


Grade = Annotated[str, BeforeValidator(_grade), Field(min_length=1)]
"""A grade as a key of `grades`: `1`, `2`, `2c`."""

Whole = Annotated[int, Strict()]
"""A whole number, and nothing YAML reads as one (`yes` is true, not 1)."""
Number = Annotated[float, Strict()]
"""A number, whole or not, and nothing YAML reads as one (`yes` is true, not 1)."""


def _day(value: Any) -> Any:
    """A date as YYYY-MM-DD (YAML reads an unquoted one as a date), between FIRST_DAY and LAST_DAY."""
    expected = "expected a date as YYYY-MM-DD"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        year, month, day = map(int, value.strip().split("-"))
        if not 1 <= month <= 12:
            raise ValueError(f"{expected}, got {quoted(value)}: there is no month {month}")
        if year == 0:
            raise ValueError(f"{expected}, got {quoted(value)}: there is no year 0")
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise ValueError(f"{expected}, got {quoted(value)}: {_MONTHS[month - 1]} {year} has {days} days")
        value = dt.date(year, month, day)
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"{expected}, got {_shown(value)}")
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {value}")
    return value


_MONTHS = tuple(calendar.month_name)[1:]  # English: nothing here sets a locale

Day = Annotated[dt.date, BeforeValidator(_day)]
"""A day, written YYYY-MM-DD."""


def _time_of_day(value: Any) -> Any:
    """A time of day as HH:MM; a number is refused (pydantic reads 1730 as seconds: 00:28:50)."""
    if isinstance(value, dt.time):
        return value
    expected = "expected a time of day as HH:MM"
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2359 and value % 100 < 60:
        raise ValueError(f'{expected}, got {_shown(value)}: write it as "{value // 100:02d}:{value % 100:02d}"')
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f'{expected}, got {_shown(value)}: write it with a colon, e.g. "17:30"')
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{expected}, got {_shown(value)}")
    hour, minute = map(int, match.groups())
    if hour > 23 or minute > 59:
        raise ValueError(f"{expected}, from 00:00 to 23:59, got {quoted(value)}")
    return dt.time(hour, minute)


TimeOfDay = Annotated[
    dt.time,
    BeforeValidator(_time_of_day),
    WithJsonSchema({"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"}),
]
"""A local time of day, written HH:MM."""


def _address(value: Any) -> Any:
    """An http(s) address; checked for control characters first, as URL parsing drops tabs and line feeds."""
    return _line(value, numbers="none")


WebAddress = Annotated[AnyHttpUrl, BeforeValidator(_address)]
"""An absolute http:// or https:// address."""


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

    name: Line
    """The drill's name as athletes know it."""
    category: SessionKind
    """The kind of work the drill is."""
    purpose: Line | None = None
    """Why the drill is in a plan, in one sentence."""
    loads: tuple[Line, ...] = Field(default=(), max_length=50)
    """Muscles and tissues the drill loads, e.g. `hamstrings`, `soleus` (at most 50)."""
    cues: tuple[Line, ...] = Field(default=(), max_length=50)
    """Coaching cues, shown with the drill on every session that uses it (at most 50)."""
    faults: tuple[Line, ...] = Field(default=(), max_length=50)
    """Common faults to watch for, shown on the drill's page (at most 50)."""
    regression: Slug | None = None
    """The easier drill to step back to (a drill id)."""
    progression: Slug | None = None
    """The harder drill to step up to (a drill id)."""
    cautions: dict[Slug, Markdown] = Field(default={}, max_length=50)
    """Cautions per injury type, e.g. `hamstring: keep the knee soft` (at most 50)."""
    cleared_by: dict[Slug, Slug] = Field(default={}, max_length=50)
    """By injury type, the criterion (an id of that injury's programs) whose check-in must pass before
    the drill comes in a plan, e.g. `{hamstring: pain-free-max-sprint}` for bounding."""
    soreness_days: Whole | None = Field(default=None, ge=1, le=7)
    """Days the drill can leave the muscle sore (eccentric work such as the Nordic): running at
    80 % of maximal speed or faster within them is a load-safety warning."""


class DrillPage(Drill):
    """A drill with its identity and its Markdown description (the file body)."""

    id: Slug
    description: str = ""


# --- programs (programs/*.yaml) ------------------------------------------------


class Source(Model):
    """A publication the program rests on."""

    id: Slug
    """Short key to cite the source by."""
    citation: Line
    """Authors, title, journal, year."""
    url: WebAddress | None = None
    """Where to read it."""


class PainRule(Model):
    """A rule of the monitoring section: what a symptom means for the session."""

    when: Line
    """The symptom, e.g. `pain above 3/10 during a drill`."""
    action: PainAction
    """`stop` the drill, `regress` to an easier one, `hold` progression, `step-back` to the
    previous week's dose, or `call-clinician` (which pauses the plan when a pain report matches)."""
    advice: Markdown
    """What the athlete does, in plain words."""
    pain_above: Whole | None = Field(default=None, ge=0, le=9)
    """A pain report scoring above this matches the rule, and the plan follows its action;
    leave out for a rule no score can tell (the report can name the rule instead)."""
    timing: tuple[PainTiming, ...] = Field(default=(), max_length=3)
    """When the pain must have been felt for a report to match: `during`, `after`,
    `next-morning`; any time when left out."""
    days: Whole | None = Field(default=None, ge=1, le=56)
    """How many days a `hold` lasts; the program's `replan.hold_days` when left out."""

    @model_validator(mode="after")
    def _days_only_for_hold(self) -> PainRule:
        if self.days is not None and self.action != "hold":
            raise ValueError("days is how long a hold lasts; this rule's action is not hold")
        return self


class Monitoring(Model):
    """How pain and effort are scored and what each score means."""

    pain_scale: Line
    """The scale the athlete scores pain on, e.g. `0-10, 0 no pain, 10 worst imaginable`."""
    allowed_pain: Whole = Field(ge=0, le=10)
    """Highest pain score allowed during and after a drill; shown on every session."""
    rules: dict[Slug, PainRule] = Field(max_length=50)
    """The stop, regress, hold and call-the-clinician rules, by id (at most 50)."""
    log: tuple[Line, ...] = Field(default=(), max_length=50)
    """What the athlete records after every session (RPE, pain, cues that changed...; at most 50)."""


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
    hold_days: Whole = Field(default=7, ge=1, le=56)
    """How many days a hold keeps the dose, unless its rule or decision says."""


class PhaseReplan(Model):
    """A phase's own re-planning rules: each key left out is the program's."""

    on_fail: FailAction | None = None
    """As the program's `replan.on_fail`, for this phase's check-in."""
    early_pass: bool | None = None
    """As the program's `replan.early_pass`, for this phase's check-in."""


class Criterion(Model):
    """A test behind a phase exit: how to run it and what passes."""

    name: Line
    """The test's name."""
    how: Markdown
    """How to run the test."""
    passes: Markdown
    """What counts as a pass."""


class Dose(Model):
    """How much of a drill: every field is optional, give the ones that apply."""

    sets: Whole | None = Field(default=None, ge=1, le=100)
    """Number of sets (at most 100)."""
    reps: Whole | None = Field(default=None, ge=1, le=1000)
    """Repetitions per set (at most 1,000)."""
    distance_m: Whole | None = Field(default=None, ge=1, le=100_000)
    """Distance per repetition, in metres (at most 100,000: 100 km)."""
    duration_s: Whole | None = Field(default=None, ge=1, le=86_400)
    """Duration per repetition or set, in seconds (at most 86,400: a day)."""
    intensity_pct: Whole | None = Field(default=None, ge=1, le=100)
    """Intensity as a percentage of the athlete's maximal speed."""
    rpe: Number | None = Field(default=None, ge=0, le=10)
    """Intensity as rating of perceived exertion (0-10)."""
    rest_s: Whole | None = Field(default=None, ge=0, le=3600)
    """Rest between repetitions or sets, in seconds (at most 3,600: an hour)."""
    each_side: bool = False
    """The dose is per leg."""
    side: Literal["both", "injured", "other"] = "both"
    """Which leg does it: both (the default), the injured side only, or the other side only (a
    stretch of the injured muscle once healing allows, say)."""
    note: Markdown | None = None
    """A word on how to do it this time."""


class DrillItem(Dose):
    """A drill in a block, with its dose."""

    drill: Slug
    """The drill's id in `programs/drills/`."""
    fixed: bool = False
    """The dose stays as written every week: no progression, no deload (a warm-up ride, say)."""
    from_week: Annotated[Whole, Field(ge=1, le=52)] | None = None
    """The phase's week (1 = its first) from which the drill is done: left out of the weeks before
    (a static stretch not in the first week, say). A deload week counts as the week it repeats."""


class HomeItem(Dose):
    """An exercise done at home, away from the sessions, through every week of a phase."""

    drill: Slug
    """The drill's id (its file name without `.md`)."""
    times_a_day: Whole = Field(default=1, ge=1, le=4)
    """How many times on each day it is done (the Askling Extender: twice)."""
    every_days: Whole = Field(default=1, ge=1, le=7)
    """Done every day (1), every other day (2), every third day (3) …"""


class Block(Model):
    """A part of a session (warm-up, main set, cool-down), with drills in order."""

    name: Line
    """The block's heading, e.g. `Warm-up`."""
    items: tuple[DrillItem, ...] = Field(min_length=1, max_length=50)
    """The drills, in order, each with its dose (at most 50)."""
    note: Markdown | None = None
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

    title: Line
    """The session's title as it appears in the calendar."""
    kind: SessionKind
    """What kind of session it is; drives the rest rules between hard sessions."""
    minutes: Whole = Field(ge=1, le=300)
    """Estimated minutes; session load is minutes × RPE."""
    rpe: Number = Field(ge=0, le=10)
    """Planned rating of perceived exertion (0-10)."""
    blocks: tuple[SessionBlock, ...] = Field(default=(), max_length=20)
    """Blocks in order: a shared block's id, or a block written out (at most 20)."""
    rules: tuple[Slug, ...] | None = Field(default=None, max_length=50)
    """Ids of the monitoring rules shown with this session; all rules when left out."""
    notes: Markdown | None = None
    """Notes for the athlete (Markdown)."""


class Progression(Model):
    """How the dose grows from one week of a phase to the next (added per week; less than 0 takes away)."""

    sets: Whole = Field(default=0, ge=-100, le=100)
    """Sets added each week (at most 100 either way)."""
    reps: Whole = Field(default=0, ge=-1000, le=1000)
    """Repetitions added each week (at most 1,000 either way)."""
    distance_m: Whole = Field(default=0, ge=-100_000, le=100_000)
    """Metres added each week (at most 100,000 either way)."""
    duration_s: Whole = Field(default=0, ge=-86_400, le=86_400)
    """Seconds added each week (at most 86,400 either way)."""
    intensity_pct: Whole = Field(default=0, ge=-100, le=100)
    """Percentage points of maximal speed added each week (at most 100 either way)."""
    max_intensity_pct: Whole = Field(default=100, ge=1, le=100)
    """Intensity never rises past this in the phase."""
    drills: tuple[Slug, ...] = Field(default=(), max_length=50)
    """The drills (ids) the progression moves; every drill of the phase's sessions when left out."""

    @property
    def moves(self) -> tuple[str, ...]:
        """The variables it raises each week: volume (sets, reps, distance, duration) and intensity."""
        volume = any(value > 0 for value in (self.sets, self.reps, self.distance_m, self.duration_s))
        return ("volume",) * volume + ("intensity",) * (self.intensity_pct > 0)


class Deload(Model):
    """Lighter weeks: how much lighter, and optionally a rule counted over the whole plan."""

    volume: Number = Field(gt=0, lt=1)
    """Share of the normal volume done in a deload week, e.g. 0.6."""
    every: Whole | None = Field(default=None, ge=2, le=52)
    """Every how many weeks of the plan a deload falls (4: weeks 4, 8, 12...; at most 52);
    leave out to have only the phases' `deload_weeks`."""
    not_in: tuple[Slug, ...] = Field(default=(), max_length=20)
    """Phases no deload week may fall in (rehab phases, where the dose is set by the criteria):
    a deload there is a load-safety warning."""
    longest_gap_weeks: Whole | None = Field(default=None, ge=2, le=52)
    """Most weeks in a row, outside the `not_in` phases, without a deload: more is a load-safety
    warning (a coaching convention of every 3 to 6 weeks; no trial fixes the figure)."""


PhaseWeek = Annotated[Whole, Field(ge=1, le=52)]
"""A week of a phase, 1 = its first."""


class Phase(Model):
    """A stage of the protocol: entered in order, left when its exit criteria pass."""

    id: Slug
    """The phase's id."""
    title: Line
    """The phase's title."""
    goal: Markdown
    """What the phase is for (Markdown)."""
    weeks: Whole = Field(ge=1, le=52)
    """Length in weeks for the program's reference grade; grades scale it."""
    exit: tuple[Slug, ...] = Field(default=(), max_length=20)
    """Ids of the criteria that must pass before the next phase (checked at its end; at most 20)."""
    pattern: tuple[Slug, ...] = Field(min_length=1, max_length=14)
    """The week's sessions in order (session ids); placed on the athlete's training days (at most 14)."""
    progression: Progression = Progression()
    """How the dose grows week to week inside the phase."""
    deload_weeks: tuple[PhaseWeek, ...] = Field(default=(), max_length=52)
    """Weeks of this phase (1 = its first) done at the program's deload volume."""
    milestones: tuple[Line, ...] = Field(default=(), max_length=50)
    """Milestones worth marking in this phase (at most 50)."""
    replan: PhaseReplan = PhaseReplan()
    """This phase's own re-planning rules (what a failed check-in does, early passes)."""
    test: Slug | None = None
    """The session in which the exit criteria are tested (a session id): added to the phase's last
    week, on a training day, and the check-in falls on its day. A test is a load: it counts in
    the week's load and keeps the rest between hard sessions."""
    home: tuple[HomeItem, ...] = Field(default=(), max_length=20)
    """Exercises done at home through every week of the phase, as the trials behind them dosed
    them (the Askling Extender twice a day, say): listed with each week of the athlete's plan,
    and one all-day event a week in the athlete's calendar."""
    clears_pct: Whole | None = Field(default=None, ge=1, le=100)
    """The running intensity (% of maximal speed) a pass of this phase's check-in clears for
    the phases after it. With any phase saying it, running above what the check-ins so far
    have cleared is a load-safety warning."""


class ContentChange(Model):
    """What a variant (a grade, a muscle) does its own way in the protocol's content."""

    sessions: dict[Slug, Session] = Field(default={}, max_length=100)
    """Sessions done this variant's way, by the id of the program's session each replaces: a whole
    session as in the program's `sessions` (drills, doses, blocks, rules, notes)."""
    add_exit: dict[Slug, tuple[Slug, ...]] = Field(default={}, max_length=20)
    """Criteria (ids) added to a phase's exit for this variant, by phase id: a variant may ask
    more of a gate, never less."""
    home: dict[Slug, tuple[HomeItem, ...]] = Field(default={}, max_length=20)
    """A phase's home exercises for this variant, by phase id (`[]` for none)."""
    typical_return_days: (
        tuple[Annotated[Whole, Field(ge=0, le=3650)], Annotated[Whole, Field(ge=0, le=3650)]] | None
    ) = None
    """The typical range of days from injury to return to play for this variant, e.g. `[14, 28]`
    (at most 3,650: ten years): shown against the athlete's injury date."""
    note: Markdown | None = None
    """What the variant means for the athlete."""

    @model_validator(mode="after")
    def _range_in_order(self) -> Self:
        if self.typical_return_days is not None and self.typical_return_days[0] > self.typical_return_days[1]:
            raise ValueError("typical_return_days is [fewest, most] days: the first is larger")
        return self


class MuscleVariant(ContentChange):
    """How the injured muscle (named in the roster) changes the protocol: its loading, say."""


class GradeVariant(ContentChange):
    """How an injury grade changes the protocol."""

    scale: Number = Field(default=1.0, gt=0, le=5)
    """Multiplies every phase's length in weeks (rounded half up, at least one week)."""
    weeks: dict[Slug, PhaseWeek] = Field(default={}, max_length=20)
    """Phase lengths in weeks for this grade, by phase id; wins over `scale`."""
    deload_weeks: dict[Slug, tuple[PhaseWeek, ...]] = Field(default={}, max_length=20)
    """A phase's deload weeks at this grade, by phase id (`[]` for none); needed where the grade
    makes a phase shorter than one of its `deload_weeks`."""
    skip: tuple[Slug, ...] = Field(default=(), max_length=20)
    """Ids of phases this grade leaves out."""
    allowed_pain: Whole | None = Field(default=None, ge=0, le=10)
    """The pain allowed at this grade, 0-10, instead of the program's `monitoring.allowed_pain`."""

    def phase_weeks(self, phase: Phase) -> int:
        """A phase's length at this grade: the grade's `weeks`, else the reference length scaled, half up."""
        return self.weeks.get(phase.id, max(1, round_half_up(phase.weeks * self.scale)))


class Spacing(Model):
    """Rest the plan keeps between hard sessions."""

    kinds: tuple[SessionKind, ...] = Field(
        default=("acceleration", "max-velocity", "plyometric", "team-training", "check-in"), max_length=12
    )
    """Session kinds that count as hard."""
    hours: Whole = Field(default=48, ge=24, le=168)
    """Least hours between two hard sessions."""
    running_apart: bool = False
    """Warn when two sessions with running fall on consecutive days (for the calf: Green 2022)."""


class Program(Model):
    """A return-to-sprint protocol: one YAML file in `programs/`."""

    id: Slug
    """The program's id; pages and feed event ids are built from it."""
    title: Line
    """The program's title."""
    injury: Slug
    """The injury type the program serves, e.g. `hamstring`; athletes are matched on it."""
    grading: Line | None = None
    """The classification its grades follow, e.g. `British Athletics Muscle Injury Classification
    (BAMIC)`: a grade means what that system says, and the roster may use only the grades below."""
    version: Label
    """The protocol's version; every page and calendar event names it. A version that is not a whole
    number goes in quotes (`"1.10"`): YAML reads an unquoted 1.10 as the number 1.1."""
    summary: Markdown
    """What the program is and who it is for (Markdown)."""
    sources: tuple[Source, ...] = Field(default=(), max_length=100)
    """The evidence behind the program (at most 100)."""
    monitoring: Monitoring
    """Pain scale and the rules that stop, regress or hold a session."""
    criteria: dict[Slug, Criterion] = Field(default={}, max_length=100)
    """The tests that gate the phases, by id (at most 100)."""
    blocks: dict[Slug, Block] = Field(default={}, max_length=100)
    """Blocks shared by sessions (e.g. the standard warm-up), by id (at most 100)."""
    sessions: dict[Slug, Session] = Field(max_length=100)
    """Session templates, by id (at most 100)."""
    phases: tuple[Phase, ...] = Field(min_length=1, max_length=20)
    """The phases, in order (at most 20)."""
    deload: Deload | None = None
    """Deload weeks: their volume, and a rule such as every fourth week at 60% volume."""
    spacing: Spacing = Spacing()
    """Least rest between hard sessions."""
    replan: Replan = Replan()
    """How recorded check-ins, pain reports and decisions move the plan; phases may override."""
    ungated_pct: Whole = Field(default=0, ge=0, le=100)
    """The running intensity (% of maximal speed) allowed before any check-in has cleared more
    (0: no running at a stated intensity); counts only where a phase has `clears_pct`."""
    muscles: dict[Slug, MuscleVariant] = Field(default={}, max_length=20)
    """Variants by injured muscle (`soleus`, `gastrocnemius` …), chosen by the roster's `injury.muscle`
    (at most 20); an athlete naming none follows the program's own sessions."""
    grades: dict[Grade, GradeVariant] = Field(min_length=1, max_length=20)
    """Variants by injury grade (`1`, `2`, `3`, or with a site letter such as `2c`; at most 20); every
    athlete's grade must be one of them. No grade may make a plan longer than 104 weeks."""

    @field_validator("grades", mode="before")
    @classmethod
    def _grades_once_each(cls, grades: Any) -> Any:
        # YAML keeps `1:` (a number) and `"1":` (text) apart; as grades they are one.
        if isinstance(grades, dict):
            seen: set[str] = set()
            for grade in grades:
                if str(grade) in seen:
                    raise ValueError(f"grade {str(grade)!r} is given twice, once in quotes and once without")
                seen.add(str(grade))
        return grades

    @field_validator("grades")
    @classmethod
    def _plans_of_bounded_length(cls, grades: dict[str, GradeVariant], info: ValidationInfo) -> dict[str, GradeVariant]:
        # A long plan costs every athlete on it a page of weeks and a feed of events.
        phases: tuple[Phase, ...] = info.data.get("phases", ())
        problems = []
        for grade, variant in grades.items():
            weeks = sum(variant.phase_weeks(phase) for phase in phases if phase.id not in variant.skip)
            if weeks > MAX_PLAN_WEEKS:
                message = f"grade {grade!r} makes a plan of {weeks} weeks; expected at most {MAX_PLAN_WEEKS} weeks"
                problems.append(
                    InitErrorDetails(type=PydanticCustomError("value_error", message), loc=(grade,), input=weeks)
                )
        if problems:
            raise ValidationError.from_exception_data("grades", problems)
        return grades


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
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder of zones
        raise ValueError(f"unknown time zone {name!r}, expected an IANA name such as Europe/London") from None
    return name


TimeZone = Annotated[str, BeforeValidator(_line), AfterValidator(_known_time_zone)]


class Injury(Model):
    """The athlete's injury."""

    type: Slug
    """Injury type; the program serving it is chosen by this, e.g. `hamstring`."""
    grade: Label
    """Injury grade, e.g. `1`, `2`, `3` or `2c`; it must be one of the program's grades."""
    side: Literal["left", "right", "both"]
    """Which leg."""
    muscle: Slug | None = None
    """The injured muscle, e.g. `soleus`: one of the program's `muscles`, whose variant the plan follows."""
    date: Day | None = None
    """The day of the injury, as YYYY-MM-DD (1900 to 2999): pages count days after injury from it."""


class Athlete(Model):
    """An athlete of the roster."""

    name: Line
    """Display name."""
    injury: Injury
    """The injury the plan is for."""
    start: Day
    """The day week 1 starts (any weekday), as YYYY-MM-DD (1900 to 2999)."""
    timezone: TimeZone
    """IANA time zone of the athlete, e.g. `Europe/London`."""
    training_days: tuple[Weekday, ...] = Field(min_length=1, max_length=7)
    """Days the athlete can train, e.g. `[mon, wed, fri, sat]`."""
    session_time: TimeOfDay | None = None
    """Local start time of sessions, HH:MM (00:00 to 23:59); all-day events when left out."""
    program: Slug | None = None
    """The program to follow; by default the one serving the injury type."""
    link_key: Whole = Field(default=0, ge=0, le=1000)
    """Raise by one to replace the athlete's private page and feed addresses if they leaked (at most 1,000)."""
    old_link_keys: tuple[Annotated[Whole, Field(ge=0, le=1000)], ...] = Field(default=(), max_length=10)
    """Retired link keys whose old addresses still serve one event saying the calendar has moved, each
    below `link_key` (at most 10); `sprintback rotate --grace` adds one. Delete them when the grace
    period is over: the next build removes the old addresses."""
    calendar_name: Line | None = None
    """The name the athlete's calendar app shows for the feed, e.g. `Maya's training`, where the default
    (the athlete's name and the program's title) should not name the injury."""
    reminder_minutes: Whole | None = Field(default=None, ge=0, le=1440)
    """Minutes before each timed session that the athlete's calendar reminds them (0 to 1,440);
    the site's `reminder_minutes` when left out."""

    @field_validator("old_link_keys")
    @classmethod
    def _old_keys_below_link_key(cls, keys: tuple[int, ...], info: ValidationInfo) -> tuple[int, ...]:
        link_key = info.data.get("link_key")
        if link_key is None:  # link_key has its own error
            return keys
        for key in keys:
            if key >= link_key:
                raise ValueError(f"old link key {key} is not below link_key {link_key}: expected retired keys only")
        if len(set(keys)) != len(keys):
            raise ValueError("old_link_keys names a key twice")
        return keys

    @model_validator(mode="after")
    def _days_once_each(self) -> Athlete:
        if len(set(self.training_days)) != len(self.training_days):
            raise ValueError("training_days names a day twice")
        return self


def _folder_address(value: AnyHttpUrl) -> AnyHttpUrl:
    # Addresses are made by appending paths to it; a password in it would be on every page.
    if value.username or value.password:
        raise ValueError("expected an address without a user name or password: it is written on every page")
    if value.query or value.fragment:
        raise ValueError("expected an address without ?query or #fragment: page addresses are appended to it")
    if not (value.path or "/").endswith("/"):
        raise ValueError(f"expected the address of a folder, ending in /: {value}/")
    return value


class Site(Model):
    """Settings of the built site."""

    title: Line
    """The site's title."""
    base_url: Annotated[WebAddress, AfterValidator(_folder_address)] | None = None
    """Absolute address the site is published at, ending in `/`, e.g. `https://club.example/rehab/`;
    needed for `webcal://` links and links from calendar events."""
    programs: Line = "programs"
    """Folder of the programs, relative to the project file."""
    templates: Line = "templates"
    """Folder of the templates and static files, relative to the project file."""
    output: Line = "site"
    """Folder the site is written to, relative to the project file."""
    logs: Line = "log"
    """Folder of the athletes' logs (`<athlete id>.yaml`), relative to the project file."""
    athletes_public: bool = False
    """List athletes on the home page; off by default, as their pages hold health data."""
    refresh_hours: Whole = Field(default=12, ge=1, le=168)
    """How often calendar apps are asked to refresh the feeds."""
    staff_link_key: Whole = Field(default=0, ge=0, le=1000)
    """Raise by one to replace the private addresses of the staff page and the staff's feeds if they leaked
    (at most 1,000); `sprintback rotate --staff` does it."""
    reminder_minutes: Whole | None = Field(default=None, ge=0, le=1440)
    """Minutes before each timed session that athletes' calendars remind them (0 to 1,440), for athletes
    without their own; no reminders when left out."""
    upcoming_weeks: Whole = Field(default=4, ge=1, le=12)
    """Weeks from the build's day that the staff's upcoming feed holds: every athlete's sessions,
    check-ins and pauses (1 to 12)."""

    @property
    def address(self) -> str | None:
        """`base_url` as text (`https://club.example/rehab/`), or None without one."""
        return str(self.base_url) if self.base_url else None


class Project(Model):
    """The project file, `sprintback.yaml`: site settings and the roster."""

    site: Site
    """Site settings."""
    athletes: dict[Slug, Athlete] = Field(default={}, max_length=10_000)
    """The roster, by athlete id (at most 10,000)."""


# --- the athletes' logs (log/<athlete>.yaml) -----------------------------------

CheckInResult = Literal["pass", "fail", "not-done"]
DecisionAction = Literal["hold", "step-back", "pause", "resume", "cleared"]


def _measured(value: Any) -> Any:
    return _line(value, numbers="any", longest=MEASURE_LENGTH)


MeasuredValue = Annotated[
    str,
    BeforeValidator(_measured),
    Field(min_length=1, json_schema_extra={"maxLength": MEASURE_LENGTH}),
    WithJsonSchema({"type": ["string", "number"]}),
]
"""A measured value as written: `1.62 m`, `2`, `left 1.62 m, right 1.70 m`."""


class Record(Model):
    """What every record of a log has."""

    date: Day
    """The day it happened, as YYYY-MM-DD (1900 to 2999)."""
    note: Markdown | None = None
    """A word on it."""


class CheckInRecord(Record):
    """The result of a check-in: the tests at the end of a phase."""

    check_in: Slug
    """The phase whose check-in this is (the phase's id)."""
    result: CheckInResult
    """`pass`, `fail`, or `not-done` (the tests were not run: the check-in comes again)."""
    values: dict[Slug, MeasuredValue] = Field(default={}, max_length=100)
    """What was measured, by criterion id, e.g. `hop-tests: left 1.62 m, right 1.70 m`."""
    by: Line | None = None
    """Who assessed."""


class PainRecord(Record):
    """A pain report."""

    pain: Whole = Field(ge=0, le=10)
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
    days: Whole | None = Field(default=None, ge=1, le=56)
    """How many days a hold lasts (the program's `replan.hold_days` when left out)."""
    by: Line | None = None
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

    records: tuple[LogRecord, ...] = Field(default=(), max_length=5000)
    """Check-in results, pain reports and decisions, in date order (at most 5,000)."""
