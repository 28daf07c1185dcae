"""A git revision of the project, read straight from git into a folder of its own.

`sprintback diff` gathers the project as it stood at a revision: the files come out of
`git archive` into a temporary folder outside the working tree, which stays untouched.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

from builder.load import SECRET_FILE

GIT = ("git", "-c", "core.quotepath=off")


class RevisionError(Exception):
    """git could not give the revision: not a repository, an unknown revision, no git at all."""


def _git(args: list[str], folder: Path) -> bytes:
    try:
        done = subprocess.run([*GIT, *args], cwd=folder, capture_output=True, check=False)
    except OSError as error:
        raise RevisionError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(reason[-1] if reason else f"git {args[0]} failed ({done.returncode})")
    return done.stdout


def repository_root(folder: Path) -> Path:
    """The top of the git working tree that holds `folder`."""
    try:
        top = _git(["rev-parse", "--show-toplevel"], folder)
    except RevisionError as error:
        raise RevisionError(f"{folder} is not in a git repository: {error}") from None
    return Path(top.decode("utf-8").strip()).resolve()


def check_out(revision: str, project_file: Path, into: Path) -> Path:
    """Write the files of `revision` into the empty folder `into`; return where the project file
    stands in it (at the same place relative to the repository's top as in the working tree)."""
    folder = project_file.resolve().parent
    top = repository_root(folder)
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], top)
    except RevisionError:
        raise RevisionError(f"git revision {revision!r} not found in {top}") from None
    archive = _git(["archive", "--format=tar", commit.decode().strip()], top)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    inside = into / folder.relative_to(top)
    # The key, read as a build reads it: the diff shows no address, but a gather needs one.
    secret = folder / SECRET_FILE
    if secret.is_file() and inside.is_dir() and not (inside / SECRET_FILE).exists():
        shutil.copyfile(secret, inside / SECRET_FILE)
    return inside / project_file.name
