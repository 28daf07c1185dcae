"""The command line: `sprintback init | build | serve | links | rotate | validate | plan | diff | schema | checkin
| pain | decide | status`.

Exit status: 0 done; 1 the input has problems (or warnings, with --strict), or the
site could not be written; 2 the command was called wrongly; 3 (`diff` only) plans change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import shlex
import sys
import tempfile
import time
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from builder import __version__, roster_edit, wording
from builder import serve as preview
from builder.build import Built, Gathered, gather
from builder.build import build as build_site
from builder.changes import compare_plans
from builder.diff import diff_projects
from builder.diff_report import json_report, markdown_report, text_report
from builder.errors import InputError, StrictWarnings, printable
from builder.feed_changes import feed_changes
from builder.hypothetical import DEFAULT_TIMEZONE, BadOptions, Given, hypothetical_plan
from builder.library import PROJECT_FILE
from builder.links import FEED_NAME, TEAM_FEED_NAME, UPCOMING_FEED_NAME, Links
from builder.load import CI_VARIABLE, EPOCH_VARIABLE, SECRET_FILE, SECRET_VARIABLE, project_path, running_in_ci
from builder.models import FIRST_DAY, LAST_DAY, MEASURE_LENGTH, PAIN_TIMINGS, DecisionAction, text_problem
from builder.plan import CheckIn, Plan
from builder.plan_data import plan_json
from builder.record import (
    CannotAppend,
    RecordData,
    append_record,
    check_in_record,
    decision_record,
    log_path,
    new_log,
    pain_record,
    write_log,
)
from builder.revision import RevisionError, check_out
from builder.schema import SCHEMAS, json_schema
from builder.shipped import PROGRAMS, TEMPLATES, shipped_folder
from builder.starter import DRILLS, GITIGNORE, StarterExists, starter, write_starter
from builder.status import due_check_in, squad_status
from builder.terminal import change_lines, standing_lines
from builder.views import Views, record_view

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
date_option = click.option("--date", "day", metavar="YYYY-MM-DD", help="The day it happened  [default: today]")
by_option = click.option("--by", metavar="NAME", help="Who assessed or decided.")
note_option = click.option("--note", metavar="TEXT", help="A word on it.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sprintback")
def main() -> None:
    """Build return-to-sprint plans, a team site and calendar feeds from YAML protocols."""


@main.command()
@click.argument("folder", metavar="[DIR]", type=click.Path(file_okay=False, path_type=Path), default=".")
def init(folder: Path) -> None:
    """Write a new project into DIR (default: here): a project file with an example athlete, the programs
    and drills that ship with Sprintback, and a .gitignore. It builds at once; nothing is overwritten."""
    project = starter()
    try:
        write_starter(folder, project)
    except StarterExists as error:
        raise _Refused(wording.starter_exists_text(str(folder), error.existing)) from None
    except OSError as error:
        raise _Refused(f"{error.filename or folder}: cannot write: {error.strerror or error}") from None
    here = folder.resolve() == Path.cwd().resolve()
    files = [PROJECT_FILE, *project.programs(), GITIGNORE]
    drills = f"{PROGRAMS}/{DRILLS}/"
    click.echo(wording.starter_written_text(str(folder), files, len(project.drills()), drills))
    click.echo(wording.starter_templates_text(str(shipped_folder(TEMPLATES))))
    click.echo(wording.starter_next_text(None if here else shlex.quote(str(folder))))


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
@click.option(
    "--show-private",
    is_flag=True,
    help="Also print the private addresses of the staff page and the team feed (refused where CI is set).",
)
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="The first day of the staff's upcoming feed  [default: SOURCE_DATE_EPOCH's day if set, else today]",
)
@click.option(
    "--changes",
    is_flag=True,
    help="Also print, per athlete, the calendar events that change, are new or are gone since the last build.",
)
def build(
    project_file: Path,
    strict: bool,
    output: Path | None,
    quiet: bool,
    show_private: bool,
    today: str | None,
    changes: bool,
) -> None:
    """Build the site: pages, calendar feeds and the format's JSON Schema."""
    if show_private:
        _refuse_private_in_ci("build --show-private")
    # The clock, for the upcoming feed alone; SOURCE_DATE_EPOCH keeps a reproducible build reproducible.
    day = _date(today, "--today") if today is not None or EPOCH_VARIABLE not in os.environ else None
    began = time.perf_counter()
    with _warnings_shown(), contextlib.ExitStack() as stack:

        def progress(total: int) -> Callable[[], None]:
            # click prints a progress bar's label even where it draws no bar: only on a terminal.
            if quiet or total <= PROGRESS_FROM or not _on_terminal():
                return lambda: None
            bar = stack.enter_context(click.progressbar(length=total, label="Building", file=sys.stderr))
            return lambda: bar.update(1)

        built = build_site(project_file, os.environ, output=output, strict=strict, progress=progress, today=day)
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
    base = built.gathered.library.project.site.address or f"{built.output}/"
    if show_private:
        for line in _staff_lines(built.links, base):
            click.echo(line)
    else:
        click.echo("Private addresses (the staff page, athletes' pages and feeds): sprintback links")
    if changes:
        _print_feed_changes(built)


