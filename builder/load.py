"""The load stage: read the project file, the programs, the drill library, the templates and the key."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from builder import wording
from builder.errors import InputError, Problem, SettingError, excerpt
from builder.ledger import LEDGER_FILE, Ledger, read_ledger
from builder.library import PROJECT_FILE, Library, Secret, Template
from builder.models import Drill, DrillPage, Log, Program, Project
from builder.shipped import TEMPLATES, shipped_folder
from builder.source import Source, read_yaml
from builder.write import MARKER

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
SECRET_FILE = ".sprintback-secret"
SECRET_VARIABLE = "SPRINTBACK_SECRET"
CI_VARIABLE = "CI"
"""Set to true by CI services (GitHub Actions, GitLab CI and others), whose logs many people read."""
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
KEY_LENGTH = 32
"""Characters a key must have at least: 128 bits even of hex digits, like the key a build makes."""
MAKE_KEY = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
LAST_EPOCH = 253370764799
"""The last SOURCE_DATE_EPOCH taken (9998-12-31 23:59:59 UTC): stamps stay within Python's calendar."""

MAX_BYTES = 2_000_000
"""The largest program, drill, log or template file read: far above any real one, and a bound on
the time and memory a stray file can cost."""
MAX_PROJECT_BYTES = 10_000_000
"""The largest project file read: its roster grows with the club (some 200 bytes an athlete)."""
MAX_LEDGER_BYTES = 200_000_000
"""The largest feed ledger read: the build writes it, one line per calendar event."""
MAX_STATIC_BYTES = 100_000_000
"""The largest static file (an image, a font, a video) read."""
MAX_KEY_BYTES = 4096
"""The largest key file read: a key is a line of some 43 characters."""


@dataclass(frozen=True)
class _Folder:
    """A folder whose files are read: a link in it may only lead to a file inside it."""

    path: Path
    real: Path
    name: str
    """As messages name it: `programs/`."""


def load_library(
    project_file: Path,
    environment: Mapping[str, str],
    *,
    output: Path | None = None,
    key_needed: str | None = None,
) -> Library:
    """Read and validate every input; raise InputError listing all problems at once.

    From the environment: SOURCE_DATE_EPOCH (the time changed calendar events are stamped
    with) and SPRINTBACK_SECRET (the key behind private addresses). `output` is the folder
    the site goes to, if not the project's own: whether a site stands there already matters
    when the feed ledger is missing. `key_needed` says why a new key may not be made
    (`--strict`, `CI=true`): a project without one is then refused (SettingError).
    """
    source_date_epoch = _epoch(environment)
    root = project_file.resolve().parent
    problems: list[Problem] = []
    secret = _secret(root, environment, problems, key_needed)
    sources: dict[str, Source] = {}

    project_text = _read(project_file, project_file.name, problems, limit=MAX_PROJECT_BYTES)
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
    project_source = sources[PROJECT_FILE]

    # Even when the roster has problems, read the programs too: report everything at once.
    folders: dict[str, Path] = {}
    for key, setting in _folders(project, project_source).items():
        folder = _setting_folder(root, setting, key, project_source, problems)
        if folder is None:
            continue
        if folder.is_dir():
            folders[key] = folder
            continue
        message = f"no folder {excerpt(setting)!r} of {key} next to {project_file.name}"
        if key == "templates" and not (folder.exists() or folder.is_symlink()):
            if not _given(project_source, key):
                continue  # no templates of the project's own: those that ship with Sprintback serve
            message = wording.no_templates_folder_text(excerpt(setting), project_file.name)
        problems.append(project_source.problem(("site", key), message))
    if "programs" not in folders:
        raise InputError(problems)
    programs_folder = _folder(folders["programs"], root)

    program_paths = _listing(programs_folder, (".yaml", ".yml"), "programs", project_source, problems)
    drill_paths = _drill_paths(programs_folder, root, project_source, problems)
    programs: dict[str, Program] = {}
    program_files: dict[str, str] = {}
    for path in program_paths:
        name = _shown(path, root)
        text = _read(path, name, problems, inside=programs_folder)
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
    for path, drills_folder in drill_paths:
        name = _shown(path, root)
        text = _read(path, name, problems, inside=drills_folder)
        if text is None:
            continue
        drill = _read_drill(path.stem, text, name, sources, problems)
        if drill is not None:
            drills[drill.id] = drill
            drill_files[drill.id] = name

    templates_folder = folders["templates"].resolve() if "templates" in folders else root / "templates"
    templates, static = _read_templates(templates_folder, root, problems)
    logs, log_files = _read_logs(root, project, sources, problems)
    ledger_text = _read(
        root / LEDGER_FILE, LEDGER_FILE, problems, limit=MAX_LEDGER_BYTES, inside=_folder(root, root), missing_ok=True
    )
    ledger, found = read_ledger(ledger_text, LEDGER_FILE)
    problems += found
    built_site = None
    if project is not None:
        setting = project.site.output
        target = output if output is not None else _setting_folder(root, setting, "output", project_source, problems)
        if target is not None and (target / MARKER).is_file():
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


