"""Problems in the input, reported all at once with the place they stand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import click


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
        return f"{self.file}:{self.line}:{self.column}:{where} {self.message}"


class InputError(click.ClickException):
    """The input holds problems: each is printed on its own line, then the command exits 1."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems), key=_reading_order))
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")

    def show(self, file: IO[Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(f"error: {problem}", file=file, err=True)
        click.echo(f"Stopped: {self.message}; nothing was written.", file=file, err=True)


class TemplateProblem(click.ClickException):
    """A template could not be rendered: named with its file and line."""

    exit_code = 1


class SettingError(click.UsageError):
    """An environment variable holds a value the build cannot use (exit 2, like a bad option)."""


class StrictWarnings(click.ClickException):
    """`--strict` turned warnings into a failure."""

    exit_code = 1

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} warning{'s' * (count != 1)} with --strict; nothing was written.")


def _reading_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line, problem.column, problem.message)
