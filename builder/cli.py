"""The command line: `sprintback build | validate | plan | schema`.

Exit status: 0 done; 1 the input has problems (or warnings, with --strict), or the
site could not be written; 2 the command was called wrongly.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from builder import __version__
from builder.build import Gathered, count_files, gather, render_site
from builder.errors import Problem, StrictWarnings
from builder.links import TEAM_FEED_NAME, Links
from builder.load import PROJECT_FILE, SECRET_FILE, SECRET_VARIABLE, load_secret
from builder.schema import SCHEMAS, json_schema
from builder.text import plan_text
from builder.write import write_site

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
    gathered = _gather(project_file, strict)
    library = gathered.resolution.library
    fresh = SECRET_VARIABLE not in os.environ and not (library.root / SECRET_FILE).exists()
    secret = load_secret(library.root, dict(os.environ))
    if fresh:
        click.echo(
            f"Made a new key for private addresses in {SECRET_FILE} (git-ignored). Keep it, or set "
            f"{SECRET_VARIABLE} wherever you build: athletes' addresses change with it.",
            err=True,
        )
    target = output if output is not None else library.root / library.project.site.output
    files = render_site(gathered, secret)
    total = count_files(gathered)
    if total > PROGRESS_FROM and not quiet:
        with click.progressbar(files, length=total, label="Building", file=sys.stderr) as bar:
            count = write_site(target, bar)
    else:
        count = write_site(target, files)
    if quiet:
        return
    seconds = time.perf_counter() - began
    athletes = len(gathered.plans)
    click.echo(f"Built {count} files for {athletes} athlete{'s' * (athletes != 1)} into {target} in {seconds:.1f} s.")
    staff = Links(secret).staff_dir()
    base = str(library.project.site.base_url) if library.project.site.base_url else f"{target}/"
    click.echo(f"Staff page (private, share with staff only): {base}{staff}")
    click.echo(f"Team feed: {base}{staff}{TEAM_FEED_NAME}")


@main.command()
@project_option
@strict_option
def validate(project_file: Path, strict: bool) -> None:
    """Check programs, drills and roster, and every athlete's plan; write nothing."""
    gathered = _gather(project_file, strict)
    library = gathered.resolution.library
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
    gathered = _gather(project_file, strict=False)
    chosen = next((p for p in gathered.plans if p.athlete_id == athlete), None)
    if chosen is None:
        known = ", ".join(sorted(p.athlete_id for p in gathered.plans)) or "none"
        raise click.BadParameter(f"no athlete {athlete!r} in the roster; athletes: {known}", param_hint="ATHLETE")
    click.echo(plan_text(chosen, brief=brief))


@main.command()
@click.argument("document", type=click.Choice(sorted(SCHEMAS)), default="program")
def schema(document: str) -> None:
    """Print the JSON Schema of a program file, the project file, or a drill's front matter."""
    click.echo(json_schema(document), nl=False)


def _gather(project_file: Path, strict: bool) -> Gathered:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.strip().isdigit():
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}")
    gathered = gather(project_file, source_date_epoch=int(epoch) if epoch else None)
    _warn(gathered.findings.warnings, strict)
    return gathered


def _warn(warnings: tuple[Problem, ...], strict: bool) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if strict and warnings:
        count = len(warnings)
        raise StrictWarnings(f"{count} warning{'s' * (count != 1)} with --strict; nothing was written.")