def _given(source: Source, key: str) -> bool:
    """Whether the project file sets `site.<key>` itself, rather than leaving it at its default."""
    site = source.data.get("site") if isinstance(source.data, dict) else None
    return isinstance(site, dict) and key in site


def project_path(root: Path, setting: str) -> Path:
    """A folder the project file names: `~` is the home folder, a relative path starts beside the project file."""
    return root / Path(setting).expanduser()


def _setting_folder(root: Path, setting: str, key: str, source: Source, problems: list[Problem]) -> Path | None:
    try:
        return project_path(root, setting)
    except RuntimeError:  # `~name` of no user, or no home folder known
        home = setting.split("/", 1)[0]
        problems.append(source.problem(("site", key), f"no home folder for {excerpt(home)!r} in {excerpt(setting)!r}"))
        return None


def _folder(path: Path, root: Path) -> _Folder:
    name = "the project's folder" if path == root else _shown(path, root).rstrip("/") + "/"
    return _Folder(path, path.resolve(), name)


def _shown(path: Path, root: Path) -> str:
    """A file's name in messages: relative to the project when it is inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _listing(
    folder: _Folder, suffixes: tuple[str, ...], setting: str, source: Source, problems: list[Problem]
) -> list[Path]:
    """The files of a folder with one of the suffixes, sorted; hidden ones (an editor's lock file) left out."""
    try:
        names = sorted(os.listdir(folder.path))
    except OSError as error:
        problems.append(source.problem(("site", setting), f"cannot read the folder {folder.name}: {_reason(error)}"))
        return []
    return [folder.path / name for name in names if not name.startswith(".") and Path(name).suffix in suffixes]


def _drill_paths(programs: _Folder, root: Path, source: Source, problems: list[Problem]) -> list[tuple[Path, _Folder]]:
    """The drill files, `drills/*.md` in the programs folder, each with the folder it must stay in."""
    drills = _folder(programs.path / "drills", root)
    if not drills.path.is_dir():
        what = "is not a folder" if drills.path.exists() or drills.path.is_symlink() else "is missing"
        message = f"the drill library {drills.name} {what}: it holds one <drill id>.md file per drill"
        problems.append(source.problem(("site", "programs"), message))
        return []
    if not drills.real.is_relative_to(programs.real):
        message = f"{drills.name} is a link to a folder outside {programs.name}; put the drill files in it"
        problems.append(source.problem(("site", "programs"), message))
        return []
    return [(path, drills) for path in _listing(drills, (".md",), "programs", source, problems)]


def _read(
    path: Path,
    name: str,
    problems: list[Problem],
    *,
    limit: int = MAX_BYTES,
    inside: _Folder | None = None,
    missing_ok: bool = False,
) -> str | None:
    """A text file's text (UTF-8, a leading byte-order mark dropped), or None with the problem noted."""
    data = _read_bytes(path, name, problems, limit=limit, inside=inside, missing_ok=missing_ok)
    if data is None:
        return None
    mark = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[mark:].decode("utf-8")
    except UnicodeDecodeError as error:
        at = mark + error.start
        line = data.count(b"\n", 0, at) + 1
        line_start = data.rfind(b"\n", mark, at) + 1 or mark
        column = len(data[line_start:at].decode("utf-8", errors="replace")) + 1
        problems.append(Problem(name, line, column, "", f"not UTF-8 text (byte {at})"))
        return None


def _read_bytes(
    path: Path,
    name: str,
    problems: list[Problem],
    *,
    limit: int,
    inside: _Folder | None = None,
    missing_ok: bool = False,
) -> bytes | None:
    """A regular file's bytes, at most `limit` of them; a link must lead to a file `inside` the folder.

    Named pipes, devices and folders are refused before they are opened, so nothing waits for
    a writer or reads without end; a file that vanishes meanwhile is reported, not a crash.
    """

    def refuse(message: str) -> None:
        problems.append(Problem(name, 1, 1, "", message))

    try:
        if inside is not None and not path.resolve().is_relative_to(inside.real):
            refuse(f"a link to a file outside {inside.name}; Sprintback reads only the files in it")
            return None
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            refuse(f"expected a file, found {_kind(status.st_mode)}")
            return None
        if status.st_size > limit:
            refuse(_too_large(status.st_size, limit))
            return None
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check above
                refuse("expected a file, found something else")
                return None
            data = handle.read(limit + 1)
    except FileNotFoundError:
        if path.is_symlink():
            refuse("a link to a file that does not exist")
        elif not missing_ok:
            refuse("file not found")
        return None
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop of links, before Python 3.13
        refuse(f"cannot read: {_reason(error)}")
        return None
    if len(data) > limit:  # it grew since it was measured
        refuse(_too_large(max(len(data), status.st_size), limit))
        return None
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something else"


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {size:,} bytes, more than the {limit // 1_000_000} MB a file here may hold"


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    return "a loop of links" if isinstance(error, RuntimeError) else str(error)


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
        problems.append(Problem(name, 1, 1, "", f"the file name {excerpt(stem)!r} is the drill's id: {expected}"))
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
    project_source = sources[PROJECT_FILE]
    path = _setting_folder(root, project.site.logs, "logs", project_source, problems)
    if path is None or not (path.exists() or path.is_symlink()):
        return logs, files  # no log yet
    if not path.is_dir():
        problems.append(project_source.problem(("site", "logs"), f"{excerpt(project.site.logs)!r} is not a folder"))
        return logs, files
    folder = _folder(path, root)
    for path in _listing(folder, (".yaml", ".yml"), "logs", project_source, problems):
        name = _shown(path, root)
        if path.stem not in project.athletes:
            known = ", ".join(project.athletes) or "none"
            message = f"no athlete {excerpt(path.stem)!r} in the roster for this log; athletes: {known}"
            problems.append(Problem(name, 1, 1, "", message))
            continue
        if path.stem in files:
            message = f"a second log for {path.stem!r}, after {files[path.stem]}; keep one of them"
            problems.append(Problem(name, 1, 1, "", message))
            continue
        files[path.stem] = name
        text = _read(path, name, problems, inside=folder)
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
    return logs, {athlete: name for athlete, name in files.items() if athlete in logs}


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
    """The templates (every file outside `static/`) as text, and the static files as bytes: each from the
    project's templates folder where it has the file, else from the templates that ship with Sprintback."""
    templates, static = _read_template_folder(shipped_folder(TEMPLATES), root, problems)
    if folder.is_dir() and folder.resolve() != shipped_folder(TEMPLATES).resolve():
        own_templates, own_static = _read_template_folder(folder, root, problems)
        templates = dict(sorted((templates | own_templates).items()))
        static = dict(sorted((static | own_static).items()))
    return templates, static


def _read_template_folder(
    folder: Path, root: Path, problems: list[Problem]
) -> tuple[dict[str, Template], dict[str, bytes]]:
    """The templates and static files of one folder."""
    templates: dict[str, Template] = {}
    static: dict[str, bytes] = {}
    if not folder.is_dir():
        return templates, static
    within = _folder(folder, root)
    for path in _files_under(within, root, problems):
        name = path.relative_to(folder).as_posix()
        shown = _shown(path, root)
        if name.startswith("static/"):
            data = _read_bytes(path, shown, problems, limit=MAX_STATIC_BYTES, inside=within)
            if data is not None:
                static[name.removeprefix("static/")] = data
            continue
        text = _read(path, shown, problems, inside=within)
        if text is not None:
            templates[name] = Template(text, path)
    return templates, static


def _files_under(folder: _Folder, root: Path, problems: list[Problem]) -> list[Path]:
    """Every file under a folder, sorted; links to folders are refused, not followed."""
    files: list[Path] = []

    def unreadable(error: OSError) -> None:
        where = _shown(Path(error.filename), root) if error.filename else folder.name
        problems.append(Problem(where, 1, 1, "", f"cannot read this folder: {_reason(error)}"))

    for top, folders, names in os.walk(folder.path, onerror=unreadable):
        for name in folders:
            if (Path(top) / name).is_symlink():
                message = "a link to a folder; put the files themselves here, Sprintback does not follow it"
                problems.append(Problem(_shown(Path(top) / name, root), 1, 1, "", message))
        files += [Path(top) / name for name in names]
    return sorted(files, key=lambda path: path.relative_to(folder.path).as_posix())


def _epoch(environment: Mapping[str, str]) -> int | None:
    """SOURCE_DATE_EPOCH, the reproducible-builds timestamp, if set."""
    epoch = environment.get(EPOCH_VARIABLE)
    if epoch is None:
        return None
    if not re.fullmatch(r"[0-9]+", epoch.strip()):
        raise SettingError(f"{EPOCH_VARIABLE} must be whole seconds since 1970, got {excerpt(epoch)!r}")
    digits = epoch.strip().lstrip("0") or "0"
    if len(digits) > len(str(LAST_EPOCH)) or int(digits) > LAST_EPOCH:
        raise SettingError(
            f"{EPOCH_VARIABLE} must be whole seconds since 1970 up to {LAST_EPOCH} (the end of the year 9998), "
            f"got {excerpt(epoch)!r}"
        )
    return int(digits)


def running_in_ci(environment: Mapping[str, str]) -> str | None:
    """The value of CI when it says this runs in CI (`true`, `1`, `yes`), else None."""
    value = environment.get(CI_VARIABLE, "").strip()
    return None if value.lower() in ("", "false", "0", "no", "off") else value


def _secret(root: Path, environment: Mapping[str, str], problems: list[Problem], key_needed: str | None) -> Secret:
    """The key behind private addresses: $SPRINTBACK_SECRET, else the project's secret file.

    A project without either gets a new random key, which the write stage saves
    (git-ignored), so private addresses stay the same from build to build here; unless
    `key_needed` says why not (a build in CI, or with --strict): a new key there would
    move every athlete's address, so the build is refused before it reads anything else.
    A key too short to keep the addresses unguessable is refused; no message shows it.
    """
    path = root / SECRET_FILE
    if SECRET_VARIABLE in environment:
        value = environment[SECRET_VARIABLE]
        weak = _weakness(value.strip())
        if weak == "empty":
            raise SettingError(
                f"{SECRET_VARIABLE} is set but empty; set it to a random key of at least {KEY_LENGTH} characters, "
                f"made with: {MAKE_KEY}; or unset it to use {SECRET_FILE}"
            )
        if weak:
            raise SettingError(
                f"{SECRET_VARIABLE} is {weak}; private addresses need a random key of at least {KEY_LENGTH} "
                f"characters, made with: {MAKE_KEY}"
            )
        return Secret(value.encode(), made=False, file=path)
    found: list[Problem] = []
    text = _read(path, SECRET_FILE, found, limit=MAX_KEY_BYTES, missing_ok=True)
    if found:
        problems += found
        return Secret(b"", made=False, file=path)
    if text is None:
        if key_needed is not None:
            raise SettingError(wording.no_key_text(key_needed, SECRET_VARIABLE, SECRET_FILE))
        return Secret(secrets.token_urlsafe(32).encode(), made=True, file=path)
    key = text.strip()
    weak = _weakness(key)
    if weak == "empty":
        problems.append(Problem(SECRET_FILE, 1, 1, "", "the key file is empty; delete it to make a new key"))
    elif weak:
        message = (
            f"the key is {weak}; private addresses need a random key of at least {KEY_LENGTH} characters: "
            f"delete the file to have the next build make one (every private address changes), "
            f"or put in one made with: {MAKE_KEY}"
        )
        problems.append(Problem(SECRET_FILE, 1, 1, "", message))
    return Secret(key.encode(), made=False, file=path)


def _weakness(key: str) -> str:
    """What makes a key too weak ("empty", "too short (11 characters)"), or "" for a good one."""
    if not key:
        return "empty"
    if len(key) < KEY_LENGTH:
        return f"too short ({len(key)} characters)"
    if len(set(key)) < 8:
        return f"too plain ({len(set(key))} different characters)"
    return ""
