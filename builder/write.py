"""The write stage: put the rendered site on disk, all or nothing.

The site is written into a fresh folder beside the output folder and swapped in only
when every file is there, so a failed build leaves the previous site as it was. An
existing output folder is replaced only if Sprintback made it (it holds our marker).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath

import click

from builder.library import Secret

_IN_FLIGHT = 32
"""Files rendered but not yet on disk, at most: bounds the memory a large build holds."""

MARKER = ".sprintback-site"
"""A file in every built site: only a folder holding it may be replaced by a build."""


class WriteError(click.ClickException):
    """The site could not be written; the previous one is untouched."""

    exit_code = 1


def write_site(output: Path, files: Iterable[tuple[str, bytes]], *, secret: Secret | None = None) -> int:
    """Write every (path, bytes) into `output`, atomically; return how many files.

    A key the build made (`secret.made`) is saved once the site is in place, readable
    by its owner only, so the next build gives the same private addresses.
    """
    output = output.resolve()
    _refuse_foreign(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    except OSError as error:
        raise WriteError(f"cannot write the site to {output}: {error.strerror}") from None
    try:
        count = _write_all(staging, files)
        (staging / MARKER).write_text("Built by Sprintback; the next build replaces this folder.\n")
        if secret is not None and secret.made:
            _save_secret(secret)  # before the swap: a saved key with no new site does no harm
        _swap(staging, output)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        message = f"cannot write the site to {output}: {error.strerror}; the previous site is untouched"
        raise WriteError(message) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _save_secret(secret: Secret) -> None:
    descriptor = os.open(secret.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(secret.key.decode() + "\n")


def _refuse_foreign(output: Path) -> None:
    if not output.exists():
        return
    if not output.is_dir():
        raise WriteError(f"{output} is a file, not a folder; refusing to replace it with the site.")
    if any(output.iterdir()) and not (output / MARKER).is_file():
        raise WriteError(
            f"{output} holds files that Sprintback did not write (no {MARKER} in it); "
            "refusing to replace it. Choose another output folder, or empty this one yourself."
        )


def _write_all(staging: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write each file as it is rendered; a thread does the disk work while the next renders."""
    written: set[str] = set()
    made: set[Path] = set()
    pending: deque[Future[int]] = deque()
    with ThreadPoolExecutor(max_workers=1) as disk:
        for name, data in files:
            relative = PurePosixPath(name)
            if relative.is_absolute() or ".." in relative.parts or not relative.parts:
                raise WriteError(f"refusing to write {name!r}: outside the output folder")
            if name in written:
                raise WriteError(f"two pages want the same path {name!r}")
            written.add(name)
            target = staging.joinpath(*relative.parts)
            new_folder = target.parent not in made
            made.add(target.parent)
            pending.append(disk.submit(_write_file, target, data, new_folder))
            while len(pending) > _IN_FLIGHT or (pending and pending[0].done()):
                pending.popleft().result()  # raises the write's error here, if any
        for write in pending:
            write.result()
    return len(written)


def _write_file(target: Path, data: bytes, new_folder: bool) -> int:
    if new_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    return target.write_bytes(data)


def _swap(staging: Path, output: Path) -> None:
    """Put the new site in place with renames, so readers never see half a site."""
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.rename(output, old / output.name)
    try:
        os.rename(staging, output)
    except BaseException:
        if old is not None:
            os.rename(old / output.name, output)
            old.rmdir()
        raise
    os.chmod(output, 0o755)  # mkdtemp made it private to us; a site is served to others
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_ledger(path: Path, text: str) -> None:
    """Replace the feed ledger atomically (a new file renamed over the old), if it changed."""
    data = text.encode()
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    except OSError as error:
        raise WriteError(f"cannot read {path.name}: {error.strerror}") from None
    partial = path.with_name(f".{path.name}.new")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise WriteError(f"the site is written, but {path.name} could not be: {error.strerror}") from None