FEED_CHANGES_SHOWN = 20
"""Athletes whose feed changes that `build` names; the rest are counted."""


def _print_feed_changes(built: Built) -> None:
    """What this build changed in each athlete's calendar, against the ledger the last build left."""
    before = built.gathered.library.ledger
    changes = feed_changes(before, built.published, built.gathered.plans)
    click.echo(wording.feed_changes_heading(len(changes), before.found))
    if not before.found:
        return
    for change in changes[:FEED_CHANGES_SHOWN]:
        click.echo("  " + wording.feed_change_text(change.name, change.changed, change.new, change.gone))
    if len(changes) > FEED_CHANGES_SHOWN:
        click.echo("  " + wording.diff_more_text(len(changes) - FEED_CHANGES_SHOWN))


@main.command()
@project_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Where to listen: 0.0.0.0 shows it on the network."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port; 0 takes any free one."
)
def serve(project_file: Path, host: str, port: int) -> None:
    """Preview the site on this machine, built again on every change to the project, its pages reloading.

    Builds into a temporary folder: the site folder and feeds.lock stay as they are.
    """

    def today() -> dt.date | None:  # as `build` without --today: the clock, unless SOURCE_DATE_EPOCH is set
        return None if EPOCH_VARIABLE in os.environ else dt.date.today()

    try:
        with _warnings_shown():
            preview.serve(project_file, os.environ, host, port, today)
    except preview.CannotListen as error:
        raise _Refused(str(error)) from None
    except KeyboardInterrupt:
        pass
    click.echo(wording.PREVIEW_STOPPED, err=True)


@main.command()
@project_option
@click.argument("athletes", metavar="[ATHLETE ...]", nargs=-1)
def links(project_file: Path, athletes: tuple[str, ...]) -> None:
    """Print private addresses: the staff page and team feed, and each athlete's page and feed.

    With ATHLETE ids, only those athletes' page and feed. Refused where CI is set.
    """
    _refuse_private_in_ci("links")
    with _warnings_shown():
        gathered = gather(project_file, os.environ)
    library = gathered.library
    if library.secret.made:
        raise _Refused(wording.no_key_yet_text(SECRET_FILE, SECRET_VARIABLE))
    plans = {plan.athlete_id: plan for plan in gathered.plans}
    unknown = [athlete for athlete in athletes if athlete not in plans]
    if unknown:
        known = ", ".join(sorted(plans)) or "none"
        raise click.BadParameter(f"no athlete {unknown[0]!r} in the roster; athletes: {known}", param_hint="ATHLETE")
    site = library.project.site
    base = site.address or f"{project_path(library.root, site.output).resolve()}/"  # where `build` writes
    addresses = Links(library.secret.key, site.staff_link_key)
    if not athletes:
        for line in _staff_lines(addresses, base):
            click.echo(line)
    for athlete_id in athletes or sorted(plans):
        plan = plans[athlete_id]
        folder = base + addresses.athlete_dir(athlete_id, plan.athlete)
        click.echo(f"{plan.athlete.name} ({athlete_id}): page {folder}")
        click.echo(f"{plan.athlete.name} ({athlete_id}): feed {folder}{FEED_NAME}")


