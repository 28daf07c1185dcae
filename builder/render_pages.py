"""The render stage, pages: view models laid out through the Jinja2 templates.

Templates only lay out: every date, dose, load and sentence they show comes from a
view model. A session's HTML is rendered once per page depth and reused on every page
that shows it.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3
from markupsafe import Markup

from builder import __version__, wording
from builder.errors import TemplateProblem
from builder.library import Library
from builder.linked import LinkedProgram, Resolution
from builder.links import TEAM_FEED_NAME, Links, Output
from builder.models import Source, Spacing
from builder.plan import DoseKey, Plan, SessionDose
from builder.views import (
    SessionView,
    Views,
    criterion_view,
    drill_steps,
    grade_rows,
    monitoring_view,
    phase_summary,
    template_session,
    webcal,
)


def make_environment(library: Library) -> jinja2.Environment:
    """One environment for the whole build: autoescape on, undefined names fail.

    The templates were read at load; errors still name their file and line.
    """

    def source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        template = library.templates.get(name)
        return (template.text, str(template.file), lambda: True) if template is not None else None

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown_html
    env.filters["url"] = _url
    env.globals["notice"] = wording.NOTICE
    env.globals["standing_title"] = wording.STANDING_TITLE
    env.globals["history_title"] = wording.HISTORY_TITLE
    env.globals["history_lead"] = wording.HISTORY_LEAD
    env.globals["past_week"] = wording.PAST_WEEK
    env.globals["overdue"] = wording.OVERDUE
    env.globals["sprintback_version"] = __version__
    return env


@jinja2.pass_context
def _url(context: Any, path: str) -> str:
    """A site-relative path made relative to the page being rendered, so the site works under any sub-path."""
    return str(context["root"]) + path or "./"


@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> Markup:
    """Markdown to HTML, sanitised: protocols may be edited by anyone with the repository."""
    return Markup(nh3.clean(markdown.markdown(text, extensions=["sane_lists"])))


@dataclass(frozen=True, slots=True)
class ProgramCard:
    path: str
    title: str
    injury: str
    version: str
    version_line: str
    phases: int
    summary: str
    spacing: Spacing
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class DrillCard:
    """A drill in the home page's library."""

    path: str
    name: str
    category: str


def render_pages(
    resolution: Resolution,
    plans: list[Plan],
    doses: dict[str, dict[DoseKey, SessionDose]],
    views: Views,
    env: jinja2.Environment,
) -> list[Output]:
    """Every HTML page of the site: home, programs, sessions, drills, athletes, staff."""
    library = resolution.library
    links = views.links
    site = library.project.site
    common = {"site": site}
    programs = sorted(resolution.programs, key=lambda program: program.spec.title)
    cards = {program.id: _card(program, links) for program in programs}
    drills = sorted(library.drills.values(), key=lambda drill: drill.name)
    used_by: dict[str, list[ProgramCard]] = {drill.id: [] for drill in drills}
    for program in programs:
        for drill_id in dict.fromkeys(item.drill.id for s in program.sessions for b in s.blocks for item in b.items):
            used_by[drill_id].append(cards[program.id])
    athletes = {plan.athlete_id: views.athlete(plan) for plan in plans}
    public = sorted(athletes.values(), key=lambda athlete: athlete.name) if site.athletes_public else []
    drill_cards = [DrillCard(links.drill_dir(drill.id), drill.name, drill.category) for drill in drills]

    def page(path: str, template: str, **context: object) -> Output:
        root = "../" * (path.count("/"))
        context.setdefault("private", False)
        return path, lambda: _render(env, library.templates_folder, template, root=root, **common, **context)

    outputs = [page("index.html", "home.html", programs=list(cards.values()), drills=drill_cards, athletes=public)]
    for program in programs:
        outputs.append(
            page(
                links.program_dir(program.id) + "index.html",
                "program.html",
                program=cards[program.id],
                phases=[phase_summary(number, phase) for number, phase in enumerate(program.phases, start=1)],
                deloads=wording.deload_text(program.spec.deload) if program.spec.deload else None,
                grades=grade_rows(
                    program, {key.grade: g for key, g in resolution.graded.items() if key.program == program.id}
                ),
                sessions=[template_session(session, links) for session in program.sessions],
                criteria=[criterion_view(criterion) for criterion in program.criteria],
                monitoring=monitoring_view(program.spec.monitoring),
            )
        )
        fragments = _session_fragments(env)
        for dose in doses[program.id].values():
            session = views.session(dose, program)
            outputs.append(
                page(
                    session.path + "index.html",
                    "session.html",
                    program=cards[program.id],
                    session=session,
                    session_html=fragments,
                )
            )
    for drill in drills:
        outputs.append(
            page(
                links.drill_dir(drill.id) + "index.html",
                "drill.html",
                drill=drill,
                steps=drill_steps(drill, library.drills, links),
                programs=used_by[drill.id],
            )
        )
    fragments = _session_fragments(env)
    for athlete in athletes.values():
        outputs.append(
            page(athlete.path + "index.html", "athlete.html", athlete=athlete, session_html=fragments, private=True)
        )
    staff = links.staff_dir()
    base_url = views.base_url
    outputs.append(
        page(
            staff + "index.html",
            "staff.html",
            athletes=sorted(athletes.values(), key=lambda athlete: athlete.name),
            team_feed=staff + TEAM_FEED_NAME,
            team_subscribe=webcal(base_url + staff + TEAM_FEED_NAME) if base_url else None,
            private=True,
        )
    )
    return outputs


def _card(program: LinkedProgram, links: Links) -> ProgramCard:
    spec = program.spec
    return ProgramCard(
        path=links.program_dir(spec.id),
        title=spec.title,
        injury=spec.injury,
        version=spec.version,
        version_line=wording.version_text(spec.title, spec.version),
        phases=len(program.phases),
        summary=spec.summary,
        spacing=spec.spacing,
        sources=spec.sources,
    )


def _session_fragments(env: jinja2.Environment) -> Callable[..., Markup]:
    """A session's HTML, rendered on first use and reused on every page at the same depth."""
    template = env.get_template("_session.html")
    done: dict[tuple[SessionView, str], Markup] = {}

    @jinja2.pass_context
    def session_html(context: Any, session: SessionView) -> Markup:
        root = str(context["root"])
        html = done.get((session, root))
        if html is None:
            html = done[session, root] = Markup(template.render(session=session, root=root))
        return html

    return session_html


def _render(env: jinja2.Environment, folder: Path, template: str, **context: object) -> bytes:
    try:
        return env.get_template(template).render(**context).encode()
    except jinja2.TemplateError as error:
        raise TemplateProblem(_template_place(error, folder)) from None


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
            if Path(frame.filename).is_relative_to(templates)  # both as load resolved them
        ]
        if frames:
            place = (frames[-1].filename, frames[-1].lineno)
    if place is None:
        return f"{templates.name}: {error.message}"
    name = Path(place[0])
    return f"{name.relative_to(templates.parent).as_posix()}:{place[1]}: {error.message}"
