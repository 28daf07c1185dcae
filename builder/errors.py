"""Problems in the input, reported all at once with the place they stand."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import click

SHOWN_PER_FILE = 20
"""Problems printed per file; the rest are counted on one line, so that a flood stays readable."""
EXCERPT = 40
"""Characters of a bad value quoted in a message, at most."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, at `file:line:column`."""

    file: str
    line: int
    column: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return printable(f"{self.file}:{self.line}:{self.column}:{where} {self.message}")


class InputError(click.ClickException):
    """The input holds problems: each is printed on its own line, then the command exits 1."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems), key=_reading_order))
        super().__init__(f"{_count(len(self.problems), 'problem')} found")

    def show(self, file: IO[Any] | None = None) -> None:
        for name, group in itertools.groupby(self.problems, key=lambda problem: problem.file):
            problems = list(group)
            for problem in problems[:SHOWN_PER_FILE]:
                click.echo(f"error: {problem}", file=file, err=True)
            if len(problems) > SHOWN_PER_FILE:
                more = _count(len(problems) - SHOWN_PER_FILE, "more problem")
                click.echo(f"… and {more} in {printable(name)}", file=file, err=True)
        click.echo(f"Stopped: {self.message}; nothing was written.", file=file, err=True)


class SettingError(click.UsageError):
    """An environment variable holds a value the build cannot use (exit 2, like a bad option)."""


class StrictWarnings(click.ClickException):
    """`--strict` turned warnings into a failure."""

    exit_code = 1

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} warning{'s' * (count != 1)} with --strict; nothing was written.")


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """At most `limit` characters of a value for a message, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def printable(text: str) -> str:
    """Text safe to print: a control character (a line break, an escape that recolours the
    terminal) is shown as its escape, `\\x1b`, never sent as it is."""
    return _CONTROL.sub(lambda found: repr(found[0])[1:-1], text)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'s' if number != 1 else ''}"


def _reading_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line, problem.column, problem.message)
