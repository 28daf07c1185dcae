"""What a build changes in the athletes' calendars: its feed ledger against the one before it.

Pure: the ledger the build read (the last published build's `feeds.lock`) and the stamps it
published in, per athlete the events that changed, are new, or are gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.ledger import Ledger, Stamp
from builder.plan import Plan


@dataclass(frozen=True, slots=True)
class FeedChange:
    """One athlete's calendar events against the last build."""

    athlete_id: str
    name: str
    changed: int
    """Events whose content changed (a new date, dose, title …): calendars update them."""
    new: int
    gone: int


def feed_changes(before: Ledger, after: dict[str, Stamp], plans: list[Plan]) -> list[FeedChange]:
    """Each athlete whose feed's events differ from the ledger's, in roster order. An athlete's
    events are those whose UID starts with their id (UIDs are `<athlete>.<…>@<host>`)."""
    names = {plan.athlete_id: plan.athlete.name for plan in plans}
    counts: dict[str, list[int]] = {}

    def count(uid: str, which: int) -> None:
        athlete = uid.split(".", 1)[0]
        counts.setdefault(athlete, [0, 0, 0])[which] += 1

    for uid, stamp in after.items():
        old = before.events.get(uid)
        if old is None:
            count(uid, 1)
        elif old.digest != stamp.digest:
            count(uid, 0)
    for uid in before.events:
        if uid not in after:
            count(uid, 2)
    order = [*names, *sorted(set(counts) - set(names))]
    return [
        FeedChange(athlete, names.get(athlete, athlete), *counts[athlete]) for athlete in order if athlete in counts
    ]
