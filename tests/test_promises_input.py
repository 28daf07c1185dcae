"""Bad input, one case each: a clear message, the right exit status, no traceback, no hang, and the
site built before left byte for byte as it was.

Each case damages a copy of the small fixture project that has been built once, builds it again
with `sprintback build`, and compares every line the command printed and every file of the site.
A traceback fails a case (the runner does not catch exceptions), and so does a hang (a deadline).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest

from builder.build import build
from builder.errors import SHOWN_PER_FILE
from builder.load import MAKE_KEY, MAX_BYTES
from tests.conftest import EPOCH, MINI, REPO, SECRET, Run, copy_project, files_of

KEY = "k3y-that-must-never-be-printed-0123456789abcdef"
"""A key in the project's key file: no message may show it."""
ADDUCTOR = "programs/adductor.yaml"
STOPPED_1 = "Stopped: 1 problem found; nothing was written."


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture project's site, built once."""
    folder = tmp_path_factory.mktemp("baseline")
    project = copy_project(MINI, folder / "mini")
    build(project, {"SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": EPOCH}, output=folder / "site")
    return folder / "site"


@dataclass(frozen=True)
class Built:
    project: Path
    site: Path

    @property
    def root(self) -> Path:
        return self.project.parent

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text()
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1))

    def own_templates(self) -> Path:
        """Give the project its own copy of the templates (the shared ones must stay untouched)."""
        folder = self.root / "templates"
        shutil.copytree(REPO / "templates", folder)
        self.edit("sprintback.yaml", f"templates: {REPO / 'templates'}", "templates: templates")
        return folder


@pytest.fixture
def built(tmp_path: Path, baseline: Path) -> Built:
    """A copy of the mini project and of its built site."""
    project = copy_project(MINI, tmp_path / "mini")
    shutil.copytree(baseline, tmp_path / "site", symlinks=True)
    return Built(project, tmp_path / "site")


@pytest.fixture
def deadline() -> Iterator[None]:
    """A case that hangs fails after 30 s instead of holding the suite."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("the build hung")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 30)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def messages(output: str) -> list[str]:
    """What the command said, without click's usage lines."""
    return [line for line in output.splitlines() if line and not line.startswith(("Usage:", "Try "))]


