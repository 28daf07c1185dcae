"""The feed ledger, `feeds.lock`: what each calendar event looked like when it was last published.

Per event UID: its sequence, when it last changed and a hash of its content. The
build reads it, so an event that did not change keeps its bytes, an event that did
gets a higher SEQUENCE and a new LAST-MODIFIED; then it writes the ledger of what it
published. Committed beside the roster, it lets a fresh clone build the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from builder.errors import Problem

LEDGER_FILE = "feeds.lock"
_HEADER = (
    "# feeds.lock: written by `sprintback build`; commit it with the logs and the roster.\n"
    "# One calendar event a line: UID, sequence, last change (UTC), content hash.\n"
)
_STAMP = "%Y%m%dT%H%M%SZ"
_TICK = dt.timedelta(seconds=1)
"""The least step of a stamp, as the ledger and DTSTAMP write it."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """An event as last published: how often it changed, when it last did, what it held."""

    sequence: int
    modified: dt.datetime
    digest: str


@dataclass(frozen=True)
class Ledger:
    """The events of the last build, by UID; `found` is False when there was no ledger."""

    events: dict[str, Stamp]
    found: bool

    def stamp(self, uid: str, content: bytes, now: dt.datetime) -> Stamp:
        """The event's stamp in this build: as before if its content is the same, else one sequence on."""
        digest = hashlib.sha256(content).hexdigest()[:16]
        before = self.events.get(uid)
        if before is None:
            return Stamp(0, now, digest)
        if before.digest == digest:
            return before
        # LAST-MODIFIED goes forward even when `now` does not (a roster edit with no SOURCE_DATE_EPOCH
        # is stamped with the ledger's newest change): a client that compares it sees the change.
        return Stamp(before.sequence + 1, max(now, before.modified + _TICK), digest)

    def newest(self) -> dt.datetime | None:
        """The latest change the ledger knows, if any."""
        return max((stamp.modified for stamp in self.events.values()), default=None)


def read_ledger(text: str | None, file: str) -> tuple[Ledger, list[Problem]]:
    """Parse a ledger; None (no file) is an empty ledger."""
    if text is None:
        return Ledger({}, found=False), []
    events: dict[str, Stamp] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        try:
            uid, sequence, modified, digest = parts
            stamp = Stamp(int(sequence), dt.datetime.strptime(modified, _STAMP).replace(tzinfo=dt.UTC), digest)
            if stamp.sequence < 0 or uid in events:
                raise ValueError
        except ValueError:
            expected = "expected 'UID SEQUENCE YYYYMMDDTHHMMSSZ HASH' once per UID; delete the file to start again"
            problems.append(Problem(file, number, 1, "", expected))
            continue
        events[uid] = stamp
    return Ledger(events, found=True), problems


def ledger_text(events: dict[str, Stamp]) -> str:
    """The ledger's text: one event a line, sorted, so that it diffs well in git."""
    lines = [
        f"{uid} {stamp.sequence} {stamp.modified.strftime(_STAMP)} {stamp.digest}\n"
        for uid, stamp in sorted(events.items())
    ]
    return _HEADER + "".join(lines)
