"""What the write stage promises when things go wrong: a build that is killed, stopped, run
twice at once, pointed at a folder holding other files, or short of disk space loses
nothing, leaves nothing that git would commit, and says what happened.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml

import builder.write
from builder.ledger import LEDGER_FILE
from builder.library import Secret
from builder.write import MARKER, STAGING, WriteError, write_ledger, write_site
from tests.conftest import REPO, Run, copy_shipped, files_of

GIT = shutil.which("git")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hashes(folder: Path) -> dict[str, str]:
    """Every file under a folder, by relative path: its SHA-256."""
    return {path: sha256(data) for path, data in files_of(folder).items()}


def beside(folder: Path) -> list[str]:
    """What sits beside a folder (and the folder itself)."""
    return sorted(os.listdir(folder.parent))


class Signalled(Exception):
    """What the handlers of these tests raise: a signal the test process got."""


@pytest.fixture
def handlers() -> Iterator[list[int]]:
    """Handlers for SIGINT, SIGTERM and SIGHUP that record the signal and raise Signalled (never kill pytest)."""
    got: list[int] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        got.append(signum)
        raise Signalled(signal.Signals(signum).name)

    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    yield got
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def send_while_writing(monkeypatch: pytest.MonkeyPatch, signum: int, *, at: int = 2) -> None:
    """Send the process `signum` as the write stage writes its `at`th file (from the disk thread)."""
    real = builder.write._write_file
    calls = [0]

    def write_file(target: Path, data: bytes, new_folder: bool) -> str:
        calls[0] += 1
        if calls[0] == at:
            os.kill(os.getpid(), signum)
        return real(target, data, new_folder)

    monkeypatch.setattr(builder.write, "_write_file", write_file)


# Staging: in a folder git ignores, cleared by the next build -------------------------------------------------------


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_git_never_sees_the_site_being_staged(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".gitignore").write_text("!*\n!.*\n")  # whatever the project's .gitignore says
    git(project, "init", "-q")
    committed: list[str] = []

    def files() -> Iterator[tuple[str, bytes]]:
        yield "athletes/x/index.html", b"health data"
        yield "index.html", b"home"
        git(project, "add", "-A")  # what a coach might run while a build writes, or after one was killed
        committed.extend(git(project, "ls-files").splitlines())
        yield "about.html", b"about"

    write_site(project / "site", files())
    assert committed == [".gitignore"]
    assert sorted(os.listdir(project)) == [".git", ".gitignore", "site"]


def git(folder: Path, *args: str) -> str:
    environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run([GIT or "git", *args], cwd=folder, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_next_build_clears_what_killed_builds_left_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])
    area = tmp_path / STAGING
    area.mkdir()
    left = [
        area / "site.new-abcd1234",  # a staging folder of a killed build
        area / "site.old-k_9xyz00",  # a swapped-out site that a killed build was removing
        area / "preview.new-zzzz0000",  # a killed build of another output folder
        tmp_path / ".site.new-5ki9_0pq",  # where older versions staged, seen by git
        tmp_path / ".site.old-a1b2c3d4",
    ]
    for folder in left:
        (folder / "athletes" / "x").mkdir(parents=True)
        (folder / "athletes" / "x" / "index.html").write_text("health data")
    (area / "site.lock").touch()  # locks that no build holds any more
    (area / "preview.lock").touch()
    kept = [
        tmp_path / ".site.new-notes",  # not a name Sprintback makes
        tmp_path / "site.new-abcd1234",  # no dot: not a name Sprintback made here
        tmp_path / ".preview.new-abcd1234",  # an older version's, of another output: not this build's to judge
    ]
    for folder in kept:
        folder.mkdir()
    kept += [area / "site.new-abcd1234.txt", area / "notes.txt"]  # files, not staging folders
    for file in kept[-2:]:
        file.write_text("a person's file")
    write_site(out, [("index.html", b"new")])
    assert not [folder for folder in left if folder.exists()]
    assert sorted(os.listdir(area)) == [".gitignore", "notes.txt", "site.new-abcd1234.txt"]  # the lock files are gone
    assert all(path.exists() for path in kept)
    assert (out / "index.html").read_bytes() == b"new"


def test_a_previous_site_that_a_kill_left_swapped_out_is_put_back(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"previous"), ("a/b.html", b"previous b")])
    before = files_of(out)
    # Killed between the swap's two renames: the previous site was moved out, the new one not yet in.
    swapped_out = tmp_path / STAGING / "site.old-abcd1234"
    swapped_out.mkdir(parents=True)
    os.rename(out, swapped_out / "site")

    def files() -> Iterator[tuple[str, bytes]]:
        assert files_of(out) == before  # back in place before anything is written
        yield "index.html", b"new"
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    with pytest.raises(WriteError, match="Input/output error; the previous site is untouched"):
        write_site(out, files())
    assert files_of(out) == before
    assert beside(out) == ["site"]


# Stopped by a signal: the build cleans up, the previous site stays ---------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_build_stopped_by_a_signal_leaves_the_previous_site(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handlers: list[int], signum: int
) -> None:
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    before, around = files_of(out), beside(out)
    ours = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    send_while_writing(monkeypatch, signum)
    result = run("build", "-q", "-f", mini, "-o", out)
    name = signal.Signals(signum).name
    assert (result.exit_code, result.output) == (
        1,
        f"Error: the build was stopped by {name}; the previous site is untouched\n",
    )
    assert files_of(out) == before
    assert beside(out) == around  # no staging folder, no lock
    assert handlers == []  # the build handled it; the handlers from before were not called ...
    assert {s: signal.getsignal(s) for s in ours} == ours  # ... and are back in place


def test_ctrl_c_stops_a_build_as_before(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handlers: list[int]
) -> None:
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    before, around = files_of(out), beside(out)
    send_while_writing(monkeypatch, signal.SIGINT)
    result = run("build", "-q", "-f", mini, "-o", out)
    assert (result.exit_code, result.output) == (1, "\nAborted!\n")  # click's answer to KeyboardInterrupt
    assert (files_of(out), beside(out)) == (before, around)


def test_a_signal_during_the_swap_waits_until_the_new_site_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handlers: list[int]
) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])
    real = os.rename

    def rename(source: Any, target: Any) -> None:
        real(source, target)
        if Path(source) == out:  # the previous site has just been moved out; the new one is not in yet
            signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(Signalled):  # delivered to the handler from before, once the swap is done
        write_site(out, [("index.html", b"new")])
    assert handlers == [signal.SIGTERM]
    assert files_of(out) == {"index.html": b"new", MARKER: (out / MARKER).read_bytes()}
    assert beside(out) == ["site"]


def test_a_signal_that_was_ignored_stays_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        send_while_writing(monkeypatch, signal.SIGHUP)
        assert write_site(out, [(f"{i}.html", b"x") for i in range(5)]) == 5
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_a_build_in_another_thread_leaves_the_handlers_alone(tmp_path: Path) -> None:
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    counted: list[int] = []  # (only the main thread may set handlers: a build elsewhere must not try)
    thread = threading.Thread(target=lambda: counted.append(write_site(tmp_path / "site", [("index.html", b"x")])))
    thread.start()
    thread.join()
    assert counted == [1]
    assert {s: signal.getsignal(s) for s in handlers} == handlers


def test_a_signal_while_the_ledger_is_replaced_waits_until_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handlers: list[int]
) -> None:
    ledger = tmp_path / LEDGER_FILE
    ledger.write_text("old\n")
    real = os.replace

    def replace(source: Any, target: Any) -> None:
        signal.raise_signal(signal.SIGTERM)  # the new ledger is written, not yet in place
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(Signalled):
        write_ledger(ledger, "new\n")
    assert handlers == [signal.SIGTERM]
    assert sorted(os.listdir(tmp_path)) == [LEDGER_FILE]  # no half-made .feeds.lock.new left beside it
    assert ledger.read_text() == "new\n"


def test_an_output_behind_a_loop_of_links_is_a_clear_error(run: Run, mini: Path, tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = run("build", "-q", "-f", mini, "-o", tmp_path / "a" / "site")
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: cannot write the site to {tmp_path / 'a' / 'site'}: Symlink loop from '{tmp_path / 'a' / 'site'}'\n"
    )


# Killed for real: a large build in a subprocess ----------------------------------------------------------------------

COPIES = 40
"""Copies of the shipped roster in the large build: about 240 athletes, 650 files, a second or two."""
_RANDOM = random.Random(20260101)
KILLS = [
    (signal.SIGKILL, 0),  # as soon as the build holds the lock
    (signal.SIGKILL, _RANDOM.randrange(1, 150)),  # after that many files of the new site are written
    (signal.SIGKILL, _RANDOM.randrange(150, 350)),
    (signal.SIGTERM, 0),
    (signal.SIGTERM, _RANDOM.randrange(1, 350)),
    (signal.SIGHUP, _RANDOM.randrange(1, 350)),
]


@pytest.fixture
def large(tmp_path: Path) -> Path:
    """The shipped project copied to tmp, and beside its project file `large.yaml`: the same with the roster
    copied COPIES times. Returns the path of `large.yaml`; both build into the same `site/`."""
    project = copy_shipped(tmp_path / "project")
    data = yaml.safe_load(project.read_text())
    data["athletes"] = {f"{id}-{copy}": a for copy in range(COPIES) for id, a in data["athletes"].items()}
    large = project.with_name("large.yaml")
    large.write_text(yaml.safe_dump(data, sort_keys=False))
    return large


def start_build(*args: str | Path, code: str | None = None) -> subprocess.Popen[str]:
    command = [sys.executable, *(["-c", code] if code else ["-m", "builder"]), "build", "-q", *map(str, args)]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def staged(root: Path) -> int | None:
    """How many files of the new site `root/site` are written in its staging folder; None before there is one."""
    folders = [*(root / STAGING).glob("site.new-*"), *root.glob(".site.new-*")]  # (where older versions staged)
    return sum(len(files) for new in folders for _, _, files in os.walk(new)) if folders else None


def wait_for(ready: Callable[[], bool], build: subprocess.Popen[str], what: str) -> None:
    while not ready():
        assert build.poll() is None, f"the build ended before {what}: {build.communicate()}"
        time.sleep(0.002)


@pytest.mark.parametrize(("signum", "point"), KILLS, ids=[f"{s.name}-after-{n}-files" for s, n in KILLS])
def test_a_killed_build_leaves_the_previous_site_and_the_next_build_clears_up(
    run: Run, large: Path, signum: signal.Signals, point: int
) -> None:
    if signal.getsignal(signum) == signal.SIG_IGN:
        pytest.skip(f"{signum.name} is ignored here (nohup?), and so in the build too")
    root, shipped = large.parent, large.with_name("sprintback.yaml")
    out = root / "site"
    assert run("build", "-q", "-f", shipped).exit_code == 0  # the previous site
    before, around = hashes(out), beside(out)
    build = start_build("-f", large)
    area = root / STAGING
    wait_for(lambda: (count := staged(root)) is not None and count >= point, build, f"{point} files were written")
    build.send_signal(signum)
    stdout, stderr = build.communicate(timeout=60)
    assert hashes(out) == before
    if signum == signal.SIGKILL:
        assert build.returncode == -signal.SIGKILL
        assert (area / ".gitignore").read_text().splitlines()[-1] == "*"  # what it left, git ignores
        if GIT is not None:
            git(root, "init", "-q")
            git(root, "add", "-A")
            assert not [name for name in git(root, "ls-files").splitlines() if name.startswith((STAGING, "."))]
            shutil.rmtree(root / ".git")
    else:
        name = signal.Signals(signum).name
        assert (build.returncode, stdout) == (1, "")
        assert stderr == f"Error: the build was stopped by {name}; the previous site is untouched\n"
        assert beside(out) == around  # it cleaned up after itself
    assert run("build", "-q", "-f", shipped).exit_code == 0
    assert hashes(out) == before  # the same inputs, the same site
    assert beside(out) == around  # no staging folder, no lock


# One build at a time ------------------------------------------------------------------------------------------------

HOLD = """
import os, sys, time
from pathlib import Path
import builder.write
from builder.cli import main