def _refuse_private_in_ci(command: str) -> None:
    """Stop before printing private addresses into a CI log (exit 2)."""
    value = running_in_ci(os.environ)
    if value is not None:
        raise _LeakRefused(
            f"`sprintback {command}` prints private addresses, and {CI_VARIABLE}={value} says this runs in CI, "
            "whose logs are readable by everyone with access to the repository; run it on your own machine"
        )


@main.command()
@project_option
@click.argument("athletes", metavar="[ATHLETE ...]", nargs=-1)
@click.option("--staff", is_flag=True, help="New addresses for the staff page and the team feed instead.")
@click.option(
    "--grace",
    is_flag=True,
    help="Keep each old address, with one event saying the calendar has moved, until you delete old_link_keys.",
)
def rotate(project_file: Path, athletes: tuple[str, ...], staff: bool, grace: bool) -> None:
    """Give ATHLETEs (or, with --staff, the staff page) new private addresses, retiring leaked ones.

    Raises the athlete's `link_key` in the roster (or `site.staff_link_key`) by one, leaving the
    rest of the project file as it was, and prints the new addresses to send. The site moves at
    the next build. With --grace, the retired key goes into the athlete's `old_link_keys`: the old
    address then serves one event, "This calendar has moved", until the key is deleted. Refused
    where CI is set.
    """
    if bool(athletes) == staff:
        raise click.UsageError(wording.ROTATE_WHAT)
    if grace and staff:
        raise click.UsageError("--grace keeps athletes' old addresses; the staff page's old address is not kept")
    _refuse_private_in_ci("rotate")
    with _warnings_silenced():  # they are shown once, by the gather after the edit
        before = gather(project_file, os.environ)
    if before.library.secret.made:
        raise _Refused(wording.no_key_yet_text(SECRET_FILE, SECRET_VARIABLE))
    chosen = list(dict.fromkeys(athletes))  # each once, in the order given
    for athlete in chosen:
        _athlete_plan(before, athlete)
    keys = [roster_edit.staff_key()] if staff else [roster_edit.athlete_key(athlete) for athlete in chosen]
    path = project_file.resolve()  # a link to the project file: its target is edited
    text = path.read_bytes().decode("utf-8")  # UTF-8: the gather above read it
    try:
        edited, raised = roster_edit.raise_keys(text, keys, project_file.name, keep_old=grace)
    except roster_edit.CannotEdit as error:
        raise _Refused(str(error)) from None
    written = write_log(path, edited)
    try:
        with _warnings_shown():
            after = gather(project_file, os.environ)
    except BaseException:
        written.undo()
        raise
    for one in raised:
        click.echo(wording.rotated_text(project_file.name, one.where, one.old, one.new))
        if grace:
            click.echo(
                f"{project_file.name}: {one.where.removesuffix(roster_edit.LINK_KEY)}{roster_edit.OLD_LINK_KEYS} "
                f"keeps {one.old}: its address says the calendar has moved until you delete it."
            )
    library = after.library
    site = library.project.site
    base = site.address or f"{project_path(library.root, site.output).resolve()}/"  # where `build` writes
    addresses = Links(library.secret.key, site.staff_link_key)
    if staff:
        for line in _staff_lines(addresses, base):
            click.echo(line)
        click.echo(wording.SEND_STAFF)
    plans = {plan.athlete_id: plan for plan in after.plans}
    for athlete_id in chosen:
        plan = plans[athlete_id]
        folder = base + addresses.athlete_dir(athlete_id, plan.athlete)
        click.echo(f"{plan.athlete.name} ({athlete_id}): page {folder}")
        click.echo(f"{plan.athlete.name} ({athlete_id}): feed {folder}{FEED_NAME}")
        click.echo(wording.send_athlete_text(plan.athlete.name))
    click.echo(wording.BUILD_AND_PUBLISH)


