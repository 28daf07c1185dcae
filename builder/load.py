"""The load stage: read the project file, the programs and the drill library from disk."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from builder.errors import InputError, Problem
from builder.models import Drill, DrillPage, Program, Project
from builder.source import Source, read_yaml

PROJECT_FILE = "sprintback.yaml"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Library:
    """Everything the build reads, validated, with the place of every value."""

    root: Path
    """The folder of the project file; other paths are relative to it."""
    project: Project
    programs: dict[str, Program]
    drills: dict[str, DrillPage]
    sources: dict[str, Source]
    """Where each value stood, by file (relative to `root`)."""
    program_files: dict[str, str]
    """The file each program came from, by program id."""
    drill_files: dict[str, str]
    """The file each drill came from, by drill id."""
    updated: dt.datetime
    """When the inputs last changed: SOURCE_DATE_EPOCH, or the newest input file."""

    @property
    def project_source(self) -> Source:
        """The project file's place map (stored under its default name, whatever it is called)."""
        return self.sources[PROJECT_FILE]

    def program_source(self, program_id: str) -> Source:
        return self.sources[self.program_files[program_id]]

    def drill_source(self, drill_id: str) -> Source:
        return self.sources[self.drill_files[drill_id]]


def load_library(project_file: Path, *, source_date_epoch: int | None = None) -> Library:
    """Read and validate every input; raise InputError listing all problems at once."""
    root = project_file.resolve().parent
    problems: list[Problem] = []
    sources: dict[str, Source] = {}

    project_text = _read(project_file, project_file.name, problems)
    project: Project | None = None
    if project_text is not None:
        source, found = read_yaml(project_text, project_file.name)
        problems += found
        if source is not None:
            sources[PROJECT_FILE] = source
            project, found = source.validate(Project)
            problems += found
    if PROJECT_FILE not in sources:
        raise InputError(problems)

    # Even when the roster has problems, read the programs too: report everything at once.
    folders = _folders(project, sources[PROJECT_FILE])
    for key, folder in folders.items():
        if not (root / folder).is_dir():
            problems.append(
                sources[PROJECT_FILE].problem(
                    ("site", key), f"no folder {folder!r} of {key} next to {project_file.name}"
                )
            )
    if not (root / folders["programs"]).is_dir():
        raise InputError(problems)
    programs_dir = root / folders["programs"]

    program_paths = sorted(p for p in programs_dir.iterdir() if p.suffix in (".yaml", ".yml"))
    drill_paths = sorted((programs_dir / "drills").glob("*.md"))
    programs: dict[str, Program] = {}
    program_files: dict[str, str] = {}
    for path in program_paths:
        name = _shown(path, root)
        text = _read(path, name, problems)
        if text is None:
            continue
        source, found = read_yaml(text, name)
        problems += found
        if source is None:
            continue
        sources[name] = source
        program, found = source.validate(Program)
        problems += found
        if program is None:
            continue
        if program.id in programs:
            problems.append(
                source.problem(("id",), f"program id {program.id!r} is already used by {program_files[program.id]}")
            )
            continue
        programs[program.id] = program
        program_files[program.id] = name

    drills: dict[str, DrillPage] = {}
    drill_files: dict[str, str] = {}
    for path in drill_paths:
        name = _shown(path, root)
        text = _read(path, name, problems)
        if text is None:
            continue
        drill = _read_drill(path.stem, text, name, sources, problems)
        if drill is not None:
            drills[drill.id] = drill
            drill_files[drill.id] = name

    if problems or project is None:
        raise InputError(problems)
    inputs = [project_file, *program_paths, *drill_paths]
    return Library(
        root=root,
        project=project,
        programs=programs,
        drills=drills,
        sources=sources,
        program_files=program_files,
        drill_files=drill_files,
        updated=_updated(inputs, source_date_epoch),
    )


def _folders(project: Project | None, source: Source) -> dict[str, str]:
    """The programs and templates folders, from the project file even if it has problems."""
    if project is not None:
        return {"programs": project.site.programs, "templates": project.site.templates}
    site = source.data.get("site") if isinstance(source.data, dict) else None
    site = site if isinstance(site, dict) else {}
    return {
        key: value if isinstance(value := site.get(key), str) else default
        for key, default in (("programs", "programs"), ("templates", "templates"))
    }


def _shown(path: Path, root: Path) -> str:
    """A file's name in messages: relative to the project when it is inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _read(path: Path, name: str, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, 1, 1, "", "file not found"))
    except UnicodeDecodeError as error:
        problems.append(Problem(name, 1, 1, "", f"not UTF-8 text (byte {error.start})"))
    except OSError as error:
        problems.append(Problem(name, 1, 1, "", f"cannot read: {error.strerror}"))
    return None


def _read_drill(
    stem: str, text: str, name: str, sources: dict[str, Source], problems: list[Problem]
) -> DrillPage | None:
    """A drill file: YAML front matter between `---` lines, then the Markdown description."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        expected = "expected front matter: a first line '---', the drill's YAML, then '---'"
        problems.append(Problem(name, 1, 1, "", expected))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(name, 1, 1, "", "front matter has no closing '---' line"))
        return None
    source, found = read_yaml("".join(lines[1:end]), name, first_line=2)
    problems += found
    if source is None:
        return None
    sources[name] = source
    drill, found = source.validate(Drill, source.data if source.data is not None else {})
    problems += found
    if drill is None:
        return None
    if not _SLUG.fullmatch(stem):
        expected = "expected lower-case letters, digits and hyphens"
        problems.append(Problem(name, 1, 1, "", f"the file name {stem!r} is the drill's id: {expected}"))
        return None
    return DrillPage(id=stem, description="".join(lines[end + 1 :]).strip(), **dict(drill))


def _updated(inputs: list[Path], source_date_epoch: int | None) -> dt.datetime:
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
    newest = max(path.stat().st_mtime for path in inputs)
    return dt.datetime.fromtimestamp(int(newest), dt.UTC)


SECRET_FILE = ".sprintback-secret"
SECRET_VARIABLE = "SPRINTBACK_SECRET"


def load_secret(root: Path, environment: dict[str, str]) -> bytes:
    """The key behind private addresses: $SPRINTBACK_SECRET, else the project's secret file.

    A project without either gets a new random secret file (git-ignored), so private
    addresses stay the same from build to build on this machine.
    """
    if environment.get(SECRET_VARIABLE):
        return environment[SECRET_VARIABLE].encode()
    path = root / SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip().encode()
