"""The write stage: put the rendered site on disk, all or nothing.

The site is written into a staging folder and swapped in with renames only when every
file is there, so a failed or stopped build leaves the previous site as it was. Staging
happens in `.sprintback-staging/` beside the output folder: git ignores it (it holds its
own `.gitignore`), one build at a time holds the output's lock there, and the next build
clears what a killed one left. An existing output folder is replaced only while it holds
just the files that its marker lists, unchanged: anything else stops the build, and
nothing is deleted.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from types import FrameType, TracebackType
from typing import Any

import click

from builder.library import Secret

_IN_FLIGHT = 32
"""Files rendered but not yet on disk, at most: bounds the memory a large build holds."""

MARKER = ".sprintback-site"
"""A file in every built site listing the files the build wrote: a later build replaces the
folder only while it holds exactly those, unchanged. It is served with the site, so it names
each file by the hash of its path: it gives away no private address."""

STAGING = ".sprintback-staging"
"""The folder beside the output where a build writes the new site and holds its lock; git ignores it."""

_MARKER_HEADER = (
    "# Built by Sprintback. The next build replaces this folder only while it holds just the files\n"
    "# listed below, unchanged (the SHA-256 of each file's path, then of its bytes).\n"
)
_LISTED = re.compile(r"([0-9a-f]{64}) ([0-9a-f]{64})")
_IGNORE_ALL = "# Made by Sprintback: builds stage the site here. Git ignores all of this folder.\n*\n"
_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

Listed = dict[str, str]
"""The SHA-256 of each file a build wrote, by its path in the site."""
_Handler = Callable[[int, FrameType | None], Any] | int | None


class WriteError(click.ClickException):
    """The site could not be written; the previous one is untouched."""

    exit_code = 1


def write_site(output: Path, files: Iterable[tuple[str, bytes]], *, secret: Secret | None = None) -> int:
    """Write every (path, bytes) into `output`, atomically; return how many files.

    A key the build made (`secret.made`) is saved once the site is written, readable by
    its owner only, so the next build gives the same private addresses. While the files
    are written, SIGINT, SIGTERM and SIGHUP stop the build cleanly (the previous site
    stays); the handlers that were there before come back when the site is written.
    """
    try:
        output = output.resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: links that lead round in a loop
        raise WriteError(f"cannot write the site to {output}: {error}") from None
    if output.name == STAGING:
        raise WriteError(f"{output}: builds stage the site in {STAGING}; choose another output folder.")
    with _Signals() as signals:
        try:
            return _write_site(output, files, secret, signals)
        except _Stopped as stopped:
            if stopped.signum == signal.SIGINT:
                raise KeyboardInterrupt from None
            name = signal.Signals(stopped.signum).name
            raise WriteError(f"the build was stopped by {name}; the previous site is untouched") from None


def _write_site(output: Path, files: Iterable[tuple[str, bytes]], secret: Secret | None, signals: _Signals) -> int:
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = _Staging.enter(output)
    except OSError as error:
        raise WriteError(f"cannot write the site to {output}: {_reason(error)}") from None
    hashing = None
    try:
        with signals.stoppable():
            previous = _check_output(output)
        hashing = _Hashing(output, previous)  # the previous site's contents are compared while the new one is written
        try:
            folder = staging.new_folder()
            written = _write_all(folder, files, signals)
            _write_file(folder / MARKER, _marker_text(written), new_folder=False)
            os.chmod(folder, 0o755)  # mkdtemp made it private to us; a site is served to others
            with signals.stoppable():
                hashing.result()
                _check_output(output)  # again: nothing was added to it while this build ran
            if secret is not None and secret.made:
                _save_secret(secret)  # before the swap: a saved key with no new site does no harm
            signals.check()
            staging.swap(folder)
        except OSError as error:
            message = f"cannot write the site to {output}: {_reason(error)}; the previous site is untouched"
            raise WriteError(message) from None
    finally:
        if hashing is not None:
            hashing.close()
        staging.leave()
    return len(written)


class _Stopped(BaseException):
    """A signal stopped the build (not an Exception, so that no `except Exception` on the way swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """SIGINT, SIGTERM and SIGHUP, caught while the site is written.

    Inside `stoppable()` a signal stops the build at once; anywhere else (taking the lock,
    the swap, cleaning up) it waits for the next `stoppable()`, or, if none comes, until
    the end, when the handlers from before are put back and the signal is delivered to them.
    A signal that is ignored (nohup, a background job) stays ignored.
    """

    def __init__(self) -> None:
        self.previous: dict[int, _Handler] = {}
        self.can_stop = False
        self.waiting: int | None = None

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
            for signum in _STOPPING:
                previous = signal.getsignal(signum)
                if previous is not None and previous != signal.SIG_IGN:
                    self.previous[signum] = signal.signal(signum, self._caught)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for signum, previous in self.previous.items():
            signal.signal(signum, previous)
        if self.waiting is not None:
            signal.raise_signal(self.waiting)

    def check(self) -> None:
        """Stop now if a signal came while the build could not stop."""
        if self.waiting is not None:
            signum, self.waiting = self.waiting, None
            raise _Stopped(signum)

    def _caught(self, signum: int, frame: FrameType | None) -> None:
        if self.can_stop:
            self.can_stop = False  # a second signal waits while the build cleans up after the first
            raise _Stopped(signum)
        if self.waiting is None:
            self.waiting = signum

    @contextlib.contextmanager
    def stoppable(self) -> Iterator[None]:
        """A step a signal may stop midway: one that only reads, or writes only into the staging."""
        self.check()
        self.can_stop = bool(self.previous)
        try:
            yield
        finally:
            self.can_stop = False


class _Staging:
    """The staging area beside an output folder, held by one build of that folder at a time."""

    def __init__(self, output: Path, lock: int) -> None:
        self.output = output
        self.area = output.parent / STAGING
        self.lock_file = self.area / f"{output.name}.lock"
        self.lock = lock
        self.keep: Path | None = None
        """A folder holding the previous site that could not be put back: never removed."""

    @classmethod
    def enter(cls, output: Path) -> _Staging:
        """Take the output folder's lock, or say that another build holds it; then clear what killed builds left."""
        area = output.parent / STAGING
        for _ in range(100):
            try:
                _make_area(area)
                lock = _lock(area / f"{output.name}.lock", create=True)
            except FileNotFoundError:
                continue  # a build that was ending removed the area or the lock just now: take them anew
            except BaseException:
                _remove_area(area)
                raise
            if lock is None:
                raise WriteError(
                    f"another build is writing the site to {output} right now; wait for it to end, then build again."
                )
            staging = cls(output, lock)
            try:
                _make_area(area)  # its .gitignore again, if an ending build removed it meanwhile
                staging._sweep()
            except BaseException:
                staging.leave()
                raise
            return staging
        raise OSError(errno.EBUSY, f"other builds keep removing {area}")

    def new_folder(self) -> Path:
        """An empty folder to write the new site into."""
        return Path(tempfile.mkdtemp(prefix=f"{self.output.name}.new-", dir=self.area))

    def swap(self, new: Path) -> None:
        """Put the new site in place with renames, so readers never see half a site."""
        output = self.output
        if not os.path.lexists(output):
            os.rename(new, output)
            return
        old = Path(tempfile.mkdtemp(prefix=f"{output.name}.old-", dir=self.area))
        os.rename(output, old / output.name)
        try:
            os.rename(new, output)
        except OSError as error:
            try:
                os.rename(old / output.name, output)
            except OSError:
                self.keep = old
                raise WriteError(
                    f"cannot write the site to {output}: {_reason(error)}; the previous site could not be put "
                    f"back, and is in {old / output.name} (the next build puts it back)"
                ) from None
            raise

    def leave(self) -> None:
        """Remove this build's staging folders and its lock, and the area too once nothing else is in it."""
        for folder, _ in _left_behind(self.area, self.output.name):
            if folder != self.keep:
                shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.unlink(self.lock_file)  # before unlocking, so that no build waits on a file that is gone
        os.close(self.lock)
        _remove_area(self.area)

    def _sweep(self) -> None:
        """Clear what killed builds left: staging folders of outputs no build holds, and their locks."""
        for entry in sorted(os.listdir(self.area)):
            if not entry.endswith(".lock") or entry == self.lock_file.name:
                continue
            try:
                lock = _lock(self.area / entry, create=False)
            except OSError:
                continue
            if lock is None:
                continue  # a build of that output is running
            try:
                _clear(self.area, self.output.parent / entry.removesuffix(".lock"))
                os.unlink(self.area / entry)
            except OSError:
                pass
            finally:
                os.close(lock)
        _clear(self.area, self.output, legacy=True)


def _lock(path: Path, *, create: bool) -> int | None:
    """Open the lock file at `path` and lock it: its descriptor, or None while another build holds it.

    Raises FileNotFoundError if the file is gone, or was replaced while it was being locked.
    """
    descriptor = os.open(path, os.O_RDWR | os.O_CLOEXEC | (os.O_CREAT if create else 0), 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    except BaseException:
        os.close(descriptor)
        raise
    try:
        if not os.path.samestat(os.fstat(descriptor), os.stat(path)):
            raise FileNotFoundError(errno.ENOENT, "the lock file was replaced", str(path))
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _make_area(area: Path) -> None:
    """Make the staging area, with a .gitignore that makes git ignore all of it, whatever the project's says."""
    if os.path.lexists(area) and (area.is_symlink() or not area.is_dir()):
        raise WriteError(f"{area} is not the folder Sprintback stages sites in; move it away, then build again.")
    area.mkdir(mode=0o700, exist_ok=True)
    _ignore_all(area)


def _ignore_all(area: Path) -> None:
    ignore = area / ".gitignore"
    try:
        descriptor = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        if ignore.read_text(encoding="utf-8", errors="replace") != _IGNORE_ALL:
            ignore.write_text(_IGNORE_ALL, encoding="utf-8")
        return
    try:
        _write_bytes(descriptor, _IGNORE_ALL.encode())
    finally:
        os.close(descriptor)


def _remove_area(area: Path) -> None:
    """Remove the staging area if it holds nothing but its .gitignore."""
    try:
        if area.is_symlink() or os.listdir(area) not in ([], [".gitignore"]):
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(area / ".gitignore")
        try:
            os.rmdir(area)
        except OSError:  # another build put something in it meanwhile: it must stay ignored
            _ignore_all(area)
    except OSError:
        pass


def _left_behind(folder: Path, name: str, prefix: str = "") -> list[tuple[Path, str]]:
    """The staging folders (`new`) and swapped-out sites (`old`) that builds of output `name` made in `folder`."""
    made = re.compile(rf"{re.escape(prefix + name)}\.(new|old)-[a-z0-9_]{{8}}")  # as tempfile.mkdtemp names them
    try:
        with os.scandir(folder) as entries:
            return sorted(
                (Path(entry.path), match.group(1))
                for entry in entries
                if (match := made.fullmatch(entry.name)) and entry.is_dir(follow_symlinks=False)
            )
    except OSError:
        return []


def _clear(area: Path, output: Path, *, legacy: bool = False) -> None:
    """Remove what killed builds of `output` left in `area`, and with `legacy`, what older versions left beside it.

    A previous site that a kill left swapped out, with none in its place, is put back first.
    """
    left = _left_behind(area, output.name)
    if legacy:  # older versions staged as .<output>.new-* beside the output, where git saw them
        left += _left_behind(output.parent, output.name, prefix=".")
    kept = None
    if not os.path.lexists(output):
        for folder, kind in left:
            previous = folder / output.name
            if kind == "old" and previous.is_dir() and not previous.is_symlink():
                try:
                    os.rename(previous, output)
                except OSError:
                    kept = folder
                break
    for folder, _ in left:
        if folder != kept:
            shutil.rmtree(folder, ignore_errors=True)


def _check_output(output: Path) -> list[tuple[Path, str]]:
    """Refuse to replace `output` unless it is empty, or holds only files its marker lists.

    Returns those files, each with the SHA-256 it must still have (`_Hashing` compares them).
    """
    if not os.path.lexists(output):
        return []
    if not output.is_dir():
        raise WriteError(f"{output} is a file, not a folder; refusing to replace it with the site.")
    try:
        found = list(_found(output))
        if not found:
            return []
        if (MARKER, "file") not in found:
            raise WriteError(
                f"{output} holds files that Sprintback did not write (no {MARKER} in it); "
                "refusing to replace it. Choose another output folder, or empty this one yourself."
            )
        listed = _read_marker(output / MARKER)
        if listed is None:
            raise WriteError(
                f"{output / MARKER} does not list the files Sprintback wrote (an older version made it, or it "
                f"was edited); refusing to replace {output}. If nothing in it is yours, delete it, then build again."
            )
    except OSError as error:
        raise WriteError(_unchecked(output, error)) from None
    ours = {path: listed.get(_path_digest(path)) for path, kind in found if kind == "file" and path != MARKER}
    folders = {f"{parent}/" for path, digest in ours.items() if digest for parent in PurePosixPath(path).parents}
    for path, kind in found:
        if path != MARKER and not (ours.get(path) or (kind == "folder" and path in folders)):
            raise WriteError(
                f"{output} holds {path}, which Sprintback did not write (it is not among the files {MARKER} "
                "lists); refusing to replace it. Move it out of the folder, or choose another output folder."
            )
    return [(output / path, digest) for path, digest in ours.items() if digest]


def _changed(output: Path, path: str) -> str:
    return (
        f"{output} holds {path}, changed since Sprintback wrote it; refusing to replace it. "
        "Move it out of the folder, or choose another output folder."
    )


def _unchecked(output: Path, error: OSError) -> str:
    return f"cannot check what {output} holds: {_reason(error)}; refusing to replace it."


class _Hashing:
    """Compares each file of the previous site with the SHA-256 its marker lists, in a thread of its own."""

    def __init__(self, output: Path, files: list[tuple[Path, str]]) -> None:
        self.output = output
        self.files = files
        self.error: WriteError | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._compare, name="sprintback-hashing", daemon=True)
        self.thread.start()

    def _compare(self) -> None:
        try:
            for file, digest in self.files:
                if self.stop.is_set():
                    return
                if _digest(file) != digest:
                    self.error = WriteError(_changed(self.output, file.relative_to(self.output).as_posix()))
                    return
        except OSError as error:
            self.error = WriteError(_unchecked(self.output, error))

    def result(self) -> None:
        """Wait for the comparison; raise WriteError if a file changed since the build that wrote it."""
        self.thread.join()
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def _found(folder: Path, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Everything under `folder`, in a steady order: (path, "file" | "folder" | "other"); folders end in /."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        path = prefix + entry.name
        if entry.is_symlink():
            yield path, "other"
        elif entry.is_dir(follow_symlinks=False):
            yield f"{path}/", "folder"
            yield from _found(Path(entry.path), f"{path}/")
        else:
            yield path, "file" if entry.is_file(follow_symlinks=False) else "other"


def _digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _path_digest(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()


def _marker_text(written: Listed) -> bytes:
    lines = sorted(f"{_path_digest(path)} {digest}\n" for path, digest in written.items())
    return (_MARKER_HEADER + "".join(lines)).encode()


def _read_marker(marker: Path) -> dict[str, str] | None:
    """The SHA-256 of each file a marker lists, by the SHA-256 of its path; None if it lists none
    (an older version wrote it, or a person edited it)."""
    lines = marker.read_bytes().decode("utf-8", errors="replace").split("\n")
    if not lines[0].startswith("# Built by Sprintback") or lines[-1] != "":
        return None
    listed = {}
    for line in lines[:-1]:
        if line.startswith("#"):
            continue
        match = _LISTED.fullmatch(line)
        if match is None:
            return None
        listed[match.group(1)] = match.group(2)
    return listed


def _inside(name: str) -> bool:
    relative = PurePosixPath(name)
    return bool(relative.parts) and not relative.is_absolute() and ".." not in relative.parts


def _save_secret(secret: Secret) -> None:
    """Save a key the build made, readable by its owner only from its first byte on."""
    try:
        descriptor = os.open(secret.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        raise WriteError(
            f"another build saved a key to {secret.file} while this one ran; nothing was written. "
            "Build again to use that key."
        ) from None
    except OSError as error:
        raise WriteError(_unsaved_key(secret, error)) from None
    try:
        try:
            _write_bytes(descriptor, secret.key + b"\n")
        finally:
            os.close(descriptor)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(secret.file)
        raise WriteError(_unsaved_key(secret, error)) from None


def _unsaved_key(secret: Secret, error: OSError) -> str:
    return (
        f"cannot save the new key for private addresses to {secret.file}: {_reason(error)}; nothing was written. "
        "Make that folder writable, or set SPRINTBACK_SECRET to a key of your own, then build again."
    )


def _write_all(folder: Path, files: Iterable[tuple[str, bytes]], signals: _Signals) -> Listed:
    """Write each file as it is rendered; a thread does the disk work while the next renders."""
    names: set[str] = set()
    written: Listed = {}
    made: set[Path] = set()
    pending: deque[tuple[str, Future[str]]] = deque()
    disk = ThreadPoolExecutor(max_workers=1)
    try:
        with signals.stoppable():
            for name, data in files:
                relative = PurePosixPath(name)
                if not _inside(name):
                    raise WriteError(f"refusing to write {name!r}: outside the output folder")
                if any(ord(character) < 32 for character in name) or relative.as_posix() == MARKER:
                    raise WriteError(f"refusing to write {name!r}: not a name for a page")
                if relative.as_posix() in names:
                    raise WriteError(f"two pages want the same path {name!r}")
                names.add(relative.as_posix())
                target = folder.joinpath(*relative.parts)
                new_folder = target.parent not in made
                made.add(target.parent)
                pending.append((relative.as_posix(), disk.submit(_write_file, target, data, new_folder)))
                while len(pending) > _IN_FLIGHT or (pending and pending[0][1].done()):
                    path, write = pending.popleft()
                    written[path] = write.result()  # raises the write's error here, if any
            for path, write in pending:
                written[path] = write.result()
    finally:
        disk.shutdown(wait=True, cancel_futures=True)  # nothing may write into the staging once it is removed
    return written


def _write_file(target: Path, data: bytes, new_folder: bool) -> str:
    """Write a new file; return the SHA-256 of its bytes."""
    if new_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        _write_bytes(descriptor, data)
    finally:
        os.close(descriptor)
    return hashlib.sha256(data).hexdigest()


def _write_bytes(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def write_ledger(path: Path, text: str) -> None:
    """Replace the feed ledger atomically (a new file renamed over the old), if it changed."""
    data = text.encode()
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    except OSError as error:
        raise WriteError(f"cannot read {path.name}: {_reason(error)}") from None
    partial = path.with_name(f".{path.name}.new")
    with _Signals():  # a signal waits until the ledger is replaced, so that no partial file is left
        try:
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise WriteError(f"the site is written, but {path.name} could not be: {_reason(error)}") from None