def _staff_lines(addresses: Links, base: str) -> list[str]:
    """The staff page's and the team feed's addresses, as printed."""
    staff = base + addresses.staff_dir()
    return [
        f"Staff page (private, share with staff only): {staff}",
        f"Team feed (private): {staff}{TEAM_FEED_NAME}",
        f"Upcoming feed (private): {staff}{UPCOMING_FEED_NAME}",
    ]


def _on_terminal() -> bool:
    """Whether progress can be drawn: stderr is a terminal, not a log or a pipe."""
    return sys.stderr.isatty()


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
@click.argument("athlete", required=False)
@click.option("--brief", is_flag=True, help="Sessions only, without their drills.")
@click.option(
    "--format",
    "shape",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for people, or JSON for other tools.",
)
@click.option("--injury", metavar="TYPE", help="A hypothetical athlete's injury type, e.g. hamstring.")
@click.option("--grade", metavar="GRADE", help="Its grade, one of the program's (e.g. 2, 2c).")
@click.option("--side", metavar="SIDE", help="left, right or both  [default: left]")
@click.option("--muscle", metavar="ID", help="The injured muscle, one of the program's muscles (e.g. soleus).")
@click.option("--injury-date", metavar="YYYY-MM-DD", help="The day of the injury, to count days after it.")
@click.option("--start", metavar="YYYY-MM-DD", help="The day week 1 starts.")
@click.option("--days", metavar="DAYS", help="Training days, e.g. mon,wed,fri,sat.")
@click.option("--time", metavar="HH:MM", help="Local start time of sessions.")
@click.option("--timezone", metavar="ZONE", help=f"IANA time zone  [default: {DEFAULT_TIMEZONE}]")
@click.option("--program", metavar="ID", help="The program, where several serve the injury.")
def plan(
    project_file: Path,
    athlete: str | None,
    brief: bool,
    shape: str,
    injury: str | None,
    grade: str | None,
    side: str | None,
    muscle: str | None,
    injury_date: str | None,
    start: str | None,
    days: str | None,
    time: str | None,
    timezone: str | None,
    program: str | None,
) -> None:
    """Print ATHLETE's plan week by week (ATHLETE is the id in the roster).

    Or, instead of ATHLETE, describe a hypothetical athlete with --injury, --grade, --start and
    --days (and optionally the rest) to preview their plan without editing the roster: it is
    checked as a roster athlete's would be, and written nowhere.
    """
    options = {
        "--injury": injury,
        "--grade": grade,
        "--side": side,
        "--muscle": muscle,
        "--injury-date": injury_date,
        "--start": start,
        "--days": days,
        "--time": time,
        "--timezone": timezone,
        "--program": program,
    }
    given = [option for option, value in options.items() if value is not None]
    if athlete is not None and given:
        raise click.UsageError(wording.plan_both_text(given))
    if athlete is None and not given:
        raise click.UsageError(wording.PLAN_WHOM)
    if brief and shape == "json":
        raise click.UsageError(wording.BRIEF_IS_TEXT)
    if athlete is None:
        missing = [option for option in ("--injury", "--grade", "--start", "--days") if options[option] is None]
        if missing:
            raise click.UsageError(wording.hypothetical_needs_text(missing))
    with _warnings_shown():
        gathered = gather(project_file, os.environ)
    if athlete is None:
        assert injury is not None and grade is not None and start is not None and days is not None
        described = Given(injury, grade, start, days, side, muscle, injury_date, timezone, time, program)
        try:
            preview = hypothetical_plan(gathered, described)
        except BadOptions as error:
            raise _BadOptions(error.problems) from None
        for warning in preview.warnings:
            click.echo(f"warning: {warning}", err=True)
        chosen = preview.plan
    else:
        found = next((p for p in gathered.plans if p.athlete_id == athlete), None)
        if found is None:
            known = ", ".join(sorted(p.athlete_id for p in gathered.plans)) or "none"
            raise click.BadParameter(f"no athlete {athlete!r} in the roster; athletes: {known}", param_hint="ATHLETE")
        chosen = found
    if shape == "json":
        click.echo(plan_json(chosen, hypothetical=athlete is None))
        return
    site = gathered.library.project.site
    views = Views(Links(gathered.library.secret.key, site.staff_link_key), site.address, site.refresh_hours)
    click.echo(views.athlete(chosen).text(brief=brief), nl=False)


