"""Rendering the pages: a broken template is an error at its place, and no page loads from another host.

Every broken template below stops the build with one line, `file:line:column: what went
wrong`, exit 1, no traceback, and leaves the previous site, the ledger and the folder
around it exactly as they were, even when the failing page is the last one written.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import main
from builder.ledger import LEDGER_FILE
from builder.render_pages import markdown_html
from tests.conftest import EPOCH, MINI, REPO, SECRET, Run, copy_project, files_of

NEVER_ENDS = (
    "comes back to where it started; an include or a macro that leads back to itself needs a condition that stops it"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project with its own copy of the templates, built once: the previous site."""
    folder = tmp_path_factory.mktemp("built")
    project = copy_project(MINI, folder / "project")
    shutil.copytree(REPO / "templates", project.parent / "templates")
    text = project.read_text().replace(f"templates: {REPO / 'templates'}", "templates: templates")
    project.write_text(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPRINTBACK_SECRET", SECRET)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert CliRunner().invoke(main, ["build", "-q", "-f", str(project), "-o", str(folder / "site")]).exit_code == 0
    return folder


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A writable copy of the built project and its site; returns the project file."""
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return tmp_path / "project" / "sprintback.yaml"


def failed_build(run: Run, project: Path) -> list[str]:
    """Build, expecting exit 1 and nothing changed on disk; return the error lines."""
    root = project.parent.parent
    site = root / "site"
    before, ledger = files_of(site), (project.parent / LEDGER_FILE).read_bytes()
    result: Result = run("build", "-q", "-f", project, "-o", site)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.endswith("nothing was written.\n"), result.output
    assert files_of(site) == before
    assert (project.parent / LEDGER_FILE).read_bytes() == ledger
    assert not [path.name for path in root.iterdir() if path.name.startswith(".")]  # no staging left behind
    return [line.removeprefix("error: ") for line in result.output.splitlines() if line.startswith("error: ")]


# --- template errors -------------------------------------------------------------


BROKEN: dict[str, tuple[dict[str, str], str]] = {
    "division by zero": (
        {"drill.html": "<h1>\n  <b>{{ 1/0 }}</b>\n"},
        "templates/drill.html:2:6: division by zero (ZeroDivisionError)",
    ),
    "a TypeError": (
        {"drill.html": '<p>{{ "a" + 1 }}</p>'},
        'templates/drill.html:1:4: can only concatenate str (not "int") to str (TypeError)',
    ),
    "a template that includes itself": (
        {"drill.html": "<p>\n{% include 'drill.html' %}\n"},
        f"templates/drill.html:2:1: rendering never ends: drill.html:2 -> drill.html:2 {NEVER_ENDS}",
    ),
    "two templates that include each other": (
        {"drill.html": "{% include '_other.html' %}", "_other.html": "<p>\n{% include 'drill.html' %}"},
        f"templates/drill.html:1:1: rendering never ends: drill.html:1 -> _other.html:2 -> drill.html:1 {NEVER_ENDS}",
    ),
    "an include inside the extended base": (
        {"drill.html": '{% extends "base.html" %}\n{% block main %}\n<p>{% include "drill.html" %}</p>{% endblock %}'},
        "templates/drill.html:3:4: rendering never ends: drill.html:3 -> drill.html:1 -> base.html:24 -> drill.html:3 "
        + NEVER_ENDS,
    ),
    "a macro that calls itself": (
        {"drill.html": "{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}"},
        f"templates/drill.html:1:1: rendering never ends: drill.html:1 -> drill.html:1 {NEVER_ENDS}",
    ),
    "a missing partial": (
        {"drill.html": '<p>\n  {% include "nope.html" %}\n'},
        "templates/drill.html:2:15: no template 'nope.html' in templates/",
    ),
    "a missing choice of partials": (
        {"drill.html": "<p>{% include ['nope.html', 'none.html'] %}</p>"},
        "templates/drill.html:1:17: no template 'nope.html' or 'none.html' in templates/",
    ),
    "a missing base": (
        {"drill.html": "{% extends 'nope.html' %}"},
        "templates/drill.html:1:13: no template 'nope.html' in templates/",
    ),
    "an unbalanced brace": (
        {"drill.html": "<h1>{{ drill.name }</h1>"},
        "templates/drill.html:1:19: template syntax: unexpected '}'",
    ),
    "an unknown tag": (
        {"drill.html": "<p>\n<p>{% fro x in drill.cues %}"},
        "templates/drill.html:2:7: template syntax: Encountered unknown tag 'fro'.",
    ),
    "a character Jinja does not know": (
        {"drill.html": "<p>{{ drill.name !! }}</p>"},
        "templates/drill.html:1:18: template syntax: unexpected char '!'",
    ),
    "a filter without a name": (
        {"drill.html": "<p>{{ drill.name | }}</p>"},
        "templates/drill.html:1:20: template syntax: expected token 'name', got 'end of print statement'",
    ),
    "a block never closed": (
        {"drill.html": "<p>\n{% if drill.name %}\n<p>"},
        "templates/drill.html:3:1: template syntax: Unexpected end of template. Jinja was looking for the "
        "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
    ),
    "an attribute misspelt": (
        {"drill.html": "<h1>{{ drill.name }} {{ drill.nmae }}</h1>"},
        "templates/drill.html:1:31: 'builder.models.DrillPage object' has no attribute 'nmae'",
    ),
    "an undefined name": (
        {"drill.html": "<p>{{ drill.name }}</p> <p>{{ nothing }}</p>"},
        "templates/drill.html:1:31: 'nothing' is undefined",
    ),
    "a syntax error in the session partial": (
        {"_session.html": "<div>\n{{ session.title }\n</div>"},
        "templates/_session.html:2:18: template syntax: unexpected '}'",
    ),
    "an error in the session partial": (
        {"_session.html": "<div>{{ session.nope }}</div>"},
        "templates/_session.html:1:17: 'builder.views.SessionView object' has no attribute 'nope'",
    ),
    "an error on the last page written": (
        {"staff.html": '{% extends "base.html" %}\n{% block main %}{{ athletes[0].nope }}{% endblock %}'},
        "templates/staff.html:2:32: 'builder.views.AthleteView object' has no attribute 'nope'",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_template_is_an_error_at_its_place(run: Run, project: Path, case: str) -> None:
    templates, expected = BROKEN[case]
    for name, text in templates.items():
        (project.parent / "templates" / name).write_text(text)
    assert failed_build(run, project) == [expected]


@pytest.mark.parametrize("name", ["_session.html", "athlete.html"])
def test_a_template_the_pages_need_missing_here_and_in_sprintback_is_an_error(
    run: Run, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Missing from the project's folder alone, Sprintback's own copy serves (tests/test_init.py); missing from
    both (a damaged installation), the build stops at the project's place for it."""
    (project.parent / "templates" / name).unlink()
    shipped = tmp_path / "shipped"
    shutil.copytree(REPO / "templates", shipped)
    (shipped / name).unlink()
    monkeypatch.setattr("builder.load.shipped_folder", lambda _: shipped)
    assert failed_build(run, project) == [f"templates/{name}:1:1: file not found: the site's pages need this template"]


def test_a_template_not_in_utf8_is_an_error_before_anything_renders(run: Run, project: Path) -> None:
    (project.parent / "templates" / "drill.html").write_bytes("<h1>Caf\xe9</h1>".encode("latin-1"))
    assert failed_build(run, project) == ["templates/drill.html:1:8: not UTF-8 text (byte 7)"]


def test_templates_outside_the_project_are_named_by_their_full_path(run: Run, project: Path, tmp_path: Path) -> None:
    shutil.move(project.parent / "templates", tmp_path / "shared")
    project.write_text(project.read_text().replace("templates: templates", f"templates: {tmp_path / 'shared'}"))
    (tmp_path / "shared" / "drill.html").write_text("<p>{{ nothing }}</p>")
    assert failed_build(run, project) == [f"{tmp_path / 'shared'}/drill.html:1:7: 'nothing' is undefined"]


def test_markdown_nested_too_deeply_is_an_error_at_its_text(run: Run, project: Path) -> None:
    deep = "- " * 3000 + "x"
    program = project.parent / "programs" / "adductor.yaml"
    program.write_text(program.read_text().replace("notes: Quality over quantity.", f'notes: "{deep}"'))
    with (project.parent / "programs" / "drills" / "strides.md").open("a") as drill:
        drill.write(f"\n{deep}\n")
    assert failed_build(run, project) == [
        "programs/adductor.yaml:42:12: sessions.technique.notes: the Markdown nests too deeply to render; "
        "expected lists and quotes a few levels deep",
        "programs/drills/strides.md:1:1: description: the Markdown nests too deeply to render; "
        "expected lists and quotes a few levels deep",
    ]


# --- nothing loads from another host ---------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("![a tracker](https://tracker.example/p.gif)", "<p>a tracker</p>"),
        ("![by reference][pixel]\n\n[pixel]: https://tracker.example/p.gif", "<p>by reference</p>"),
        ('<img src="https://tracker.example/p.gif" alt="raw">', "<p>raw</p>"),
        ('<img src="//tracker.example/p.gif" alt="no scheme">', "<p>no scheme</p>"),
        ('<img src="/\\tracker.example/p.gif" alt="backslash">', "<p>backslash</p>"),
        ('<img src="&#47;&#47;tracker.example/p.gif" alt="entities">', "<p>entities</p>"),
        ('<img src="ht&#9;tps://tracker.example/p.gif" alt="a tab">', "<p>a tab</p>"),
        ('<img src=" &#1;//tracker.example/p.gif" alt="a control">', "<p>a control</p>"),
        ('<img src="HTTPS://tracker.example/p.gif" alt="capitals">', "<p>capitals</p>"),
        ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="inline">', "<p>inline</p>"),
        ('<img src="https://tracker.example/p.gif" alt="&lt;b&gt; &amp; co">', "<p>&lt;b&gt; &amp; co</p>"),
        ('<img src="https://tracker.example/p.gif">', "<p></p>"),
        ("![local](img/knee.png)", '<p><img alt="local" src="img/knee.png"></p>'),
        ("![local](../static/knee.png)", '<p><img alt="local" src="../static/knee.png"></p>'),
        ('<link rel="stylesheet" href="https://tracker.example/s.css">', "<p></p>"),
        ('<iframe src="https://tracker.example/"></iframe>', ""),
        (
            '<img src="knee.png" srcset="https://tracker.example/p.gif 2x" alt="k">',
            '<p><img src="knee.png" alt="k"></p>',
        ),
        ('<p style="background:url(https://tracker.example/p.gif)">styled</p>', "<p>styled</p>"),
        ("<style>p { background: url(https://tracker.example/p.gif) }</style>", ""),
        ('<video poster="https://tracker.example/p.gif" src="https://tracker.example/v.mp4"></video>', ""),
        ('<audio src="https://tracker.example/a.mp3"></audio>', "<p></p>"),
        ('<object data="https://tracker.example/o"></object>', ""),
        ('<embed src="https://tracker.example/e">', "<p></p>"),
        ('<svg><image href="https://tracker.example/p.gif"/></svg>', "<p></p>"),
        (
            '<table background="https://tracker.example/p.gif"><tr><td>x</td></tr></table>',
            "<table><tbody><tr><td>x</td></tr></tbody></table>",
        ),
        ('<input type="image" src="https://tracker.example/p.gif">', "<p></p>"),
        ('<meta http-equiv="refresh" content="0; url=https://tracker.example/">', "<p></p>"),
        ('<base href="https://tracker.example/">', "<p></p>"),
        ('<form action="https://tracker.example/"><button>Send</button></form>', "Send"),
        ('<script src="https://tracker.example/t.js"></script>', ""),
    ],
)
def test_markdown_loads_nothing_from_another_host(markdown: str, html: str) -> None:
    assert markdown_html(markdown).replace("\n", "") == html.replace("\n", "")


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("[a study](https://journal.example/a)", '<a href="https://journal.example/a" rel="noopener noreferrer">'),
        (
            '<a href="https://journal.example/a" ping="https://tracker.example/">a study</a>',
            'rel="noopener noreferrer"',
        ),
        ('<a href="https://journal.example/a" rel="opener">a study</a>', 'rel="noopener noreferrer"'),
        ("<https://journal.example/a>", '<a href="https://journal.example/a" rel="noopener noreferrer">'),
    ],
)
def test_links_stay_and_tell_the_other_host_nothing(markdown: str, html: str) -> None:
    rendered = markdown_html(markdown)
    assert html in rendered
    assert "ping" not in rendered and 'opener"' not in rendered.replace("noopener", "")