Damage = Callable[[Built, pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class Case:
    damage: Damage
    status: int
    said: list[str]


def outside_file(built: Built) -> Path:
    """A file outside the project that holds a secret."""
    path = built.root.parent / "elsewhere.yaml"
    path.write_text(f"key: {KEY}\n")
    return path


def link(built: Built, name: str, target: Path | str) -> None:
    path = built.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def key_file(built: Built, monkeypatch: pytest.MonkeyPatch, data: bytes | None) -> Path:
    """Build with the project's key file instead of SPRINTBACK_SECRET; None leaves the file to the case."""
    monkeypatch.delenv("SPRINTBACK_SECRET")
    path = built.root / ".sprintback-secret"
    if data is not None:
        path.write_bytes(data)
    return path


def program_with(text: str) -> Damage:
    def damage(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
        (built.root / "programs" / "bad.yaml").write_text(text)

    return damage


def bomb() -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for before, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{before}"] * 9) + "]\n"
    return text


CASES: dict[str, Case] = {}


def case(name: str, status: int, *said: str) -> Callable[[Damage], Damage]:
    def register(damage: Damage) -> Damage:
        CASES[name] = Case(damage, status, list(said))
        return damage

    return register


# --- files and folders ----------------------------------------------------------


@case(
    "link-to-the-key-file",
    1,
    "error: programs/key.yaml:1:1: a link to a file outside programs/; Sprintback reads only the files in it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / ".sprintback-secret").write_text(KEY + "\n")
    link(built, "programs/key.yaml", "../.sprintback-secret")


@case(
    "program-linked-outside",
    1,
    "error: programs/other.yaml:1:1: a link to a file outside programs/; Sprintback reads only the files in it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    link(built, "programs/other.yaml", outside_file(built))


@case(
    "drill-linked-outside",
    1,
    "error: programs/drills/other.md:1:1: a link to a file outside programs/drills/; Sprintback reads only the "
    "files in it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    link(built, "programs/drills/other.md", outside_file(built))


@case(
    "drills-folder-linked-outside",
    1,
    "error: sprintback.yaml:2:3: site.programs: programs/drills/ is a link to a folder outside programs/; put the "
    "drill files in it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.move(built.root / "programs" / "drills", built.root.parent / "drills")
    link(built, "programs/drills", built.root.parent / "drills")


@case(
    "log-linked-outside",
    1,
    "error: log/ana.yaml:1:1: a link to a file outside log/; Sprintback reads only the files in it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    link(built, "log/ana.yaml", outside_file(built))


@case(
    "template-linked-outside",
    1,
    "error: templates/static/other.css:1:1: a link to a file outside templates/; Sprintback reads only the files in it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.own_templates()
    link(built, "templates/static/other.css", outside_file(built))


@case(
    "template-folder-link",
    1,
    "error: templates/static/more:1:1: a link to a folder; put the files themselves here, Sprintback does not "
    "follow it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.own_templates()
    link(built, "templates/static/more", built.root / "programs")


@case(
    "ledger-linked-outside",
    1,
    "error: feeds.lock:1:1: a link to a file outside the project's folder; Sprintback reads only the files in it",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / "feeds.lock").unlink()
    link(built, "feeds.lock", outside_file(built))


@case("named-pipe", 1, "error: programs/pipe.yaml:1:1: expected a file, found a named pipe", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(built.root / "programs" / "pipe.yaml")


@case("device", 1, "error: programs/null.yaml:1:1: expected a file, found a device", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        os.mknod(built.root / "programs" / "null.yaml", stat.S_IFCHR | 0o644, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs root")


@case("folder-named-like-a-program", 1, "error: programs/folder.yaml:1:1: expected a file, found a folder", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / "programs" / "folder.yaml").mkdir()


@case(
    "folder-named-like-a-drill", 1, "error: programs/drills/folder.md:1:1: expected a file, found a folder", STOPPED_1
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / "programs" / "drills" / "folder.md").mkdir()


@case("link-to-nothing", 1, "error: programs/gone.yaml:1:1: a link to a file that does not exist", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    link(built, "programs/gone.yaml", "nothing-here.yaml")


@case(
    "file-too-large",
    1,
    "error: programs/large.yaml:1:1: file too large: 2,000,003 bytes, more than the 2 MB a file here may hold",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / "programs" / "large.yaml").write_text("# " + "x" * MAX_BYTES + "\n")


@case(
    "no-drills-folder",
    1,
    "error: sprintback.yaml:2:3: site.programs: the drill library programs/drills/ is missing: it holds one "
    "<drill id>.md file per drill",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.rmtree(built.root / "programs" / "drills")


@case(
    "drills-is-a-file",
    1,
    "error: sprintback.yaml:2:3: site.programs: the drill library programs/drills/ is not a folder: it holds one "
    "<drill id>.md file per drill",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.rmtree(built.root / "programs" / "drills")
    (built.root / "programs" / "drills").write_text("")


@case("logs-is-a-file", 1, "error: sprintback.yaml:2:3: site.logs: 'log' is not a folder", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / "log").write_text("")


@case(
    "two-logs-for-one-athlete",
    1,
    "error: log/ana.yml:1:1: a second log for 'ana', after log/ana.yaml; keep one of them",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / "log").mkdir()
    (built.root / "log" / "ana.yaml").write_text("records: []\n")
    (built.root / "log" / "ana.yml").write_text("records: []\n")


@case("unreadable-file", 1, "error: programs/adductor.yaml:1:1: cannot read: permission denied", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root reads any file, so the refusal is made up where the file is opened.
    real_open = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == "adductor.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr("builder.load.os.open", refusing_open)


@case("file-gone-after-listing", 1, "error: programs/ghost.yaml:1:1: file not found", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    real_listdir = os.listdir

    def listing_a_ghost(path: str | os.PathLike[str]) -> list[str]:
        names = real_listdir(path)
        return [*names, "ghost.yaml"] if Path(path).name == "programs" else names

    monkeypatch.setattr("builder.load.os.listdir", listing_a_ghost)


@case(
    "unreadable-folder",
    1,
    "error: sprintback.yaml:2:3: site.programs: cannot read the folder programs/drills/: permission denied",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    real_listdir = os.listdir

    def refusing_listdir(path: str | os.PathLike[str]) -> list[str]:
        if Path(path).name == "drills":
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr("builder.load.os.listdir", refusing_listdir)


@case(
    "unreadable-template-folder",
    1,
    "error: templates/static:1:1: cannot read this folder: permission denied",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.own_templates()
    real_walk = os.walk

    def walk_meeting_a_refusal(
        top: Path, onerror: Callable[[OSError], None]
    ) -> Iterator[tuple[str, list[str], list[str]]]:
        if Path(top) == built.root / "templates":  # the project's own, not Sprintback's
            onerror(PermissionError(13, "Permission denied", str(Path(top) / "static")))
        yield from real_walk(top, onerror=onerror)

    monkeypatch.setattr("builder.load.os.walk", walk_meeting_a_refusal)


# --- the key behind private addresses, and the build's time ------------------------


@case(
    "secret-variable-short",
    2,
    "Error: SPRINTBACK_SECRET is too short (9 characters); private addresses need a random key of at least "
    f"32 characters, made with: {MAKE_KEY}",
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPRINTBACK_SECRET", "short-key")


@case(
    "secret-variable-blank",
    2,
    "Error: SPRINTBACK_SECRET is set but empty; set it to a random key of at least 32 characters, "
    f"made with: {MAKE_KEY}; or unset it to use .sprintback-secret",
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPRINTBACK_SECRET", "  ")


@case(
    "secret-variable-plain",
    2,
    "Error: SPRINTBACK_SECRET is too plain (2 different characters); private addresses need a random key of "
    f"at least 32 characters, made with: {MAKE_KEY}",
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPRINTBACK_SECRET", "ab" * 20)


@case(
    "key-file-short",
    1,
    "error: .sprintback-secret:1:1: the key is too short (9 characters); private addresses need a random key "
    "of at least 32 characters: delete the file to have the next build make one (every private address "
    f"changes), or put in one made with: {MAKE_KEY}",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file(built, monkeypatch, b"short-key\n")


@case(
    "key-file-blank", 1, "error: .sprintback-secret:1:1: the key file is empty; delete it to make a new key", STOPPED_1
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file(built, monkeypatch, b" \n\n")


@case("key-file-folder", 1, "error: .sprintback-secret:1:1: expected a file, found a folder", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file(built, monkeypatch, None).mkdir()


@case("key-file-not-utf8", 1, "error: .sprintback-secret:1:1: not UTF-8 text (byte 0)", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file(built, monkeypatch, b"\xff" + KEY.encode())


@case("key-file-named-pipe", 1, "error: .sprintback-secret:1:1: expected a file, found a named pipe", STOPPED_1)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(key_file(built, monkeypatch, None))


@case(
    "epoch-out-of-range",
    2,
    "Error: SOURCE_DATE_EPOCH must be whole seconds since 1970 up to 253370764799 (the end of the year 9998), got "
    "'99999999999999'",
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")


@case(
    "epoch-thousands-of-digits",
    2,
    "Error: SOURCE_DATE_EPOCH must be whole seconds since 1970 up to 253370764799 (the end of the year 9998), got "
    "'9999999999999999999999999999999999999999…'",
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 5000)


@case("epoch-superscript-digit", 2, "Error: SOURCE_DATE_EPOCH must be whole seconds since 1970, got '²'")
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "²")


# --- YAML ------------------------------------------------------------------------

case(
    "alias-bomb",
    1,
    "error: programs/bad.yaml:6:4: YAML: the aliases here stand for 597,871 values, over 200,000 more than the "
    "file writes out; write the values out, or use fewer aliases",
    STOPPED_1,
)(program_with(bomb()))
case("nested-600-deep", 1, "error: programs/bad.yaml:2:109: YAML: values nest more than 100 levels deep", STOPPED_1)(
    program_with("id: deep\nsummary: " + "[" * 600 + "]" * 600 + "\n")
)
case("nested-999-deep", 1, "error: programs/bad.yaml:101:201: YAML: values nest more than 100 levels deep", STOPPED_1)(
    program_with("".join("  " * level + "k:\n" for level in range(999)))
)
case(
    "nested-5000-deep",
    1,
    "error: programs/bad.yaml:1:1003: YAML syntax: values nest more than 100 levels deep",
    STOPPED_1,
)(program_with("a: " + "[" * 5000 + "]" * 5000 + "\n"))
case(
    "alias-of-itself",
    1,
    "error: programs/bad.yaml:2:10: YAML: this value holds an alias of itself, so it never ends; remove the alias",
    STOPPED_1,
)(program_with("id: loop\nsummary: &loop [*loop]\n"))
case(
    "merge-of-itself",
    1,
    "error: programs/bad.yaml:2:13: YAML: this value holds an alias of itself, so it never ends; remove the alias",
    STOPPED_1,
)(program_with("id: loop\nmonitoring: &loop {<<: *loop}\n"))
case(
    "int-tag-on-text",
    1,
    'error: programs/bad.yaml:2:10: version: YAML: !!int needs a whole number, got "abc"',
    STOPPED_1,
)(program_with("id: tagged\nversion: !!int abc\n"))
case(
    "float-tag-on-text", 1, 'error: programs/bad.yaml:2:10: version: YAML: !!float needs a number, got "abc"', STOPPED_1
)(program_with("id: tagged\nversion: !!float abc\n"))
case(
    "bool-tag-on-text",
    1,
    'error: programs/bad.yaml:2:10: version: YAML: !!bool needs true or false, got "maybe"',
    STOPPED_1,
)(program_with("id: tagged\nversion: !!bool maybe\n"))
case(
    "timestamp-tag-on-text",
    1,
    'error: programs/bad.yaml:2:10: version: YAML: !!timestamp needs a date as YYYY-MM-DD, got "abc"',
    STOPPED_1,
)(program_with("id: tagged\nversion: !!timestamp abc\n"))
case(
    "unknown-tag", 1, "error: programs/bad.yaml:2:10: version: YAML: unknown tag '!fancy'; leave the tag out", STOPPED_1
)(program_with("id: tagged\nversion: !fancy 1.0\n"))
case(
    "python-tag",
    1,
    "error: programs/bad.yaml:2:10: version: YAML: unknown tag '!!python/name:os.system'; leave the tag out",
    STOPPED_1,
)(program_with("id: tagged\nversion: !!python/name:os.system ls\n"))
case(
    "control-character",
    1,
    "error: programs/bad.yaml:2:15: YAML: the control character U+0007 is not allowed in YAML text; remove it",
    STOPPED_1,
)(program_with("id: bell\ntitle: Café ☕ \x07 the bell\n"))


@case(
    "hex-with-no-digits",
    1,
    'error: programs/adductor.yaml:40:14: sessions.technique.minutes: expected a whole number, got "0x_"',
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", "    minutes: 0x_\n")


@case(
    "leading-zero",
    1,
    "error: programs/adductor.yaml:40:14: sessions.technique.minutes: 040 has a leading zero, so YAML 1.1 reads "
    "it as the octal number 32; write 40, or quote it if it is text",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", "    minutes: 040\n")


@case(
    "leading-zero-not-octal",
    1,
    "error: programs/adductor.yaml:40:14: sessions.technique.minutes: 09 has a leading zero, which YAML 1.1 and "
    "YAML 1.2 read differently; write 9, or quote it if it is text",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", "    minutes: 09\n")


@case(
    "day-the-calendar-lacks",
    1,
    'error: sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got "2027-02-30": February '
    "2027 has 28 days",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit("sprintback.yaml", "start: 2027-01-06", "start: 2027-02-30")


@case(
    "month-13",
    1,
    'error: sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got "2027-13-06": there is '
    "no month 13",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit("sprintback.yaml", "start: 2027-01-06", "start: 2027-13-06")


@case(
    "hour-25",
    1,
    'error: sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got "2027-01-06 25:00:00"',
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit("sprintback.yaml", "start: 2027-01-06", "start: 2027-01-06 25:00:00")


@case(
    "impossible-date-as-key",
    1,
    "error: programs/adductor.yaml:87:12: phases[0].exit[0]: no criterion 'squeeze'; expected one of: 2026-02-30",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "  squeeze:\n", "  2026-02-30:\n")


@case(
    "tab-indentation",
    1,
    "error: programs/adductor.yaml:40:1: YAML syntax: a tab in the indentation; YAML indents with spaces only",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", "\tminutes: 40\n")


@case(
    "tab-after-spaces",
    1,
    "error: programs/adductor.yaml:40:3: YAML syntax: a tab in the indentation; YAML indents with spaces only",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", "  \t  minutes: 40\n")


@case(
    "long-value-quoted-short",
    1,
    "error: sprintback.yaml:15:46: athletes.ben.injury.side: expected one of 'left', 'right' or 'both', got "
    '"rightrightrightrightrightrightrightright…"',
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit("sprintback.yaml", "side: right}", "side: " + "right" * 1000 + "}")


@case(
    "long-text-where-a-number-goes",
    1,
    'error: programs/adductor.yaml:40:14: sessions.technique.minutes: expected a whole number, got "forty forty '
    'forty forty forty forty fort…"',
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", "    minutes: " + "forty " * 1000 + "\n")


@case(
    "long-unknown-key",
    1,
    "error: programs/adductor.yaml:41:5: sessions.technique.mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm…: unknown "
    "key 'mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm…'; expected one of: title, kind, minutes, rpe, blocks, rules, "
    "notes",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", "    minutes: 40\n    " + "m" * 1000 + ": 1\n")


@case(
    "control-character-in-a-key",
    1,
    "error: programs/adductor.yaml:41:5: sessions.technique.\\x1b[2Jwipe\\u2028: unknown key "
    "'\\x1b[2Jwipe\\u2028'; expected one of: title, kind, minutes, rpe, blocks, rules, notes",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    built.edit(ADDUCTOR, "    minutes: 40\n", '    minutes: 40\n    "\\e[2Jwipe\\u2028": 1\n')


@case(
    "control-character-in-a-file-name",
    1,
    "error: programs/\\x1b[2J.yaml:1:1: expected a mapping of keys to values, got a list",
    STOPPED_1,
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (built.root / "programs" / "\x1b[2J.yaml").write_text("- a list\n")


@case(
    "many-unknown-keys",
    1,
    *[
        f"error: programs/adductor.yaml:{41 + number}:5: sessions.technique.extra{number}: unknown key "
        f"'extra{number}'; expected one of: title, kind, minutes, rpe, blocks, rules, notes"
        for number in range(SHOWN_PER_FILE)
    ],
    "… and 5 more problems in programs/adductor.yaml",
    "Stopped: 25 problems found; nothing was written.",
)
def _(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = "".join(f"    extra{number}: 1\n" for number in range(SHOWN_PER_FILE + 5))
    built.edit(ADDUCTOR, "    minutes: 40\n", "    minutes: 40\n" + keys)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_with_a_message_and_the_site_kept(
    name: str, built: Built, run: Run, monkeypatch: pytest.MonkeyPatch, deadline: None
) -> None:
    case = CASES[name]
    case.damage(built, monkeypatch)
    before = files_of(built.site)
    result = run("build", "-q", "-f", built.project, "-o", built.site)
    assert (result.exit_code, messages(result.output)) == (case.status, case.said)
    assert KEY not in result.output
    assert files_of(built.site) == before


# --- what is allowed, and what the cases above must not break ------------------------


def test_a_link_to_dev_zero_is_refused_without_reading_it(built: Built) -> None:
    # In a child process with little memory: were the link followed, the build would read without end.
    link(built, "programs/zero.yaml", "/dev/zero")
    before = files_of(built.site)

    def little_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    command = [sys.executable, "-m", "builder", "build", "-q", "-f", str(built.project), "-o", str(built.site)]
    process = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=little_memory)
    assert (process.returncode, process.stdout, process.stderr) == (
        1,
        "",
        "error: programs/zero.yaml:1:1: a link to a file outside programs/; Sprintback reads only the files in it\n"
        f"{STOPPED_1}\n",
    )
    assert files_of(built.site) == before


def test_a_flood_of_problems_is_counted_and_cut_short(built: Built, run: Run, deadline: None) -> None:
    lines = [f"unknown{number:06d}: 1\n" for number in range(MAX_BYTES // 20)]
    (built.root / "programs" / "flood.yaml").write_text("".join(lines))
    began = time.perf_counter()
    result = run("build", "-q", "-f", built.project, "-o", built.site)
    took = time.perf_counter() - began
    said = messages(result.output)
    problems = len(lines) + 9  # and the nine keys every program needs, missing
    assert result.exit_code == 1
    assert len(said) == SHOWN_PER_FILE + 2
    assert said[-2:] == [
        f"… and {problems - SHOWN_PER_FILE:,} more problems in programs/flood.yaml",
        f"Stopped: {problems:,} problems found; nothing was written.",
    ]
    assert took < 25, f"{took:.1f} s"


def test_a_linked_programs_folder_and_templates_outside_the_project_are_read(
    built: Built, run: Run, tmp_path: Path
) -> None:
    # As tests/benchmark.py does: the folder itself is a link the user made; conftest's copies name
    # the repository's templates by absolute path.
    shutil.move(built.root / "programs", tmp_path / "shared-programs")
    link(built, "programs", tmp_path / "shared-programs")
    before = files_of(built.site)
    result = run("build", "-q", "-f", built.project, "-o", built.site)
    assert (result.exit_code, result.output) == (0, "")
    assert files_of(built.site) == before


def test_hidden_files_and_links_within_the_folder_are_fine(built: Built, run: Run) -> None:
    link(built, "programs/.#adductor.yaml", "someone@host.1234:1700000000")  # an editor's lock file
    (built.root / "programs" / "adductor.yaml").rename(built.root / "programs" / "adductor.protocol")
    link(built, "programs/adductor.yaml", "adductor.protocol")
    before = files_of(built.site)
    result = run("build", "-q", "-f", built.project, "-o", built.site)
    assert (result.exit_code, result.output) == (0, "")
    assert files_of(built.site) == before


def test_a_byte_order_mark_before_front_matter_is_read(built: Built, run: Run) -> None:
    drill = built.root / "programs" / "drills" / "leg-swings.md"
    drill.write_bytes(b"\xef\xbb\xbf" + drill.read_bytes().replace(b"\n", b"\r\n"))
    before = files_of(built.site)
    result = run("build", "-q", "-f", built.project, "-o", built.site)
    assert (result.exit_code, result.output) == (0, "")
    assert files_of(built.site) == before


def test_yes_no_on_off_are_text_where_text_is_meant_and_still_say_true_or_false(built: Built, run: Run) -> None:
    built.edit("programs/drills/leg-swings.md", "cues: [Stay tall]", "cues: [No, On, =, Stay tall]")
    built.edit(ADDUCTOR, "        each_side: true\n", "        each_side: yes\n")
    result = run("build", "-q", "-f", built.project, "-o", built.site)
    assert (result.exit_code, result.output) == (0, "")
    page = (built.site / "drills" / "leg-swings" / "index.html").read_text()
    assert '<ul class="cues"><li>No</li><li>On</li><li>=</li><li>Stay tall</li></ul>' in page
    assert "each side" in (built.site / "programs" / "adductor" / "index.html").read_text()


def test_output_under_the_home_folder(built: Built, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    built.edit("sprintback.yaml", "  title: Mini Rehab Club\n", "  title: Mini Rehab Club\n  output: ~/rehab-site\n")
    result = run("build", "-q", "-f", built.project)
    assert (result.exit_code, result.output) == (0, "")
    assert files_of(tmp_path / "home" / "rehab-site") == files_of(built.site)
    assert not (built.root / "~").exists()


def test_output_under_the_home_of_no_user(built: Built, run: Run) -> None:
    built.edit(
        "sprintback.yaml", "  title: Mini Rehab Club\n", "  title: Mini Rehab Club\n  output: ~no-such-user-here/site\n"
    )
    result = run("build", "-q", "-f", built.project)
    assert (result.exit_code, messages(result.output)) == (
        1,
        [
            "error: sprintback.yaml:3:11: site.output: no home folder for '~no-such-user-here' in "
            "'~no-such-user-here/site'",
            STOPPED_1,
        ],
    )
    assert not (built.root / "~no-such-user-here").exists()


def test_a_project_file_that_is_a_named_pipe(run: Run, tmp_path: Path, deadline: None) -> None:
    project = tmp_path / "club.yaml"
    os.mkfifo(project)
    result = run("validate", "-f", project)
    assert (result.exit_code, messages(result.output)) == (
        1,
        ["error: club.yaml:1:1: expected a file, found a named pipe", STOPPED_1],
    )