DIFF_CHANGES = 3
"""`sprintback diff`'s exit status when plans change (0: none does; 1: the new tree has errors)."""


@main.command()
@project_option
@click.argument("revision", default="HEAD")
@click.option("--athlete", metavar="ID", help="Only this athlete's plan.")
@click.option(
    "--format",
    "shape",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Text for the terminal, Markdown for a pull-request comment, or JSON for other tools.",
)
def diff(project_file: Path, revision: str, athlete: str | None, shape: str) -> None:
    """Show what the working tree changes in every athlete's plan, against git REVISION (default HEAD).

    Reads REVISION's programs, drills, roster and logs straight from git; writes nothing.
    Exit status: 0 no plan changes, 1 the working tree has errors, 3 plans change.
    """
    with _warnings_silenced():
        after = gather(project_file, os.environ)
        with tempfile.TemporaryDirectory(prefix="sprintback-diff-") as folder:
            try:
                old_project = check_out(revision, project_file, Path(folder))
            except RevisionError as error:
                raise _Refused(printable(str(error))) from None
            try:
                before = gather(old_project, os.environ)
            except InputError as error:
                raise _OldRevisionProblems(revision, error) from None
    if athlete is not None and not any(p.athlete_id == athlete for p in [*after.plans, *before.plans]):
        raise _Refused(wording.diff_unknown_athlete_text(athlete))
    found = diff_projects(before, after, athlete)
    if shape == "json":
        click.echo(json_report(found, revision), nl=False)
    elif shape == "markdown":
        click.echo(markdown_report(found, revision), nl=False)
    else:
        click.echo(text_report(found), nl=False)
    if found.changed:
        sys.exit(DIFF_CHANGES)