class Fetches(HTMLParser):
    """Every address a browser would fetch on its own while showing a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        for key in ("src", "srcset", "poster", "data", "background", "action", "ping", "lowsrc", "dynsrc"):
            if key in found:
                self.addresses.append(found[key])
        if tag in ("link", "base", "image", "use") and "href" in found:
            self.addresses.append(found["href"])
        if "url(" in found.get("style", ""):
            self.addresses.append(found["style"])
        if tag == "meta" and found.get("http-equiv", "").lower() == "refresh":
            self.addresses.append(found.get("content", ""))
        self.in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self.in_style and "url(" in data:
            self.addresses.append(data)


def test_no_page_loads_from_another_host_whatever_the_markdown(run: Run, project: Path) -> None:
    root = project.parent
    hostile = (
        "![a pixel](https://tracker.example/p.gif) <img src='//tracker.example/q.gif' alt='q'>"
        " <iframe src='https://tracker.example/'></iframe> <link rel=stylesheet href='https://tracker.example/s.css'>"
        " <img src=knee.png srcset='https://tracker.example/p.gif 2x'> <p style='background:url(https://tracker.example/)'>s</p>"
        " <a href='https://journal.example/' ping='https://tracker.example/'>a study</a>"
    )
    program = root / "programs" / "adductor.yaml"
    text = program.read_text().replace("notes: Quality over quantity.", f'notes: "{hostile}"')
    program.write_text(text.replace("goal: Load the adductors without pain.", f'goal: "{hostile}"'))
    with (root / "programs" / "drills" / "strides.md").open("a") as drill:
        drill.write(f"\n{hostile}\n")
    site = root.parent / "site"
    assert run("build", "-q", "-f", project, "-o", site).exit_code == 0
    pages = {path.relative_to(site).as_posix(): path.read_text() for path in site.rglob("*.html")}
    athletes = [name for name in pages if name.startswith("athletes/")]
    assert any("a pixel" in pages[name] for name in athletes)  # the notes reached a private page
    for name, html in pages.items():
        for address in Fetches(html).addresses:
            assert "//" not in address and ":" not in address.split("/")[0], f"{name} loads {address}"
        assert "tracker.example" not in html, name
        assert 'href="https://journal.example/" rel="noopener noreferrer"' in html or "journal.example" not in html
