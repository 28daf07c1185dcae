"""The render stage, pages: view models laid out through the Jinja2 templates.

Templates only lay out: every date, dose, load and sentence they show comes from a
view model. A session's HTML is rendered once per page depth and reused on every page
that shows it.
"""

from __future__ import annotations

import functools
import html
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3
from markupsafe import Markup

from builder import __version__, wording
from builder.charts import grade_charts
from builder.errors import InputError, Problem
from builder.library import Library
from builder.linked import GradeKey, LinkedProgram, Resolution
from builder.links import TEAM_FEED_NAME, UPCOMING_FEED_NAME, Links, Output
from builder.models import Source, Spacing
from builder.page_meta import first_sentence, shortened
from builder.plan import DosedWeek, DoseKey, Plan, SessionDose
from builder.render_crawlers import PRIVATE_FOLDERS, render_crawlers, site_path
from builder.views import (
    SessionView,
    Views,
    criterion_view,
    drill_steps,
    grade_page,
    grade_rows,
    monitoring_view,
    muscle_rows,
    phase_summary,
    template_session,
    webcal,
)


def make_environment(library: Library) -> jinja2.Environment:
    """One environment for the whole build: autoescape on, undefined names fail.

    The templates were read at load; errors still name their file and line. Every
    Markdown text of the programs and drills is rendered here, before a file is written,
    so that one which cannot be is reported at its place (InputError).
    """

    def source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        template = library.templates.get(name)
        return (template.text, str(template.file), lambda: True) if template is not None else None

    texts: dict[str, Markup] = {}
    problems: list[Problem] = []
    for text, place in _markdown_texts(library):
        try:
            texts[text] = markdown_html(text)
        except RecursionError:
            problems.append(
                place("the Markdown nests too deeply to render; expected lists and quotes a few levels deep")
            )
    if problems:
        raise InputError(problems)

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Rendered once above, where the stack is shallow: Markdown recurses once per level of nesting.
    env.filters["markdown"] = lambda text: texts.get(text) or markdown_html(text)
    env.filters["url"] = _url
    env.globals["notice"] = wording.NOTICE
    env.globals["notice_label"] = wording.NOTICE_LABEL
    env.globals["standing_title"] = wording.STANDING_TITLE
    env.globals["history_title"] = wording.HISTORY_TITLE
    env.globals["history_lead"] = wording.HISTORY_LEAD
    env.globals["past_week"] = wording.PAST_WEEK
    env.globals["overdue"] = wording.OVERDUE
    env.globals["words"] = {
        name.lower(): getattr(wording, name)
        for name in (
            "ROUTINE_LEAD", "SESSION_NOTES_LEAD", "FULL_SESSION", "TODAY_TITLE", "TODAY_NEXT", "TODAY_CHECK_IN",
            "TODAY_WEEK", "TODAY_DONE", "TODAY_NOT_STARTED", "THIS_WEEK", "TODAY_FALLBACK", "PROGRESS_TITLE",
            "PLAN_JUMP", "CALENDAR_JUMP", "GRADES_TABLE",
        )
    }  # fmt: skip
    env.globals["sprintback_version"] = __version__
    return env


_Place = Callable[[str], Problem]
"""Makes the problem of a text at its place in the input, given the message."""


def _markdown_texts(library: Library) -> Iterator[tuple[str, _Place]]:
    """Every Markdown text of the programs and drills, each with its place in the input."""
    for program_id, program in library.programs.items():
        source = library.program_source(program_id)
        yield program.summary, functools.partial(source.problem, ("summary",))
        for index, phase in enumerate(program.phases):
            yield phase.goal, functools.partial(source.problem, ("phases", index, "goal"))
        for session_id, session in program.sessions.items():
            if session.notes:
                yield session.notes, functools.partial(source.problem, ("sessions", session_id, "notes"))
    for drill_id, drill in library.drills.items():
        # The body's line is not kept at load: the problem names the file and the description.
        yield drill.description, functools.partial(Problem, library.drill_files[drill_id], 1, 1, "description")


@jinja2.pass_context
def _url(context: Any, path: str) -> str:
    """A site-relative path made relative to the page being rendered, so the site works under any sub-path."""
    return str(context["root"]) + path or "./"


@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> Markup:
    """Markdown to HTML, sanitised: protocols may be edited by anyone with the repository.

    Nothing may load from another host (athletes' pages are private): an image whose
    address is not local is replaced by its alt text. Links stay, with `rel="noopener
    noreferrer"`; everything else that fetches (styles, frames, `srcset`, `ping`) is removed.
    """
    clean = nh3.clean(markdown.markdown(text, extensions=["sane_lists"]), attribute_filter=_local_sources)
    return Markup(_IMAGE.sub(_image_or_alt, clean))


_IMAGE = re.compile(r'<img((?: [a-z-]+="[^"]*")*)>')
"""An image as nh3 writes it: attributes in double quotes, with `"`, `<` and `&` escaped."""
_ATTRIBUTE = re.compile(r' ([a-z-]+)="([^"]*)"')
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(map(chr, range(0x21)))


def _local_sources(element: str, attribute: str, value: str) -> str | None:
    """nh3's filter: a `src` stays only if it is local (no scheme, no host)."""
    if attribute != "src":
        return value
    # Read as a browser reads it (the WHATWG URL standard): tabs and newlines dropped, controls
    # and spaces trimmed, a backslash taken as a slash; so `/\\host/` and `h\ttps:` are not local.
    url = _URL_NOISE.sub("", value).strip(_URL_TRIMMED)
    if not url or _SCHEME.match(url) or url[:2].replace("\\", "/") == "//":
        return None
    return value


def _image_or_alt(image: re.Match[str]) -> str:
    """An image left without a source (it was not local) becomes its alt text."""
    attributes = dict(_ATTRIBUTE.findall(image[1]))
    if "src" in attributes:
        return image[0]
    return html.escape(html.unescape(attributes.get("alt", "")), quote=False)


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
    description: str
    """The summary's first sentence, as plain text."""


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
    weeks: dict[GradeKey, tuple[DosedWeek, ...]],
    views: Views,
    env: jinja2.Environment,
) -> list[Output]:
    """Every HTML page of the site: home, programs, sessions, drills, athletes, staff; the page of each
    private folder, the page not found; and for crawlers, robots.txt and the sitemap of the public pages.

    A program's page charts each grade's `weeks`, as the dose stage made them. Each page has a
    description, and private pages (`private`) say noindex and no-referrer.
    """
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

    listed: list[str] = []
    """The public pages, for the sitemap."""

    def page(
        path: str, template: str, description: str, *, private: bool = False, root: str | None = None, **context: object
    ) -> Output:
        """A page; its links relative to it, or with `root`, starting from that."""
        if root is None:
            root = "../" * (path.count("/"))
        if not private:
            listed.append(path)
        return path, lambda: _render(
            env, library, template, root=root, description=description, private=private, **common, **context
        )

    outputs = [
        page(
            "index.html",
            "home.html",
            wording.HOME_DESCRIPTION,
            programs=list(cards.values()),
            drills=drill_cards,
            athletes=public,
        )
    ]
    for program in programs:
        outputs.append(
            page(
                links.program_dir(program.id) + "index.html",
                "program.html",
                cards[program.id].description,
                program=cards[program.id],
                phases=[phase_summary(number, phase) for number, phase in enumerate(program.phases, start=1)],
                deloads=wording.deload_text(program.spec.deload) if program.spec.deload else None,
                grading=wording.grading_text(program.spec.grading, tuple(program.spec.grades)),
                grades=grade_rows(
                    program,
                    {
                        key.grade: g
                        for key, g in resolution.graded.items()
                        if key.program == program.id and key.muscle is None
                    },
                ),
                muscles=muscle_rows(program),
                grade_pages_lead=wording.GRADE_PAGES_LEAD,
                week_by_week=wording.WEEK_BY_WEEK_GRADES,
                sessions=[template_session(session, links) for session in program.sessions],
                criteria=[criterion_view(criterion) for criterion in program.criteria],
                monitoring=monitoring_view(program.spec.monitoring),
                grade_charts_lead=wording.GRADE_CHARTS_LEAD,
                grade_charts=grade_charts(
                    program, [(grade, weeks[GradeKey(program.id, grade)]) for grade in program.spec.grades]
                ),
            )
        )
        for grade_key, graded in resolution.graded.items():
            if grade_key.program == program.id:
                view = grade_page(graded, weeks[grade_key], links)
                outputs.append(
                    page(
                        links.grade_dir(program.id, grade_key.grade, grade_key.muscle) + "index.html",
                        "grade.html",
                        shortened(view.lead),
                        page=view,
                        program=cards[program.id],
                    )
                )
        fragments = _session_fragments(env)
        for dose in doses[program.id].values():
            session = views.session(dose, program)
            allowed_pain = dose.session.monitoring.allowed_pain
            outputs.append(
                page(
                    session.path + "index.html",
                    "session.html",
                    shortened(wording.session_description(session.title, session.facts, allowed_pain)),
                    page_title=wording.session_page_title(
                        session.title,
                        session.phase,
                        session.step,
                        dose.key.deload,
                        _variant(dose.key.origin),
                        program.spec.title,
                    ),
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
                shortened(drill.purpose) if drill.purpose else first_sentence(markdown_html(drill.description)),
                drill=drill,
                steps=drill_steps(drill, library.drills, links),
                programs=used_by[drill.id],
            )
        )
    own = _session_fragments(env, "_session_own.html")
    for athlete in athletes.values():
        outputs.append(
            page(
                athlete.path + "index.html",
                "athlete.html",
                wording.PRIVATE_DESCRIPTION,
                athlete=athlete,
                session_own=own,
                private=True,
            )
        )
    for plan in plans:
        for key in plan.athlete.old_link_keys:  # a retired address in its grace period: it says it moved
            moved = links.athlete_dir(plan.athlete_id, plan.athlete, key)
            outputs.append(
                page(
                    moved + "index.html",
                    "moved.html",
                    wording.PRIVATE_DESCRIPTION,
                    title=wording.MOVED_TITLE,
                    text=wording.MOVED_TEXT,
                    private=True,
                )
            )
    staff = links.staff_dir()
    base_url = views.base_url
    outputs.append(
        page(
            staff + "index.html",
            "staff.html",
            wording.PRIVATE_DESCRIPTION,
            athletes=sorted(athletes.values(), key=lambda athlete: athlete.name),
            team_feed=staff + TEAM_FEED_NAME,
            team_subscribe=webcal(base_url + staff + TEAM_FEED_NAME) if base_url else None,
            upcoming_feed=staff + UPCOMING_FEED_NAME,
            upcoming_subscribe=webcal(base_url + staff + UPCOMING_FEED_NAME) if base_url else None,
            feeds_text=wording.staff_feeds_text(site.upcoming_weeks),
            private=True,
        )
    )
    for folder in PRIVATE_FOLDERS:  # served in place of a listing of the secret folders
        outputs.append(
            page(
                folder + "index.html",
                "message.html",
                wording.PRIVATE_DESCRIPTION,
                title=wording.PRIVATE_FOLDER_TITLE,
                text=wording.PRIVATE_FOLDER_TEXT,
                home_link=wording.HOME_LINK,
                private=True,
            )
        )
    # Hosts serve 404.html at any depth, so its links start from the site's path on the host, not from
    # the page; and, as a mistyped private address may be the one shown, it says no-referrer too.
    outputs.append(
        page(
            "404.html",
            "message.html",
            wording.NOT_FOUND_DESCRIPTION,
            title=wording.NOT_FOUND_TITLE,
            text=wording.NOT_FOUND_TEXT,
            home_link=wording.HOME_LINK,
            private=True,
            root=site_path(base_url),
        )
    )
    outputs += render_crawlers(listed, base_url)
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
        description=first_sentence(markdown_html(spec.summary)),
    )


