"""The pipeline: load -> resolve -> expand -> check, then render -> write.

Like MkDocs' build, it reads in two halves: first gather and check everything, so a
problem stops the build before a single file is written; then render and write.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import jinja2

from builder.check import Findings, check
from builder.errors import InputError
from builder.expand import dose_weeks, expand_plan
from builder.links import Links
from builder.load import load_library
from builder.plan import Plan, SessionDose
from builder.render_feeds import render_feeds
from builder.render_pages import make_environment, render_pages, render_session_pages
from builder.resolve import Resolution, resolve
from builder.schema import SCHEMAS, render_schemas


@dataclass(frozen=True)
class Gathered:
    """Everything a build needs, checked: the first half of a build."""

    resolution: Resolution
    plans: list[Plan]
    doses: dict[str, dict[str, SessionDose]]
    """Every dose of every program, by program id and dose key."""
    findings: Findings


def gather(project_file: Path, *, source_date_epoch: int | None = None) -> Gathered:
    """Load, resolve, expand and check; raise InputError with every problem found."""
    library = load_library(project_file, source_date_epoch=source_date_epoch)
    resolution = resolve(library)
    # Weeks are dosed once per program × grade and shared by all its athletes.
    doses: dict[str, dict[str, SessionDose]] = {program: {} for program in library.programs}
    weeks = {key: dose_weeks(graded, library.drills, doses[key[0]]) for key, graded in resolution.graded.items()}
    plans = [
        expand_plan(assignment, weeks[assignment.graded.program.id, assignment.graded.grade])
        for assignment in resolution.assignments
    ]
    findings = check(library, plans)
    if findings.errors:
        raise InputError(findings.errors)
    return Gathered(resolution, plans, doses, findings)


class TemplateProblem(click.ClickException):
    """A template could not be rendered: named with its file and line."""

    exit_code = 1


def render_site(gathered: Gathered, secret: bytes) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as (path, bytes): pages, feeds, schemas, static files."""
    library = gathered.resolution.library
    templates = (library.root / library.project.site.templates).resolve()
    links = Links(secret)
    try:
        env = make_environment(templates)
        yield from render_pages(gathered.resolution, gathered.plans, links, env)
        yield from render_session_pages(gathered.resolution, gathered.doses, links, env)
    except jinja2.TemplateError as error:
        raise TemplateProblem(_template_place(error, templates)) from None
    yield from render_feeds(gathered.resolution, gathered.plans, links, library.updated)
    yield from render_schemas()
    static = templates / "static"
    for path in sorted(static.rglob("*")) if static.is_dir() else ():
        if path.is_file():
            yield f"static/{path.relative_to(static).as_posix()}", path.read_bytes()


def count_files(gathered: Gathered) -> int:
    """How many files `render_site` yields, for the progress display."""
    library = gathered.resolution.library
    static = library.root / library.project.site.templates / "static"
    static_files = sum(1 for path in static.rglob("*") if path.is_file()) if static.is_dir() else 0
    sessions = sum(len(doses) for doses in gathered.doses.values())
    home_and_staff = 2
    public = home_and_staff + len(library.programs) + len(library.drills) + sessions + len(SCHEMAS)
    per_athlete = 2  # page and feed
    team_feed = 1
    return public + per_athlete * len(gathered.plans) + team_feed + static_files


def _template_place(error: jinja2.TemplateError, templates: Path) -> str:
    """`templates/athlete.html:12: 'plan' is undefined`, from the template's frame."""
    place: tuple[str, int | None] | None = None
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        place = (error.filename, error.lineno)
    else:
        # Jinja2 rewrites tracebacks so that template lines appear as frames.
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if Path(frame.filename).resolve().is_relative_to(templates)
        ]
        if frames:
            place = (frames[-1].filename, frames[-1].lineno)
    if place is None:
        return f"{templates.name}: {error.message}"
    name = Path(place[0])
    return f"{name.relative_to(templates.parent).as_posix()}:{place[1]}: {error.message}"
