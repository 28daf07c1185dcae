"""The command line: `sprintback build | validate | plan | schema`.

Exit status: 0 done; 1 the input has problems (or warnings, with --strict), or the
site could not be written; 2 the command was called wrongly.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from builder import __version__
from builder.build import build as build_site
from builder.build import gather
from builder.errors import StrictWarnings
from builder.library import PROJECT_FILE
from builder.links import TEAM_FEED_NAME, Links
from builder.load import SECRET_FILE, SECRET_VARIABLE
from builder.schema import SCHEMAS, json_schema
from builder.views import Views

PROGRESS_FROM = 200
"""Builds with more files than this show a progress bar (on a terminal)."""

project_option = click.option(
    "-f",
    "--project",
    "project_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=PROJECT_FILE,
    show_default=True,
    help="The project file: site settings and the roster.",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sprintback")
def main() -> None:
    """Build return-to-sprint plans, a team site and calendar feeds from YAML protocols."""


@main.command()
@project_option
@strict_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site to  [default: the project's site.output]",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def build(project_file: Path, strict: bool, output: Path | None, quiet: bool) -> None:
    """Build the site: pages, calendar feeds and the format's JSON Schema."""
    began = time.perf_counter()
    with _warnings_shown(), contextlib.ExitStack() as stack:

        def progress(total: int) -> Callable[[], None]:
            if quiet or total <= PROGRESS_FROM:
                return lambda: None
            bar = stack.enter_context(click.progressbar(length=total, label="Building", file=sys.stderr))
            return lambda: bar.update(1)

        built = build_site(project_file, os.environ, output=output, strict=strict, progress=progress)
    if built.secret.made:
        click.echo(
            f"Made a new key for private addresses in {SECRET_FILE} (git-ignored). Keep it, or set "
            f"{SECRET_VARIABLE} wherever you build: athletes' addresses change with it.",
            err=True,
        )
    if quiet:
        return
    seconds = time.perf_counter() - began
    athletes = len(built.gathered.plans)
    athletes_text = f"{athletes} athlete{'s' * (athletes != 1)}"
    click.echo(f"Built {built.files} files for {athletes_text} into {built.output} in {seconds:.1f} s.")
    staff = built.links.staff_dir()
    site = built.gathered.library.project.site
    base = site.address or f"{built.output}/"
    click.echo(f"Staff page (private, share with staff only): {base}{staff}")
    click.echo(f"Team feed: {base}{staff}{TEAM_FEED_NAME}")


@main.command()
@project_option
@strict_option
def validate(project_file: Path, strict: bool) -> None:
    """Check programs, drills and roster, and every athlete's plan; write nothing."""
    with _warnings_shown():
        gathered = gather(project_file, os.environ)
    if strict and gathered.findings.warnings:
        raise StrictWarnings(len(gathered.findings.warnings))
    library = gathered.library
    click.echo(
        f"OK: {len(library.programs)} programs, {len(library.drills)} drills, "
        f"{len(gathered.plans)} athletes, {sum(len(p.sessions()) for p in gathered.plans)} sessions planned."
    )


@main.command()
@project_option
@click.argument("athlete")
@click.option("--brief", is_flag=True, help="Sessions only, without their drills.")
def plan(project_file: Path, athlete: str, brief: bool) -> None:
    """Print ATHLETE's plan week by week (ATHLETE is the id in the roster)."""
    with _warnings_shown():
        gathered = gather(project_file, os.environ)
    chosen = next((p for p in gathered.plans if p.athlete_id == athlete), None)
    if chosen is None:
        known = ", ".join(sorted(p.athlete_id for p in gathered.plans)) or "none"
        raise click.BadParameter(f"no athlete {athlete!r} in the roster; athletes: {known}", param_hint="ATHLETE")
    site = gathered.library.project.site
    views = Views(Links(gathered.library.secret.key), site.address)
    click.echo(views.athlete(chosen).text(brief=brief), nl=False)


@main.command()
@click.argument("document", type=click.Choice(sorted(SCHEMAS)), default="program")
def schema(document: str) -> None:
    """Print the JSON Schema of a program file, the project file, or a drill's front matter."""
    click.echo(json_schema(document), nl=False)


@contextlib.contextmanager
def _warnings_shown() -> Iterator[None]:
    """Print each warning the build logs as `warning: file:line:column: ...` on stderr."""
    handler = _EchoHandler()
    logger = logging.getLogger("sprintback")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)


class _EchoHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)