class _OldRevisionProblems(click.ClickException):
    """The earlier revision's files have problems: each printed with the revision named (exit 1)."""

    exit_code = 1

    def __init__(self, revision: str, error: InputError) -> None:
        super().__init__(error.message)
        self.revision = revision
        self.problems = error.problems

    def show(self, file: typing.IO[typing.Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(
                f"error: {wording.diff_in_revision_text(printable(self.revision))} {problem}", file=file, err=True
            )


@main.command()
@click.argument("document", type=click.Choice(sorted(SCHEMAS)), default="program")
def schema(document: str) -> None:
    """Print the JSON Schema of a program file, the project file, or a drill's front matter."""
    click.echo(json_schema(document), nl=False)


@main.command()
@project_option
@click.argument("athlete")
@click.option("--pass", "passed", is_flag=True, help="The check-in passed.")
@click.option("--fail", "failed", is_flag=True, help="The check-in did not pass.")
@click.option("--not-done", is_flag=True, help="The tests were not run: the check-in comes again.")
@date_option
@click.option(
    "--value",
    "values",
    multiple=True,
    metavar="NAME=VALUE",
    help="What was measured, by criterion id of the check-in; give it once per criterion.",
)
@by_option
@note_option
def checkin(
    project_file: Path,
    athlete: str,
    passed: bool,
    failed: bool,
    not_done: bool,
    day: str | None,
    values: tuple[str, ...],
    by: str | None,
    note: str | None,
) -> None:
    """Record the result of ATHLETE's check-in: the one due on the day (or the next one)."""
    results = [result for result, given in (("pass", passed), ("fail", failed), ("not-done", not_done)) if given]
    if len(results) != 1:
        raise click.UsageError(wording.RESULT_FLAGS)
    on = _date(day, "--date")
    _text("--by", by)
    _text("--note", note, lines=True)

    def record(plan: Plan) -> RecordData:
        check_in = due_check_in(plan, on)
        if check_in is None:
            raise _Refused(wording.no_check_in_text(plan.athlete.name))
        return check_in_record(on, check_in.phase.id, results[0], _measured(values, check_in), by, note)

    _add_record(project_file, athlete, record)


@main.command()
@project_option
@click.argument("athlete")
@click.argument("score")
@date_option
@click.option("--when", type=click.Choice(PAIN_TIMINGS), default="during", show_default=True, help="When it was felt.")
@click.option("--session", metavar="ID", help="The session it came with (a session id of the program).")
@click.option("--drill", metavar="ID", help="The drill it came with (a drill id).")
@click.option("--rule", metavar="ID", help="The monitoring rule that applies, when the score alone cannot tell.")
@note_option
def pain(
    project_file: Path,
    athlete: str,
    score: str,
    day: str | None,
    when: str,
    session: str | None,
    drill: str | None,
    rule: str | None,
    note: str | None,
) -> None:
    """Record a pain report of ATHLETE: SCORE from 0 (no pain) to 10."""
    if not re.fullmatch(r"\d{1,2}", score) or int(score) > 10:
        raise _Refused(wording.bad_score_text(score))
    on = _date(day, "--date")
    _text("--note", note, lines=True)
    _add_record(project_file, athlete, lambda plan: pain_record(on, int(score), when, session, drill, rule, note))


@main.command()
@project_option
@click.argument("athlete")
@click.argument("decision", type=click.Choice(typing.get_args(DecisionAction)))
@date_option
@click.option("--days", type=int, help="How many days a hold lasts  [default: the program's replan.hold_days]")
@by_option
@note_option
def decide(
    project_file: Path,
    athlete: str,
    decision: str,
    day: str | None,
    days: int | None,
    by: str | None,
    note: str | None,
) -> None:
    """Record a clinician's DECISION about ATHLETE: hold, step-back, pause, resume or cleared."""
    on = _date(day, "--date")
    _text("--by", by)
    _text("--note", note, lines=True)
    _add_record(project_file, athlete, lambda plan: decision_record(on, decision, days, by, note))


@main.command()
@project_option
@click.option("--today", "today", metavar="YYYY-MM-DD", help="The day to report on  [default: today]")
def status(project_file: Path, today: str | None) -> None:
    """Print where each athlete stands: week, next check-in, last pain report, holds and pauses."""
    on = _date(today, "--today")
    with _warnings_shown():
        gathered = gather(project_file, os.environ)
    standings = squad_status(gathered.plans, on)
    click.echo(wording.squad_heading(on, len(standings)))
    for standing in standings:
        click.echo()
        click.echo(wording.athlete_heading(standing.plan.athlete.name, standing.plan.athlete_id))
        for line in standing_lines(standing):
            click.echo(f"  {line}")


class _Refused(click.ClickException):
    """A command refused before anything was written or printed: bad input, a log it cannot be added to
    safely, or private addresses asked for where they would leak."""

    exit_code = 1

    def show(self, file: typing.IO[typing.Any] | None = None) -> None:
        click.echo(f"error: {self.message}", file=file, err=True)


class _BadOptions(click.ClickException):
    """A hypothetical athlete's options make no athlete or no plan: each problem on a line (exit 2)."""

    exit_code = 2

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def show(self, file: typing.IO[typing.Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(f"error: {printable(problem)}", file=file, err=True)


class _LeakRefused(_Refused):
    """Private addresses asked for where they would leak: the command is wrong there (exit 2)."""

    exit_code = 2


def _date(given: str | None, option: str) -> dt.date:
    """A day given as YYYY-MM-DD; today by the clock when not given (only commands read the clock)."""
    if given is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(given) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", given) else None
    except ValueError:
        day = None
    if day is None:
        raise _Refused(wording.bad_date_text(option, given))
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _Refused(f"{option}: expected a date from {FIRST_DAY} to {LAST_DAY}, got {given!r}")
    return day


def _text(option: str, given: str | None, *, lines: bool = False, longest: int | None = None) -> None:
    """Refuse an option's text that the log would refuse: control characters, or far too long."""
    problem = text_problem(given, lines=lines, longest=longest) if given is not None else None
    if problem is not None:
        raise _Refused(f"{option}: {problem}")


def _measured(values: tuple[str, ...], check_in: CheckIn) -> dict[str, str]:
    """`--value NAME=VALUE` options, by criterion id of the check-in."""
    known = [criterion.id for criterion in check_in.criteria]
    measured: dict[str, str] = {}
    for given in values:
        name, equals, value = given.partition("=")
        name = name.strip()
        if not equals or not name:
            raise _Refused(wording.bad_value_text(given))
        if name not in known:
            raise _Refused(wording.unknown_criterion_text(name, check_in.phase.id, known))
        _text(f"--value {name}", value, longest=MEASURE_LENGTH)
        measured[name] = value
    return measured


def _athlete_plan(gathered: Gathered, athlete: str) -> Plan:
    chosen = next((plan for plan in gathered.plans if plan.athlete_id == athlete), None)
    if chosen is None:
        raise _Refused(wording.unknown_athlete_text(athlete, sorted(plan.athlete_id for plan in gathered.plans)))
    return chosen


def _add_record(project_file: Path, athlete: str, make: Callable[[Plan], RecordData]) -> None:
    """Append the record `make` gives to the athlete's log, and say what it changed in the plan.

    The log is read back through a whole gather: if the record makes it invalid, the file
    is put back byte for byte and the problems are printed.
    """
    with _warnings_silenced():  # they are shown once, by the gather after the record
        before = gather(project_file, os.environ)
    plan = _athlete_plan(before, athlete)
    record = make(plan)
    library = before.library
    path = log_path(library, athlete)
    file = path.relative_to(library.root).as_posix() if path.is_relative_to(library.root) else str(path)
    text = path.read_bytes().decode("utf-8") if path.exists() else new_log(plan.athlete.name)
    try:
        text = append_record(text, record, file)
    except CannotAppend as error:
        raise _Refused(str(error)) from None
    written = write_log(path, text)
    try:
        with _warnings_shown():
            after = gather(project_file, os.environ)
    except BaseException as error:
        written.undo()
        if isinstance(error, InputError):
            click.echo(wording.REFUSED_BY_LOG, err=True)
        raise
    changed = next(p for p in after.plans if p.athlete_id == athlete)
    index = len(after.library.logs[athlete].records) - 1
    entry = next(entry for entry in changed.entries if entry.index == index)
    view = record_view(changed, entry)
    click.echo(wording.recorded_text(file, entry.record.date, view.what))
    click.echo(view.effect)
    for line in change_lines(compare_plans(plan, changed)):
        click.echo(line)


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


@contextlib.contextmanager
def _warnings_silenced() -> Iterator[None]:
    """Keep the build's warnings off the terminal (a later gather shows them)."""
    logger = logging.getLogger("sprintback")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
