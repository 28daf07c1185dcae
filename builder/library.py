"""The Library: everything the load stage read from disk, validated, for the stages after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from builder.ledger import Ledger
from builder.models import DrillPage, Log, Program, Project
from builder.source import Source

PROJECT_FILE = "sprintback.yaml"


@dataclass(frozen=True)
class Secret:
    """The key behind private addresses, and whether this build made it (write saves it then)."""

    key: bytes
    made: bool
    file: Path
    """Where a made key is saved: `.sprintback-secret` beside the project file."""


@dataclass(frozen=True)
class Template:
    """A template's text and the file it came from (named in template errors)."""

    text: str
    file: Path


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
    logs: dict[str, Log]
    """Each athlete's log, by athlete id (athletes without one are left out)."""
    log_files: dict[str, str]
    """The file each log came from, by athlete id."""
    ledger: Ledger
    """The feed ledger of the last build."""
    built_site: str | None
    """The output folder, as messages name it, if an earlier build left a site in it."""
    now: dt.datetime
    """The time changed calendar events are stamped with: SOURCE_DATE_EPOCH, else the newest
    day in the logs or the ledger (never the clock nor a file's time)."""
    secret: Secret
    templates_folder: Path
    templates: dict[str, Template]
    """The site's templates, by name (`athlete.html`)."""
    static: dict[str, bytes]
    """The site's static files, by path under `static/`."""

    @property
    def project_source(self) -> Source:
        """The project file's place map (stored under its default name, whatever it is called)."""
        return self.sources[PROJECT_FILE]

    def program_source(self, program_id: str) -> Source:
        """Where each value of a program stood."""
        return self.sources[self.program_files[program_id]]

    def log_source(self, athlete_id: str) -> Source:
        """Where each value of an athlete's log stood."""
        return self.sources[self.log_files[athlete_id]]

    def drill_source(self, drill_id: str) -> Source:
        """Where each value of a drill's front matter stood."""
        return self.sources[self.drill_files[drill_id]]
