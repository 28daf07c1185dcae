"""The load stage: read the project file, the programs, the drill library, the templates and the key."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from builder.errors import InputError, Problem, SettingError
from builder.ledger import LEDGER_FILE, Ledger, read_ledger
from builder.library import PROJECT_FILE, Library, Secret, Template
from builder.models import Drill, DrillPage, Log, Program, Project
from builder.source import Source, read_yaml
from builder.write import MARKER

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
SECRET_FILE = ".sprintback-secret"
SECRET_VARIABLE = "SPRINTBACK_SECRET"
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def load_library(project_file: Path, environment: Mapping[str, str], *, output: Path | None = None) -> Library:
    """Read and validate every input; raise InputError listing all problems at once.

    From the environment: SOURCE_DATE_EPOCH (the time changed calendar events are stamped
    with) and SPRINTBACK_SECRET (the key behind private addresses). `output` is the folder
    the site goes to, if not the project's own: whether a site stands there already matters
    when the feed ledger is missing.
    """
    source_date_epoch = _epoch(environment)
    root = project_file.resolve().parent
    secret = _secret(root, environment)
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

    templates_folder = (root / folders["templates"]).resolve()
    templates, static = _read_templates(templates_folder, root, problems)
    logs, log_files = _read_logs(root, project, sources, problems)
    ledger_path = root / LEDGER_FILE
    ledger_text = _read(ledger_path, LEDGER_FILE, problems) if ledger_path.exists() else None
    ledger, found = read_ledger(ledger_text, LEDGER_FILE)
    problems += found
    built_site = None
    if project is not None:
        target = output if output is not None else root / project.site.output
        if (target / MARKER).is_file():
            built_site = _shown(target.resolve(), root) + "/"

    if problems or project is None:
        raise InputError(problems)
    return Library(
        root=root,
        project=project,
        programs=programs,
        drills=drills,
        sources=sources,
        program_files=program_files,
        drill_files=drill_files,
        logs=logs,
        log_files=log_files,
        ledger=ledger,
        built_site=built_site,
        now=_now(source_date_epoch, logs, ledger),
        secret=secret,
        templates_folder=templates_folder,
        templates=templates,
        static=static,
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


def _read_logs(
    root: Path, project: Project | None, sources: dict[str, Source], problems: list[Problem]
) -> tuple[dict[str, Log], dict[str, str]]:
    """Every athlete's log: `<logs folder>/<athlete id>.yaml`, for athletes of the roster."""
    logs: dict[str, Log] = {}
    files: dict[str, str] = {}
    if project is None:
        return logs, files
    folder = root / project.site.logs
    if not folder.is_dir():
        return logs, files
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        name = _shown(path, root)
        if path.stem not in project.athletes:
            known = ", ".join(project.athletes) or "none"
            problems.append(
                Problem(name, 1, 1, "", f"no athlete {path.stem!r} in the roster for this log; athletes: {known}")
            )
            continue
        text = _read(path, name, problems)
        if text is None:
            continue
        source, found = read_yaml(text, name)
        problems += found
        if source is None:
            continue
        sources[name] = source
        log, found = source.validate(Log, source.data if source.data is not None else {})
        problems += found
        if log is not None:
            logs[path.stem] = log
            files[path.stem] = name
    return logs, files


def _now(source_date_epoch: int | None, logs: dict[str, Log], ledger: Ledger) -> dt.datetime:
    """When this build's changes happened: SOURCE_DATE_EPOCH, else the newest day the logs or ledger know."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
    days = [record.date for log in logs.values() for record in log.records]
    known = [dt.datetime.combine(max(days), dt.time(), dt.UTC)] if days else []
    newest = ledger.newest()
    known += [newest] if newest is not None else []
    return max(known, default=dt.datetime.fromtimestamp(0, dt.UTC))


def _read_templates(folder: Path, root: Path, problems: list[Problem]) -> tuple[dict[str, Template], dict[str, bytes]]:
    """The templates (every file outside `static/`) as text, and the static files as bytes."""
    templates: dict[str, Template] = {}
    static: dict[str, bytes] = {}
    if not folder.is_dir():
        return templates, static
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if name.startswith("static/"):
            try:
                static[name.removeprefix("static/")] = path.read_bytes()
            except OSError as error:
                problems.append(Problem(_shown(path, root), 1, 1, "", f"cannot read: {error.strerror}"))
            continue
        text = _read(path, _shown(path, root), problems)
        if text is not None:
            templates[name] = Template(text, path)
    return templates, static


def _epoch(environment: Mapping[str, str]) -> int | None:
    """SOURCE_DATE_EPOCH, the reproducible-builds timestamp, if set."""
    epoch = environment.get(EPOCH_VARIABLE)
    if epoch is None:
        return None
    if not epoch.strip().isdigit():
        raise SettingError(f"{EPOCH_VARIABLE} must be whole seconds since 1970, got {epoch!r}")
    return int(epoch)


def _secret(root: Path, environment: Mapping[str, str]) -> Secret:
    """The key behind private addresses: $SPRINTBACK_SECRET, else the project's secret file.

    A project without either gets a new random key, which the write stage saves
    (git-ignored), so private addresses stay the same from build to build here.
    """
    path = root / SECRET_FILE
    if SECRET_VARIABLE in environment:
        value = environment[SECRET_VARIABLE]
        if not value.strip():
            raise SettingError(
                f"{SECRET_VARIABLE} is set but empty; set it to the key behind private addresses, "
                f"or unset it to use {SECRET_FILE}"
            )
        return Secret(value.encode(), made=False, file=path)
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return Secret(secrets.token_urlsafe(32).encode(), made=True, file=path)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(SECRET_FILE, 1, 1, "", f"cannot read the key: {error}")]) from None
    if not key:
        raise InputError([Problem(SECRET_FILE, 1, 1, "", "the key file is empty; delete it to make a new key")])
    return Secret(key.encode(), made=False, file=path)
