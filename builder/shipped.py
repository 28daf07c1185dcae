"""What ships with Sprintback: the site's templates and static files, and the example programs and drills.

An installed package holds them as `builder/templates/` and `builder/programs/`; a checkout of the
repository (or an editable install of it) keeps them at the repository's top level, beside `builder/`.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

TEMPLATES = "templates"
PROGRAMS = "programs"


def shipped_folder(name: str) -> Path:
    """The folder of what ships under `name` (TEMPLATES or PROGRAMS): the package's, else the checkout's."""
    package = Path(str(importlib.resources.files("builder")))
    inside = package / name
    return inside if inside.is_dir() else package.parent / name
