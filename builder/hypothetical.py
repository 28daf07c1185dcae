"""A hypothetical athlete: a plan previewed from command-line options, never written anywhere.

The athlete is validated as the roster's are (the `Athlete` model, then the roster's checks
of program, grade and muscle, then the checks of the plan), and every problem names the
option it came from: `--grade 5: program 'hamstring' has no variant for grade '5'; ...`.
The plan is scheduled like a roster athlete's, on the weeks the gather dosed already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from builder import wording
from builder.build import Gathered
from builder.check import check_plan
from builder.errors import Problem
from builder.models import Athlete
from builder.plan import Plan
from builder.resolve import assign, athlete_problems
from builder.schedule import schedule_plan
from builder.source import Source

HYPOTHETICAL_ID = "hypothetical"
"""The athlete id of a hypothetical athlete: no roster id can take its place in a message."""
DEFAULT_TIMEZONE = "UTC"
"""A hypothetical athlete's time zone when `--timezone` is not given (it moves no date of the plan)."""
DEFAULT_SIDE = "left"

OPTIONS = {
    "injury.type": "--injury",
    "injury.grade": "--grade",
    "injury.side": "--side",
    "injury.muscle": "--muscle",
    "injury.date": "--injury-date",
    "start": "--start",
    "timezone": "--timezone",
    "training_days": "--days",
    "session_time": "--time",
    "program": "--program",
}
"""Each option of a hypothetical athlete, by the roster key it stands for."""


@dataclass(frozen=True)
class Given:
    """A hypothetical athlete's options as typed (None where left out)."""

    injury: str
    grade: str
    start: str
    days: str
    side: str | None = None
    muscle: str | None = None
    injury_date: str | None = None
    timezone: str | None = None
    time: str | None = None
    program: str | None = None

    def typed(self) -> dict[str, str]:
        """Each given option's text, by option name."""
        values = {
            "--injury": self.injury,
            "--grade": self.grade,
            "--side": self.side,
            "--muscle": self.muscle,
            "--injury-date": self.injury_date,
            "--start": self.start,
            "--timezone": self.timezone,
            "--days": self.days,
            "--time": self.time,
            "--program": self.program,
        }
        return {option: value for option, value in values.items() if value is not None}

    def data(self) -> dict[str, Any]:
        """The athlete as the roster would hold it."""
        injury = {"type": self.injury, "grade": self.grade, "side": self.side or DEFAULT_SIDE}
        injury |= {"muscle": self.muscle} if self.muscle is not None else {}
        injury |= {"date": self.injury_date} if self.injury_date is not None else {}
        athlete: dict[str, Any] = {
            "name": wording.HYPOTHETICAL_NAME,
            "injury": injury,
            "start": self.start,
            "timezone": self.timezone or DEFAULT_TIMEZONE,
            "training_days": [day.strip() for day in self.days.split(",")],
        }
        athlete |= {"session_time": self.time} if self.time is not None else {}
        athlete |= {"program": self.program} if self.program is not None else {}
        return athlete


class BadOptions(Exception):
    """The options make no valid athlete or no valid plan: each problem names its option."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(dict.fromkeys(problems))


@dataclass(frozen=True)
class Preview:
    """A hypothetical athlete's plan, and the warnings its checks found (each naming its option)."""

    plan: Plan
    warnings: tuple[str, ...]


def hypothetical_plan(gathered: Gathered, given: Given) -> Preview:
    """The plan of the athlete the options describe, checked as a roster athlete's; raise BadOptions."""
    typed = given.typed()
    source = Source("options", given.data(), {}, {})
    athlete, problems = source.validate(Athlete)
    if athlete is None:
        raise BadOptions(_named(problems, typed))
    library = gathered.library
    problems = athlete_problems(athlete, library, source, ())
    if problems:
        raise BadOptions(_named(problems, typed))
    assignment = assign(HYPOTHETICAL_ID, athlete, library, gathered.resolution.graded)
    plan = schedule_plan(assignment, gathered.weeks[assignment.graded.key])
    findings = check_plan(plan, source, ())
    if findings.errors:
        raise BadOptions(_named(list(findings.errors), typed))
    return Preview(plan, tuple(_named(list(findings.warnings), typed)))


def _named(problems: list[Problem], typed: Mapping[str, str]) -> list[str]:
    """Problems as `--option value: message`, placed by the roster key each stands on."""
    named = []
    for problem in problems:
        key = problem.where.split("[")[0]  # training_days[2] is --days
        option = OPTIONS.get(key)
        message = problem.message
        if option is None:  # a problem of the whole athlete: "training_days names a day twice"
            first, _, rest = message.partition(" ")
            option = next((name for key, name in OPTIONS.items() if key.split(".")[-1] == first), None)
            message = rest if option is not None else message
        if option is None:
            named.append(message)
        else:
            named.append(f"{option} {typed.get(option, '')}".rstrip() + f": {message}")
    return named
