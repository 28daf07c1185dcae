"""Time zones for the feeds: each zone's VTIMEZONE, and session times on the days the clocks change.

Everything here comes from zoneinfo's own transitions. A VTIMEZONE is written as zone databases
write it, one STANDARD and one DAYLIGHT observance with a yearly RRULE: calendar apps read that form
alike, while lists of RDATEs are read differently (ical.js reads only the first value of an RDATE
line). A zone whose changes no yearly rule describes gets one observance per change instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Literal

import icalendar

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SAMPLE = dt.timedelta(hours=6)
"""How often the zone is looked at to find its changes: shorter than any zone's stay in one state."""


@dataclass(frozen=True)
class _Change:
    """The zone's clocks change: from `before` to `after` at `onset`, the local time just before it."""

    onset: dt.datetime
    before: dt.timedelta
    after: dt.timedelta
    daylight: bool
    name: str


def vtimezone(zone: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of `zone` (an IANA name) for events from `first_year` to `last_year`."""
    # From the year before: every event then comes after an observance's onset (RFC 5545 3.6.5).
    changes = _changes(zoneinfo.ZoneInfo(zone), first_year - 1, last_year)
    timezone = icalendar.Timezone()
    timezone.add("tzid", zone)
    rules = _yearly_rules(changes, first_year - 1, last_year)
    if rules is not None:
        for change, rule in rules:
            timezone.add_component(_observance(change, rule))
    else:
        # No yearly rule (irregular changes, or none): the state the range starts in, then each change.
        start = dt.datetime(first_year - 1, 1, 1, tzinfo=zoneinfo.ZoneInfo(zone))
        offset = start.utcoffset() or dt.timedelta()
        initial = _Change(start.replace(tzinfo=None), offset, offset, bool(start.dst()), start.tzname() or "")
        for change in (initial, *changes):
            timezone.add_component(_observance(change, None))
    return bytes(timezone.to_ical())


def _state(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> tuple[dt.timedelta | None, bool, str | None]:
    local = moment.astimezone(zone)
    return local.utcoffset(), bool(local.dst()), local.tzname()


def _changes(zone: zoneinfo.ZoneInfo, first_year: int, last_year: int) -> list[_Change]:
    """Every change of the zone's offset, daylight saving or name from `first_year` to `last_year`, in order."""
    changes: list[_Change] = []
    moment = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    state = _state(moment, zone)
    while moment < end:
        following = moment + _SAMPLE
        if _state(following, zone) != state:
            low, high = moment, following
            while high - low > dt.timedelta(seconds=1):  # to the second: zones change on whole seconds
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _state(middle, zone) == state:
                    low = middle
                else:
                    high = middle
            before = state[0] or dt.timedelta()
            state = _state(high, zone)
            changes.append(
                _Change(
                    (high + before).replace(tzinfo=None), before, state[0] or dt.timedelta(), state[1], state[2] or ""
                )
            )
        moment = following
    return changes


def _yearly_rules(changes: list[_Change], first_year: int, last_year: int) -> list[tuple[_Change, str]] | None:
    """The zone's changes as one yearly rule into daylight saving and one out of it, each with its first
    change; None when no such pair of rules gives exactly these changes."""
    years = list(range(first_year, last_year + 1))
    rules: list[tuple[_Change, str]] = []
    for daylight in (False, True):
        kind = [change for change in changes if change.daylight is daylight]
        if [change.onset.year for change in kind] != years:
            return None
        first = kind[0]
        if any(
            (change.onset.month, change.onset.weekday(), change.onset.time(), change.before, change.after, change.name)
            != (first.onset.month, first.onset.weekday(), first.onset.time(), first.before, first.after, first.name)
            for change in kind
        ):
            return None
        weeks = {(change.onset.day - 1) // 7 + 1 for change in kind}
        last = {change.onset.day + 7 > calendar.monthrange(change.onset.year, change.onset.month)[1] for change in kind}
        # The last weekday first: a "last Sunday" that fell in the fourth week every year of the plan
        # still falls in the fifth in later years, which a calendar might show.
        if last == {True}:
            week = -1
        elif len(weeks) == 1 and min(weeks) <= 4:
            week = min(weeks)
        else:
            return None
        rules.append((first, f"FREQ=YEARLY;BYMONTH={first.onset.month};BYDAY={week}{_WEEKDAYS[first.onset.weekday()]}"))
    return sorted(rules, key=lambda rule: rule[0].onset)


def _observance(change: _Change, rule: str | None) -> icalendar.Component:
    observance = icalendar.TimezoneDaylight() if change.daylight else icalendar.TimezoneStandard()
    observance.add("dtstart", change.onset)
    observance.add("tzoffsetfrom", change.before)
    observance.add("tzoffsetto", change.after)
    if rule is not None:
        observance.add("rrule", icalendar.vRecur.from_ical(rule))
    observance.add("tzname", change.name)
    return observance


def session_span(day: dt.date, time: dt.time, zone: str, minutes: int) -> tuple[dt.datetime, dt.datetime]:
    """A session's start and end, as calendars are to read them: in the athlete's zone, or in UTC
    for a local time the clocks show twice.

    A start time the clocks skip is moved on by the gap (02:30 becomes 03:30), and a time that
    happens twice is the first (RFC 5545 3.3.5). The end is the start's instant plus the minutes,
    so it is never before the start. A repeated local time is written in UTC: calendar apps do not
    agree which of the two a local time means (ical.js takes the second).
    """
    place = zoneinfo.ZoneInfo(zone)
    instant = dt.datetime.combine(day, time, place).astimezone(dt.UTC)
    return _unambiguous(instant, place), _unambiguous(instant + dt.timedelta(minutes=minutes), place)


def _unambiguous(instant: dt.datetime, place: zoneinfo.ZoneInfo) -> dt.datetime:
    local = instant.astimezone(place)
    return instant if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset() else local


def clock_change(day: dt.date, time: dt.time, zone: str) -> tuple[Literal["skipped", "repeated"], dt.datetime] | None:
    """Whether the clocks skip `time` on `day` in `zone`, or show it twice; with the start calendars show
    (the time after the gap, or the first of the two). None on an ordinary day."""
    place = zoneinfo.ZoneInfo(zone)
    first = dt.datetime.combine(day, time, place)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    shown = first.astimezone(dt.UTC).astimezone(place)
    return ("skipped" if shown.time() != time else "repeated"), shown