real = builder.write._write_file
hold = Path(os.environ["SPRINTBACK_TEST_HOLD"])

def write_file(*args, **kwargs):
    if not (hold / "writing").exists():
        (hold / "writing").touch()
        for _ in range(6000):
            if (hold / "go").exists():
                break
            time.sleep(0.01)
    return real(*args, **kwargs)

builder.write._write_file = write_file
main()
"""
"""A build that holds still after its first file until the test says go."""


def test_two_builds_at_once_one_writes_the_other_says_so(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", tmp_path / "expected").exit_code == 0
    expected = files_of(tmp_path / "expected")
    shutil.rmtree(tmp_path / "expected")
    hold = tmp_path / "hold"
    hold.mkdir()
    monkeypatch.setenv("SPRINTBACK_TEST_HOLD", str(hold))
    first = start_build("-f", mini, "-o", out, code=HOLD)
    try:
        wait_for((hold / "writing").exists, first, "it wrote")
        second = start_build("-f", mini, "-o", out)
        stdout, stderr = second.communicate(timeout=60)
        assert (second.returncode, stdout) == (1, "")
        assert (
            stderr
            == f"Error: another build is writing the site to {out} right now; wait for it to end, then build again.\n"
        )
    finally:
        (hold / "go").touch()
        stdout, stderr = first.communicate(timeout=60)
    assert (first.returncode, stdout, stderr) == (0, "", "")
    assert files_of(out) == expected
    assert sorted(os.listdir(tmp_path)) == ["hold", "mini", "site"]


def test_a_build_refused_for_the_lock_touches_nothing(run: Run, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    before = files_of(out)
    (tmp_path / STAGING).mkdir()
    lock = os.open(tmp_path / STAGING / "site.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as another build holds it
        result = run("build", "-q", "-f", mini, "-o", out)
        listed = sorted(os.listdir(tmp_path / STAGING))
    finally:
        os.close(lock)
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: another build is writing the site to {out} right now; wait for it to end, then build again.\n"
    )
    assert files_of(out) == before
    assert listed == [".gitignore", "site.lock"]  # the other build's lock, untouched; no staging of its own


def test_a_build_of_another_output_beside_it_is_left_alone(tmp_path: Path) -> None:
    area = tmp_path / STAGING
    area.mkdir()
    (area / "preview.new-abcd1234").mkdir()  # the staging folder of a build of ./preview that is running
    lock = os.open(area / "preview.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert write_site(tmp_path / "site", [("index.html", b"x")]) == 1
        assert sorted(os.listdir(area)) == [".gitignore", "preview.lock", "preview.new-abcd1234"]
    finally:
        os.close(lock)
    assert write_site(tmp_path / "site", [("index.html", b"y")]) == 1  # once that build is gone, it clears up
    assert sorted(os.listdir(tmp_path)) == ["site"]


# The marker lists what the build wrote: only such a folder is replaced -----------------------------------------------


def test_the_marker_lists_every_file_and_no_private_address(mini_site: Path) -> None:
    text = (mini_site / MARKER).read_text()
    lines = text.splitlines()
    assert lines[0].startswith("# Built by Sprintback")
    listed = [line.split(" ") for line in lines if not line.startswith("#")]
    site = files_of(mini_site)
    del site[MARKER]
    assert sorted(listed) == sorted([sha256(path.encode()), sha256(data)] for path, data in site.items())
    assert listed == sorted(listed)  # in a steady order, so that builds stay byte-identical
    # The marker is served with the site: it must not lead anyone to a private page.
    private = {part for path in site for part in path.split("/")[1:2] if path.startswith(("athletes/", "staff/"))}
    assert private
    assert not [name for name in private if name in text]


def refused(out: Path, path: str, why: str) -> str:
    advice = "Move it out of the folder, or choose another output folder."
    return f"Error: {out} holds {path}, {why}; refusing to replace it. {advice}\n"


NOT_WRITTEN = f"which Sprintback did not write (it is not among the files {MARKER} lists)"


def test_a_copied_site_with_a_file_of_ones_own_is_not_replaced(
    run: Run, mini: Path, mini_site: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "www"
    shutil.copytree(mini_site, copy)  # the marker travels with the copy
    (copy / "notes.txt").write_text("my own notes")
    before = files_of(copy)
    result = run("build", "-q", "-f", mini, "-o", copy)
    assert (result.exit_code, result.output) == (1, refused(copy, "notes.txt", NOT_WRITTEN))
    assert files_of(copy) == before
    assert STAGING not in os.listdir(tmp_path)


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda site: (site / "programs" / "my-plan.md").write_text("mine"), "programs/my-plan.md"),
        (lambda site: os.rename(shutil.copytree(site, site.parent / "copy"), site / "old"), "old/"),
        (lambda site: (site / "drafts").mkdir(), "drafts/"),
        (lambda site: (site / "link").symlink_to(site / "index.html"), "link"),
    ],
    ids=["a-file-in-a-subfolder", "a-copy-of-the-site-inside", "an-empty-folder", "a-link"],
)
def test_a_site_holding_anything_it_did_not_write_is_not_replaced(
    run: Run, mini: Path, mini_site: Path, make: Callable[[Path], object], named: str
) -> None:
    make(mini_site)
    before = {path: path.lstat().st_size for path in mini_site.rglob("*")}
    result = run("build", "-q", "-f", mini, "-o", mini_site)
    assert (result.exit_code, result.output) == (1, refused(mini_site, named, NOT_WRITTEN))
    assert {path: path.lstat().st_size for path in mini_site.rglob("*")} == before
    assert beside(mini_site) == ["mini", "site"]


def test_a_file_changed_since_the_build_is_not_replaced(run: Run, mini: Path, mini_site: Path) -> None:
    page = mini_site / "index.html"
    text = page.read_bytes()
    page.write_bytes(text.replace(b"<title>", b"<TITLE>", 1))  # the same size, other bytes
    before = files_of(mini_site)
    result = run("build", "-q", "-f", mini, "-o", mini_site)
    assert (result.exit_code, result.output) == (
        1,
        refused(mini_site, "index.html", "changed since Sprintback wrote it"),
    )
    assert files_of(mini_site) == before


def test_a_file_added_while_the_build_runs_is_not_deleted(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])

    def files() -> Iterator[tuple[str, bytes]]:
        yield "index.html", b"new"
        (out / "notes.txt").write_text("written while the build ran")
        yield "about.html", b"new"

    with pytest.raises(WriteError) as raised:
        write_site(out, files())
    assert raised.value.message == refused(out, "notes.txt", NOT_WRITTEN).removeprefix("Error: ").rstrip("\n")
    assert (out / "notes.txt").read_text() == "written while the build ran"
    assert (out / "index.html").read_bytes() == b"old"
    assert beside(out) == ["site"]


def test_a_marker_without_the_list_is_not_trusted(run: Run, mini: Path, mini_site: Path) -> None:
    (mini_site / MARKER).write_text("Built by Sprintback; the next build replaces this folder.\n")  # an older version's
    before = files_of(mini_site)
    result = run("build", "-q", "-f", mini, "-o", mini_site)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {mini_site / MARKER} does not list the files Sprintback wrote (an older version made it, or it was "
        f"edited); refusing to replace {mini_site}. If nothing in it is yours, delete it, then build again.\n"
    )
    assert files_of(mini_site) == before


def test_a_site_missing_some_of_its_files_is_replaced(run: Run, mini: Path, mini_site: Path) -> None:
    expected = files_of(mini_site)
    (mini_site / "index.html").unlink()  # nothing of anyone's is lost by replacing it
    shutil.rmtree(mini_site / "programs")
    assert run("build", "-q", "-f", mini, "-o", mini_site).exit_code == 0
    assert files_of(mini_site) == expected


def test_a_site_that_cannot_be_read_is_not_replaced(
    run: Run, mini: Path, mini_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(path: Path) -> str:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(builder.write, "_digest", unreadable)
    before = files_of(mini_site)
    result = run("build", "-q", "-f", mini, "-o", mini_site)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: cannot check what {mini_site} holds: Permission denied; refusing to replace it.\n",
    )
    assert files_of(mini_site) == before


@pytest.mark.parametrize("name", ["notes\nathletes.html", "a/\tb.html", MARKER, f"./{MARKER}"])
def test_a_page_name_that_would_spoil_the_marker_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(WriteError, match="not a name for a page"):
        write_site(tmp_path / "site", [("index.html", b"x"), (name, b"y")])
    assert os.listdir(tmp_path) == []


# The key: saved readable by its owner only, or a clear error and nothing written -------------------------------------


def test_a_made_key_that_cannot_be_saved_stops_the_build_before_anything_is_written(
    run: Run, mini: Path, mini_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    key = mini.parent / ".sprintback-secret"
    real = os.open

    def read_only(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if Path(path) == key:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    before = files_of(mini_site)
    result = run("build", "-q", "-f", mini, "-o", mini_site)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot save the new key for private addresses to {key}: Read-only file system; nothing was written. "
        "Make that folder writable, or set SPRINTBACK_SECRET to a key of your own, then build again.\n"
    )
    assert files_of(mini_site) == before
    assert not key.exists()
    assert beside(mini_site) == ["mini", "site"]


def test_the_key_file_is_private_from_its_first_byte(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    key = mini.parent / ".sprintback-secret"
    real = os.open
    created: list[tuple[int, int]] = []

    def watched(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        descriptor = real(path, flags, mode, **kwargs)
        if Path(path) == key:
            created.append((flags & (os.O_CREAT | os.O_EXCL), os.fstat(descriptor).st_mode & 0o777))
        return descriptor

    monkeypatch.setattr(os, "open", watched)
    previous = os.umask(0)  # even where the umask would let others read new files
    try:
        assert run("build", "-q", "-f", mini, "-o", tmp_path / "site").exit_code == 0
    finally:
        os.umask(previous)
    assert created == [(os.O_CREAT | os.O_EXCL, 0o600)]  # made new, never over a file someone put there
    assert key.stat().st_mode & 0o777 == 0o600


def test_a_key_cut_short_by_a_full_disk_is_not_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / ".sprintback-secret"
    real = os.write

    def full(descriptor: int, data: Any) -> int:
        if bytes(data).startswith(b"made-key"):
            real(descriptor, bytes(data)[:4])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(descriptor, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteError, match="No space left on device; nothing was written"):
        write_site(tmp_path / "site", [("index.html", b"x")], secret=Secret(b"made-key", made=True, file=key))
    assert sorted(os.listdir(tmp_path)) == []  # no half key (the next build would call it empty), no site


def test_a_key_saved_by_another_build_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    key = tmp_path / ".sprintback-secret"

    def files() -> Iterator[tuple[str, bytes]]:
        yield "index.html", b"x"
        key.write_text("the other build's key\n")

    with pytest.raises(WriteError) as raised:
        write_site(tmp_path / "site", files(), secret=Secret(b"made-key", made=True, file=key))
    assert raised.value.message == (
        f"another build saved a key to {key} while this one ran; nothing was written. Build again to use that key."
    )
    assert key.read_text() == "the other build's key\n"
    assert sorted(os.listdir(tmp_path)) == [".sprintback-secret"]


# A full disk, wherever it strikes ----------------------------------------------------------------------------------


def test_a_full_disk_leaves_the_previous_site_and_says_so(
    run: Run, mini: Path, mini_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, around = files_of(mini_site), beside(mini_site)
    real = builder.write._write_file
    calls = [0]

    def full(target: Path, data: bytes, new_folder: bool) -> str:
        calls[0] += 1
        if calls[0] == 5:  # half of the fifth file fits
            real(target, data[: len(data) // 2], new_folder)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real(target, data, new_folder)

    monkeypatch.setattr(builder.write, "_write_file", full)
    result = run("build", "-q", "-f", mini, "-o", mini_site)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: cannot write the site to {mini_site}: No space left on device; the previous site is untouched\n",
    )
    assert files_of(mini_site) == before
    assert beside(mini_site) == around


FAULTS = ("open", "write", "mkdir", "rename", "chmod")
"""The calls through which the write stage changes the disk (opening to read is left alone)."""


def test_any_disk_error_at_any_step_leaves_the_previous_site_or_the_whole_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    old = [("index.html", b"old"), ("a/b.html", b"old b")]
    new = [("index.html", b"new"), ("a/b.html", b"new b"), ("a/c/d.html", b"new d")]
    calls = [0]
    fail_at = [0]

    def failing(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if real is os_calls["open"] and not args[1] & (os.O_WRONLY | os.O_RDWR):
                return real(*args, **kwargs)
            calls[0] += 1
            if calls[0] == fail_at[0]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(*args, **kwargs)

        return call

    os_calls = {name: getattr(os, name) for name in FAULTS}
    for name, real in os_calls.items():
        monkeypatch.setattr(os, name, failing(real))
    steps = 0
    while True:
        steps += 1
        shutil.rmtree(tmp_path)
        tmp_path.mkdir()
        key = tmp_path / ".sprintback-secret"
        fail_at[0] = 0
        write_site(out, old)
        before = files_of(out)
        calls[0], fail_at[0] = 0, steps
        try:
            write_site(out, new, secret=Secret(b"made-key", made=True, file=key))
        except WriteError as error:
            assert str(error).startswith((f"cannot write the site to {out}: ", "cannot save the new key")), str(error)
            assert "No space left on device" in str(error)
            assert files_of(out) == before, f"step {steps}"
            assert sorted(os.listdir(tmp_path)) in (["site"], [".sprintback-secret", "site"]), f"step {steps}"
            continue
        # No error: the call that failed (if any) had a way around it, such as making a folder that was there.
        assert sorted(files_of(out)) == [MARKER, "a/b.html", "a/c/d.html", "index.html"], f"step {steps}"
        assert sorted(os.listdir(tmp_path)) == [".sprintback-secret", "site"], f"step {steps}"
        if calls[0] < steps:
            break  # no call failed: every step has been tried
    assert steps > 15