_ORIGIN = re.compile(r"(?:(grade|muscle)-(.+?))?-?(?:pain-(\d+))?")
"""A variant's session origin, as resolve names it: `grade-3`, `muscle-soleus`, `pain-2`, `grade-3-pain-2`."""


def _variant(origin: str) -> str | None:
    """What a grade's or a muscle's own session is for, in words; None for the program's own."""
    parts = _ORIGIN.fullmatch(origin) if origin else None
    if parts is None:
        return None
    kind, name, pain = parts.groups()
    return wording.variant_text(
        name if kind == "grade" else None, name if kind == "muscle" else None, int(pain) if pain else None
    )


def _session_fragments(env: jinja2.Environment, name: str = "_session.html") -> Callable[..., Markup]:
    """A session's HTML (by template `name`), rendered on first use and reused on every page at the same depth."""
    done: dict[tuple[SessionView, str, frozenset[str]], Markup] = {}

    @jinja2.pass_context
    def session_html(context: Any, session: SessionView, routine: frozenset[str] = frozenset()) -> Markup:
        """`routine`: the names of blocks the page shows elsewhere (once for a phase)."""
        root = str(context["root"])
        html = done.get((session, root, routine))
        if html is None:
            # Fetched here, while a page renders, so that its errors are reported like the page's own.
            template = env.get_template(name)
            html = done[session, root, routine] = Markup(template.render(session=session, root=root, routine=routine))
        return html

    return session_html


def _render(env: jinja2.Environment, library: Library, template: str, **context: object) -> bytes:
    try:
        return env.get_template(template).render(**context).encode()
    except Exception as error:  # whatever a template does wrong: its place and what went wrong, no traceback
        raise InputError([_template_problem(error, template, library)]) from None


