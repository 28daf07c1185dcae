"""The render stage, pages: the Plan laid out through the Jinja2 templates.

Templates only lay out: every date, dose and load they show is computed before.
A session's HTML is rendered once and reused on every page that shows it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
import nh3
from markupsafe import Markup

from builder import __version__
from builder.links import FEED_NAME, TEAM_FEED_NAME, Links
from builder.models import Program, Site, program_drills
from builder.plan import Plan, SessionDose
from builder.resolve import GradedProgram, Resolution
from builder.text import NOTICE, dose_text, duration_text, pain_limit_text


@dataclass(frozen=True)
class GradeRow:
    """A line of a program page's grade table: the phases' weeks for one grade."""

    grade: str
    note: str | None
    weeks: tuple[int | None, ...]
    """Weeks of each of the program's phases; None where the grade skips the phase."""
    total: int


def make_environment(templates: Path) -> jinja2.Environment:
    """One environment for the whole build: autoescape on, undefined names fail."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown_html
    env.filters["dose"] = dose_text
    env.filters["duration"] = duration_text
    env.filters["day"] = day_text
    env.filters["day_short"] = lambda day: f"{day:%a %d %b}"
    env.filters["percent"] = lambda share: f"{share * 100:.0f}%"
    env.filters["webcal"] = lambda url: "webcal://" + url.split("://", 1)[1]
    env.globals["notice"] = NOTICE
    env.globals["pain_limit"] = pain_limit_text
    env.globals["sprintback_version"] = __version__
    return env


@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> Markup:
    """Markdown to HTML, sanitised: protocols may be edited by anyone with the repository."""
    return Markup(nh3.clean(markdown.markdown(text, extensions=["sane_lists"])))


def day_text(day: dt.date) -> str:
    """`Mon 30 Nov 2026`."""
    return f"{day:%a %d %b %Y}"


def grade_rows(program: Program, graded: dict[tuple[str, str], GradedProgram]) -> list[GradeRow]:
    """Each grade's phase lengths, as the resolve stage set them."""
    rows = []
    for grade, variant in program.grades.items():
        lengths = {phase.id: weeks for phase, weeks in graded[program.id, grade].phases}
        weeks = tuple(lengths.get(phase.id) for phase in program.phases)
        rows.append(GradeRow(grade, variant.note, weeks, sum(lengths.values())))
    return rows


def render_pages(
    resolution: Resolution,
    plans: list[Plan],
    links: Links,
    env: jinja2.Environment,
) -> Iterator[tuple[str, bytes]]:
    """Every HTML page of the site, as (path, bytes)."""
    library = resolution.library
    site = library.project.site
    common = _common(site, links)
    programs = sorted(library.programs.values(), key=lambda program: program.title)
    drills = sorted(library.drills.values(), key=lambda drill: drill.name)
    used_by: dict[str, list[Program]] = {drill.id: [] for drill in drills}
    for program in programs:
        for drill_id in program_drills(program):
            used_by[drill_id].append(program)
    public = sorted(plans, key=lambda plan: plan.athlete.name) if site.athletes_public else []

    yield "index.html", _page(env, "home.html", "", common, programs=programs, drills=drills, plans=public)
    for program in programs:
        yield (
            links.program_dir(program.id) + "index.html",
            _page(
                env,
                "program.html",
                "../../",
                common,
                program=program,
                grades=grade_rows(program, resolution.graded),
                drills=library.drills,
            ),
        )
    for drill in drills:
        yield (
            links.drill_dir(drill.id) + "index.html",
            _page(
                env,
                "drill.html",
                "../../",
                common,
                drill=drill,
                drills=library.drills,
                programs=used_by[drill.id],
            ),
        )

    sessions = _SessionFragments(env, "../../", links)
    for plan in plans:
        yield (
            links.athlete_dir(plan.athlete_id, plan.athlete) + "index.html",
            _page(
                env,
                "athlete.html",
                "../../",
                common,
                plan=plan,
                program=plan.graded.program,
                session_html=sessions,
                feed_name=FEED_NAME,
                private=True,
            ),
        )
    roster = sorted(plans, key=lambda plan: plan.athlete.name)
    yield (
        links.staff_dir() + "index.html",
        _page(
            env,
            "staff.html",
            "../../",
            common,
            plans=roster,
            feed_name=FEED_NAME,
            team_feed_name=TEAM_FEED_NAME,
            private=True,
        ),
    )


class _SessionFragments:
    """A session's HTML, rendered on first use and reused for every athlete."""

    def __init__(self, env: jinja2.Environment, root: str, links: Links) -> None:
        self._template = env.get_template("_session.html")
        self._context = {"root": root, "links": links}
        self._done: dict[SessionDose, Markup] = {}

    def __call__(self, dose: SessionDose, program: Program) -> Markup:
        html = self._done.get(dose)
        if html is None:
            html = Markup(self._template.render(dose=dose, program=program, **self._context))
            self._done[dose] = html
        return html


def _common(site: Site, links: Links) -> dict[str, object]:
    """What every page's template gets."""
    return {"site": site, "links": links, "base_url": str(site.base_url) if site.base_url else None}


def _page(env: jinja2.Environment, template: str, root: str, common: dict[str, object], **context: object) -> bytes:
    context.setdefault("private", False)
    return env.get_template(template).render(root=root, **common, **context).encode()


def render_session_pages(
    resolution: Resolution,
    doses: dict[str, dict[str, SessionDose]],
    links: Links,
    env: jinja2.Environment,
) -> Iterator[tuple[str, bytes]]:
    """A public page per dosed session, the page each calendar event links to."""
    common = _common(resolution.library.project.site, links)
    root = "../../../../"
    fragments = _SessionFragments(env, root, links)
    for program_id, program_doses in doses.items():
        program = resolution.library.programs[program_id]
        for key, dose in program_doses.items():
            yield (
                links.session_dir(program_id, key) + "index.html",
                _page(
                    env,
                    "session.html",
                    root,
                    common,
                    program=program,
                    dose=dose,
                    session_html=fragments,
                ),
            )
