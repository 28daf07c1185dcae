"""`sprintback init`: a new project outside the repository builds at once, with the templates that ship
with Sprintback, overridden file by file by the project's own; and what ships is inside the package."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, Run, edit, files_of

README = (REPO / "README.md").read_text()
OWN_FOOTER = "Riverside AC, physio room 2"


def sprintback(*args: str | Path, cwd: Path, path: Path = REPO) -> subprocess.CompletedProcess[str]:
    """The command run as a user runs it, in a folder outside the repository, with Sprintback importable from
    `path` alone (the checkout, or an unpacked wheel)."""
    env = {**os.environ, "PYTHONPATH": str(path)}
    return subprocess.run(
        [sys.executable, "-m", "builder", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True
    )


def new_project(folder: Path) -> Path:
    """`sprintback init` into `folder`; returns the project file."""
    made = sprintback("init", folder, cwd=folder.parent)
    assert made.returncode == 0, made.stderr
    return folder / "sprintback.yaml"


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    built = sprintback("build", *args, cwd=project.parent)
    assert built.returncode == 0, built.stderr
    return built


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_init_writes_a_project_that_builds_at_once(tmp_path: Path) -> None:
    made = sprintback("init", "clubs/riverside", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "clubs" / "riverside"
    assert sorted(path.relative_to(folder).as_posix() for path in folder.iterdir()) == [
        ".gitignore",
        "programs",
        "sprintback.yaml",
    ]
    assert sorted(path.name for path in (folder / "programs").glob("*.yaml")) == ["calf.yaml", "hamstring.yaml"]
    assert files_of(folder / "programs" / "drills") == files_of(REPO / "programs" / "drills")
    assert "Wrote sprintback.yaml" in made.stdout
    assert "49 drills in programs/drills/" in made.stdout
    assert f"templates come with Sprintback, in {REPO / 'templates'}" in made.stdout
    assert made.stdout.endswith("Next: cd clubs/riverside && sprintback build\n")

    built = build(folder / "sprintback.yaml")
    assert "for 1 athlete into" in built.stdout
    site = folder / "site"
    assert (site / "index.html").is_file()
    assert (site / "programs" / "hamstring" / "index.html").is_file()
    assert (site / "programs" / "calf" / "index.html").is_file()
    athlete_pages = list((site / "athletes").glob("*/index.html"))
    assert len(athlete_pages) == 1
    assert "Example Athlete" in athlete_pages[0].read_text()
    assert len(list((site / "drills").glob("*/index.html"))) == 49
    # Pages and static files laid out by the templates that ship, though the project has none.
    assert not (folder / "templates").exists()
    assert files_of(site / "static") == files_of(REPO / "templates" / "static")
    gitignored = (folder / ".gitignore").read_text().splitlines()
    assert "/site/" in gitignored
    assert ".sprintback-secret" in gitignored


def test_init_in_the_current_folder_says_to_build_there(tmp_path: Path) -> None:
    made = sprintback("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "sprintback.yaml").is_file()
    assert made.stdout.endswith("Next: sprintback build\n")


def test_a_template_in_the_project_replaces_sprintbacks_own_file_by_file(tmp_path: Path) -> None:
    project = new_project(tmp_path / "club")
    own = project.parent / "templates"
    (own / "static").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "base.html", own / "base.html")
    edit(own / "base.html", '<footer class="site">\n', f'<footer class="site">\n  <p>{OWN_FOOTER}</p>\n')
    (own / "static" / "crest.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    build(project)
    site = project.parent / "site"
    every = pages(site)
    assert len(every) > 100
    assert [page for page in every if OWN_FOOTER not in page.read_text()] == []
    # The other templates are Sprintback's: each page still has what only they lay out.
    assert "Example Athlete" in next((site / "athletes").glob("*/index.html")).read_text()
    assert (site / "static" / "style.css").read_bytes() == (REPO / "templates" / "static" / "style.css").read_bytes()
    assert (site / "static" / "crest.svg").is_file()


def test_an_error_in_the_projects_own_template_is_named_at_its_place(tmp_path: Path) -> None:
    project = new_project(tmp_path / "club")
    (project.parent / "templates").mkdir()
    (project.parent / "templates" / "drill.html").write_text(
        '{% extends "base.html" %}\n{% block main %}{{ drill.nmae }}{% endblock %}\n'
    )
    failed = sprintback("build", cwd=project.parent)
    assert failed.returncode == 1
    assert failed.stderr == (
        "error: templates/drill.html:2:26: 'builder.models.DrillPage object' has no attribute 'nmae'\n"
        "Stopped: 1 problem found; nothing was written.\n"
    )
    assert not (project.parent / "site").exists()


def test_a_templates_folder_named_but_missing_is_an_error(tmp_path: Path) -> None:
    project = new_project(tmp_path / "club")
    edit(project, "  athletes_public: false", "  templates: theme\n  athletes_public: false")
    failed = sprintback("build", cwd=project.parent)
    assert failed.returncode == 1
    assert failed.stderr.startswith(
        "error: sprintback.yaml:9:14: site.templates: no folder 'theme' of templates next to sprintback.yaml; "
        "leave site.templates out to use the templates that come with Sprintback\n"
    )


def test_init_overwrites_nothing_and_writes_nothing_beside_what_is_there(tmp_path: Path) -> None:
    folder = tmp_path / "club"
    (folder / "programs" / "drills").mkdir(parents=True)
    (folder / "sprintback.yaml").write_text("site: {title: Ours}\n")
    (folder / "programs" / "drills" / "a-skip.md").write_text("our own notes\n")
    before = files_of(folder)
    refused = sprintback("init", folder, cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        f"error: {folder} already has sprintback.yaml, programs/drills/a-skip.md; `sprintback init` overwrites "
        "nothing and wrote nothing: choose another folder, or move those files away\n"
    )
    assert files_of(folder) == before
    assert sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")) == [
        "programs",
        "programs/drills",
        "programs/drills/a-skip.md",
        "sprintback.yaml",
    ]


def test_init_refuses_a_file_where_a_folder_of_the_project_goes(tmp_path: Path) -> None:
    (tmp_path / "programs").write_text("a file, not a folder\n")
    refused = sprintback("init", cwd=tmp_path)
    assert refused.returncode == 1
    assert "already has programs;" in refused.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["programs"]


def test_the_readme_adductor_example_builds_as_written(tmp_path: Path, run: Run) -> None:
    """The program format's example, saved as programs/adductor.yaml of a new project, builds with athletes of
    both its grades, without a warning."""
    found = re.search(r"```yaml\n(id: adductor .*?)```", README, re.S)
    assert found is not None
    project = new_project(tmp_path / "club")
    (project.parent / "programs" / "adductor.yaml").write_text(found.group(1))
    athletes = "".join(
        f"  adductor-{grade}:\n    name: Adductor Example {grade}\n"
        f"    injury: {{type: adductor, grade: {grade}, side: right}}\n"
        "    start: 2026-01-12\n    timezone: Europe/London\n    training_days: [mon, wed, fri, sat]\n"
        for grade in (1, 2)
    )
    project.write_text(project.read_text() + athletes)
    result = run("build", "--strict", "-f", project)
    assert result.exit_code == 0, result.output
    assert "for 3 athletes into" in result.output
    assert "warning" not in result.output
    assert (project.parent / "site" / "programs" / "adductor" / "index.html").is_file()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sprintback's wheel, built offline from a copy of the repository's files (nothing is written to it)."""
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("builder", "templates", "programs"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["-w", str(folder / "out"), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = (folder / "out").glob("sprintback-*.whl")
    return built


def test_the_wheel_holds_the_templates_static_files_and_programs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "programs"):
        shipped = {f"builder/{folder}/{name}" for name in files_of(REPO / folder)}
        assert shipped - names == set(), folder
    assert "builder/templates/static/style.css" in names
    assert "builder/programs/drills/nordic-hamstring.md" in names


def test_a_project_builds_with_sprintback_installed_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    """Installed, not run from the repository: init and build find what ships inside the package."""
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    made = sprintback("init", "club", cwd=tmp_path, path=installed)
    assert made.returncode == 0, made.stderr
    assert f"templates come with Sprintback, in {installed / 'builder' / 'templates'}" in made.stdout
    built = sprintback("build", cwd=tmp_path / "club", path=installed)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "club" / "site"
    assert (site / "programs" / "hamstring" / "index.html").is_file()
    static = installed / "builder" / "templates" / "static"
    assert files_of(site / "static") == files_of(static)
