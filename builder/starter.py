"""A new project for `sprintback init`: the project file, the programs and drills that ship, a .gitignore.

The templates are not copied: every build takes them from Sprintback itself, and a project's own
`templates/` folder replaces them file by file. Nothing that exists is overwritten: the files are
checked first, then each is created anew, and a failure part way takes back what this wrote.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from builder import wording
from builder.library import PROJECT_FILE
from builder.shipped import PROGRAMS, shipped_folder

GITIGNORE = ".gitignore"
DRILLS = "drills"


class StarterExists(Exception):
    """Files of the new project already stand in the folder; nothing was written."""

    def __init__(self, existing: list[str]) -> None:
        super().__init__(", ".join(existing))
        self.existing = existing


@dataclass(frozen=True)
class Starter:
    """What `sprintback init` writes: each file's path in the project (`programs/calf.yaml`) and bytes."""

    files: dict[str, bytes]

    def programs(self) -> list[str]:
        return [name for name in self.files if name.startswith(f"{PROGRAMS}/") and name.count("/") == 1]

    def drills(self) -> list[str]:
        return [name for name in self.files if name.startswith(f"{PROGRAMS}/{DRILLS}/")]


def starter() -> Starter:
    """The new project's files: the project file, .gitignore, and the programs and drills that ship."""
    files = {PROJECT_FILE: wording.STARTER_PROJECT.encode(), GITIGNORE: wording.STARTER_GITIGNORE.encode()}
    programs = shipped_folder(PROGRAMS)
    for pattern in ("*.yaml", f"{DRILLS}/*.md"):
        for path in sorted(programs.glob(pattern)):
            files[f"{PROGRAMS}/{path.relative_to(programs).as_posix()}"] = path.read_bytes()
    return Starter(files)


def write_starter(folder: Path, project: Starter) -> None:
    """Write the project into `folder` (made if missing); StarterExists, writing nothing, if any file is there."""
    existing = _in_the_way(folder, project)
    if existing:
        raise StarterExists(existing)
    made: list[Path] = []
    try:
        for name, data in project.files.items():
            path = folder / name
            for parent in reversed([path.parent, *path.parent.parents]):
                if not parent.is_dir():
                    parent.mkdir()
                    made.append(parent)
            with path.open("xb") as handle:  # "x": never overwrite a file that appeared meanwhile
                made.append(path)
                handle.write(data)
    except BaseException:
        for path in reversed(made):  # only what this wrote, newest first
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        raise


def _in_the_way(folder: Path, project: Starter) -> list[str]:
    """The project's files that stand in `folder` already, and files where it needs a folder (`programs`)."""
    taken = [name for name in project.files if _taken(folder / name)]
    folders = {parent.as_posix() for name in project.files for parent in Path(name).parents if parent != Path(".")}
    return taken + [name for name in sorted(folders) if _taken(folder / name) and not (folder / name).is_dir()]


def _taken(path: Path) -> bool:
    return path.exists() or path.is_symlink()
