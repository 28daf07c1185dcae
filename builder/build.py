"""The pipeline: load -> resolve -> dose -> schedule -> check, then render -> write.

Like MkDocs' build, it reads in two halves: first gather and check everything, so a
problem stops the build before a single file is written; then render and write.
The command line, the benchmark and the tests all build through `build()`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder import wording
from builder.check import Findings, check
from builder.dose import dose_weeks
from builder.errors import InputError, StrictWarnings
from builder.ledger import LEDGER_FILE, Stamp, ledger_text
from builder.library import Library, Secret
from builder.linked import GradeKey, Resolution
from builder.links import Links, Output
from builder.load import CI_VARIABLE, load_library, project_path, running_in_ci
from builder.plan import DosedWeek, DoseKey, Plan, SessionDose
from builder.render_feeds import render_feeds
from builder.render_pages import make_environment, render_pages
from builder.resolve import resolve
from builder.schedule import schedule_plan
from builder.schema import render_schemas
from builder.views import Views
from builder.write import write_ledger, write_site

log = logging.getLogger("sprintback")


@dataclass(frozen=True)
class Gathered:
    """Everything a build needs, checked: the first half of a build."""

    resolution: Resolution
    plans: list[Plan]
    doses: dict[str, dict[DoseKey, SessionDose]]
    """Every dose of every program, by program id and dose key."""
    weeks: dict[GradeKey, tuple[DosedWeek, ...]]
    """The dosed weeks of every program × grade."""
    findings: Findings

    @property
    def library(self) -> Library:
        return self.resolution.library


@dataclass(frozen=True)
class Built:
    """What a build wrote."""

    gathered: Gathered
    output: Path
    files: int
    secret: Secret
    links: Links
    published: dict[str, Stamp]
    """Each athlete event's stamp as this build published it (the new feed ledger)."""


Progress = Callable[[int], Callable[[], None]]
"""Told how many files a build will write; returns what to call as each one is written."""


def gather(
    project_file: Path,
    environment: Mapping[str, str],
    *,
    output: Path | None = None,
    key_needed: str | None = None,
) -> Gathered:
    """Load, resolve, dose, schedule and check; raise InputError with every problem found.

    Each warning is also logged on the `sprintback` logger. `output` is where the site
    will go, if not the project's site.output. `key_needed` says why the project must
    have its key already (see `load_library`).
    """
    library = load_library(project_file, environment, output=output, key_needed=key_needed)
    resolution = resolve(library)
    # Weeks are dosed once per program × grade and shared by all its athletes.
    doses: dict[str, dict[DoseKey, SessionDose]] = {program.id: {} for program in resolution.programs}
    weeks = {key: dose_weeks(graded, doses[key.program]) for key, graded in resolution.graded.items()}
    plans = [
        schedule_plan(assignment, weeks[assignment.graded.key], library.logs.get(assignment.athlete_id))
        for assignment in resolution.assignments
    ]
    findings = check(library, plans, resolution.graded, weeks)
    if findings.errors:
        raise InputError(findings.errors)
    for warning in findings.warnings:
        log.warning("%s", warning)
    return Gathered(resolution, plans, doses, weeks, findings)


def render_site(gathered: Gathered, links: Links, today: dt.date) -> tuple[list[Output], dict[str, Stamp]]:
    """Every file of the site, in the order it is written: pages, feeds, schemas, static files;
    and the feed ledger, complete once every output has been made. The staff's upcoming feed
    holds the weeks from `today`."""
    library = gathered.library
    site = library.project.site
    views = Views(links, site.address, site.refresh_hours)
    env = make_environment(library)
    outputs = render_pages(gathered.resolution, gathered.plans, gathered.doses, gathered.weeks, views, env)
    feeds, ledger = render_feeds(gathered.resolution, gathered.plans, views, today)
    outputs += feeds
    outputs += [(path, functools.partial(bytes, data)) for path, data in render_schemas()]
    outputs += [(f"static/{name}", functools.partial(bytes, data)) for name, data in library.static.items()]
    return outputs, ledger


def build(
    project_file: Path,
    environment: Mapping[str, str],
    *,
    output: Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
    preview: bool = False,
) -> Built:
    """Gather, render and write the site; with `strict`, a warning stops the build before it writes.

    The staff's upcoming feed starts on `today`, else on the day of the build's changes
    (`SOURCE_DATE_EPOCH`, else the newest day the logs and ledger know): a build reads no clock.

    In CI, or with `strict`, a project without its key is refused rather than given a new
    one: a new key would move every athlete's private address, and a published site's
    calendar subscriptions with it.

    A `preview` build (`sprintback serve`) writes the site alone: the feed ledger stays as
    the last real build left it, and a key the build made is not saved (nor refused in CI),
    so the caller keeps it for as long as the preview runs.
    """
    key_needed = None if preview else _why_key_needed(environment, strict)
    gathered = gather(project_file, environment, output=output, key_needed=key_needed)
    if strict and gathered.findings.warnings:
        raise StrictWarnings(len(gathered.findings.warnings))
    library = gathered.library
    links = Links(library.secret.key, library.project.site.staff_link_key)
    outputs, ledger = render_site(gathered, links, today if today is not None else library.now.date())
    tick = progress(len(outputs)) if progress is not None else None
    target = output if output is not None else project_path(library.root, library.project.site.output)
    count = write_site(target, _made(outputs, tick), secret=None if preview else library.secret)
    if not preview:
        # After the site: a ledger must never promise events that no published feed holds.
        write_ledger(library.root / LEDGER_FILE, ledger_text(ledger))
    return Built(gathered, target.resolve(), count, library.secret, links, ledger)


def _why_key_needed(environment: Mapping[str, str], strict: bool) -> str | None:
    """Why this build may not make a new key: it runs in CI, or with --strict; None if it may."""
    ci = running_in_ci(environment)
    if ci is not None:
        return wording.in_ci_text(CI_VARIABLE, ci)
    return wording.WITH_STRICT if strict else None


def _made(outputs: list[Output], tick: Callable[[], None] | None) -> Iterator[tuple[str, bytes]]:
    for path, make in outputs:
        yield path, make()
        if tick is not None:
            tick()