_TAG = re.compile(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)")
"""A print or statement tag on a line (up to the line's end if it goes on)."""
_CALLS_TEMPLATE = re.compile(r"\{%-?\s*(include|import|from|extends)\b")
_TOKEN_TEXT = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
}
"""The text of the tokens Jinja's syntax errors name by a description."""


def _template_problem(error: Exception, template: str, library: Library) -> Problem:
    """`templates/athlete.html:12:8: 'plan' is undefined`: the place in the template, and what went wrong."""
    names = {str(t.file): name for name, t in library.templates.items()}
    # Jinja2 rewrites tracebacks so that template lines appear as frames (read without the disk).
    frames = [
        (names[frame.f_code.co_filename], line)
        for frame, line in traceback.walk_tb(error.__traceback__)
        if frame.f_code.co_filename in names
    ]
    folder = _shown(library.templates_folder, library.root)
    needle: str | None = None
    if isinstance(error, jinja2.TemplateSyntaxError) and error.name in library.templates:
        text = library.templates[error.name].text
        said = error.message or "invalid"
        offset = re.search(r" at (\d+)$", said)
        if offset is not None and int(offset[1]) <= len(text):  # the lexer's own errors give the offset
            before = text[: int(offset[1])]
            line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
            return _problem(library, error.name, line, column, f"template syntax: {said[: offset.start()]}")
        frames = [(error.name, error.lineno)]
        message = f"template syntax: {said}"
        if not said.startswith("Unexpected end of template"):
            named = re.search(r"got '([^']*)'", said) or re.search(r"'([^']*)'", said)
            needle = _TOKEN_TEXT.get(named[1], named[1]) if named else None
    elif isinstance(error, jinja2.TemplateNotFound):
        missing = [str(name) for name in error.templates]  # one, or each of an include's choices
        if not frames or missing[0] not in _line(library, *frames[-1]):  # not named by a template: the site's own
            return Problem(f"{folder}/{missing[0]}", 1, 1, "", "file not found: the site's pages need this template")
        message, needle = f"no template {' or '.join(map(repr, missing))} in {folder}/", missing[0]
    elif isinstance(error, jinja2.UndefinedError):
        message = error.message or "undefined"
        named = re.search(r"has no attribute '([^']*)'$", message) or re.match(r"'([^']*)' is undefined$", message)
        needle = named[1] if named else None
    elif isinstance(error, RecursionError) and (loop := _loop(frames, library)):
        frames = loop[:1]
        chain = " -> ".join(f"{name}:{line}" for name, line in loop)
        message = (
            f"rendering never ends: {chain} comes back to where it started; "
            "an include or a macro that leads back to itself needs a condition that stops it"
        )
    else:
        message = f"{error} ({type(error).__name__})"
    if not frames:
        return Problem(f"{folder}/{template}", 1, 1, "", message)
    name, line = frames[-1]
    return _problem(library, name, line, _column(_line(library, name, line), needle), message)


def _problem(library: Library, name: str, line: int, column: int, message: str) -> Problem:
    return Problem(_shown(library.templates[name].file, library.root), line, column, "", message)


def _shown(path: Path, root: Path) -> str:
    """A file's name in messages, as load names it: relative to the project when it is inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _line(library: Library, name: str, line: int) -> str:
    lines = library.templates[name].text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _loop(frames: list[tuple[str, int]], library: Library) -> list[tuple[str, int]]:
    """The template lines that repeat without end, in a traceback that ran out of stack: from the
    line most likely to close the loop (an include or import rather than an extends), to it again."""

    def rank(frame: tuple[str, int]) -> int:
        call = _CALLS_TEMPLATE.search(_line(library, *frame))
        return 2 if call is None else 1 if call[1] == "extends" else 0

    for start, frame in enumerate(frames):
        if frame in frames[start + 1 :]:
            loop = frames[start : frames.index(frame, start + 1)]
            first = min(range(len(loop)), key=lambda index: rank(loop[index]))
            loop = loop[first:] + loop[:first]
            return [*loop, loop[0]]
    return []


def _column(text: str, needle: str | None) -> int:
    """Where `needle` stands on the line, in a tag first; else the line's first tag; else its first character."""
    tags = [(tag.start(), tag[0]) for tag in _TAG.finditer(text)]
    if needle:
        word = re.escape(needle)
        pattern = re.compile(rf"(?<!\w){word}(?!\w)" if needle.isidentifier() else word)
        for start, part in [*tags, (0, text)]:
            found = pattern.search(part)
            if found is not None:
                return start + found.start() + 1
    if tags:
        return tags[0][0] + 1
    return len(text) - len(text.lstrip()) + 1
