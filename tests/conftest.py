"""Shared fixtures: projects on disk, built sites, and a way to run the real command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.build import gather
from builder.cli import main
from builder.ledger import LEDGER_FILE
from builder.links import Links

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
GOLDEN = REPO / "tests" / "golden"
MINI = FIXTURES / "mini"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
SECRET = "sprintback-tests-key-not-a-secret-0123456789"
ENVIRONMENT = {"SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": "0"}
"""What tests gather with: a fixed key and timestamp, nothing from the machine."""


@pytest.fixture(autouse=True)
def _fixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds in tests are reproducible: a fixed secret and timestamp, and the same outside CI and in it
    (tests of what CI changes set CI themselves)."""
    monkeypatch.setenv("SPRINTBACK_SECRET", SECRET)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("CI", raising=False)


def edit(path: Path, old: str, new: str) -> None:
    """Replace text that stands in the file exactly once (a test's edit of its own copy of a project)."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new))


def copy_project(source: Path, target: Path) -> Path:
    """Copy a project to `target`, pointing it at the repository's templates."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".sprintback-secret"))
    project = target / "sprintback.yaml"
    text = project.read_text()
    if "templates:" in text:
        lines = [
            f"  templates: {REPO / 'templates'}" if line.strip().startswith("templates:") else line
            for line in text.splitlines()
        ]
        project.write_text("\n".join(lines) + "\n")
    return project


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture project; returns its project file."""
    return copy_project(MINI, tmp_path / "mini")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A writable copy of the shipped project (programs, roster, templates)."""
    return copy_shipped(tmp_path / "shipped")


def copy_shipped(target: Path) -> Path:
    """Copy the shipped project (programs, templates, roster, logs, feed ledger) to `target`."""
    target.mkdir(parents=True)
    for name in ("programs", "templates", "log"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    for name in ("sprintback.yaml", LEDGER_FILE):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, target / name)
    return target / "sprintback.yaml"


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run the command line in-process, as a user would type it."""

    def invoke(*args: str | Path) -> Result:
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped project built once, through the real console command in a subprocess."""
    folder = tmp_path_factory.mktemp("shipped")
    project = copy_shipped(folder / "project")
    out = folder / "site"
    env = {**os.environ, "SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": EPOCH}
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "-q", "-f", str(project), "-o", str(out)],
        check=True,
        env=env,
        cwd=REPO,
    )
    yield out


@pytest.fixture
def mini_site(run: Run, mini: Path, tmp_path: Path) -> Path:
    """The small fixture project, built."""
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    return out


def athlete_dir(project: Path, athlete_id: str) -> str:
    """The private folder of an athlete's page and feed, under the tests' secret."""
    plan = next(p for p in gather(project, ENVIRONMENT).plans if p.athlete_id == athlete_id)
    return Links(SECRET.encode()).athlete_dir(athlete_id, plan.athlete)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }
