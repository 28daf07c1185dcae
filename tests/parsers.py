"""Feeds read back by three independent calendar parsers: Mozilla's ical.js (Thunderbird), libical
(Evolution, GNOME) and vobject. Each reads the feed's own VTIMEZONEs, none a zone database of its own.

Every parser gives, per event, its UID, start and end: a UTC instant for a timed event, a date for a day.
tests/run installs ical.js (npm, into tests/js) and libical (Debian's gir1.2-ical-3.0, read by the
system's python3 in a subprocess: the test venv's python may not be Debian's and cannot import gi).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import vobject

Moment = dt.datetime | dt.date
"""A UTC instant (an aware datetime in UTC), or a date for an all-day event."""
Event = tuple[str, Moment, Moment]
"""An event as a parser read it: UID, start, end."""
Parser = Callable[[Sequence[Path]], dict[Path, list[Event]]]

JS = Path(__file__).resolve().parent / "js"
SYSTEM_PYTHON = os.environ.get("SPRINTBACK_SYSTEM_PYTHON", "/usr/bin/python3")
"""Debian's python3, which has python3-gi and sees gir1.2-ical-3.0."""

_LIBICAL_SCRIPT = """
import json, sys
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib

def moment(time):
    if time.is_date():
        return {"date": "%04d-%02d-%02d" % (time.get_year(), time.get_month(), time.get_day())}
    zone = time.get_timezone()
    if zone is None and not time.is_utc():
        raise SystemExit("a floating time, or a TZID without a VTIMEZONE")
    return {"utc": time.as_timet_with_zone(zone)}

kind = ICalGLib.ComponentKind.VEVENT_COMPONENT
feeds = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as file:
        calendar = ICalGLib.Component.new_from_string(file.read())
    events = []
    event = calendar.get_first_component(kind)
    while event is not None:
        events.append([event.get_uid(), moment(event.get_dtstart()), moment(event.get_dtend())])
        event = calendar.get_next_component(kind)
    feeds[path] = events
json.dump(feeds, sys.stdout)
"""


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: tests/run installs it")
    pytest.skip(f"{what} is not installed on this machine (tests/run installs it)")


def _moment(value: dict[str, str | int]) -> Moment:
    if "date" in value:
        return dt.date.fromisoformat(str(value["date"]))
    return dt.datetime.fromtimestamp(int(value["utc"]), dt.UTC)


def _run(command: list[str], paths: Sequence[Path]) -> dict[Path, list[Event]]:
    done = subprocess.run(
        [*command, *map(str, paths)], capture_output=True, text=True, check=False, timeout=300, cwd=JS
    )
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr}"
    read: dict[str, list[list[str]]] = json.loads(done.stdout)
    return {
        Path(path): [(uid, _moment(start), _moment(end)) for uid, start, end in events]  # type: ignore[arg-type]
        for path, events in read.items()
    }


def ical_js(paths: Sequence[Path]) -> dict[Path, list[Event]]:
    """Each feed's events as Mozilla's ical.js reads them."""
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "ical.js" / "package.json").is_file():
        _missing("Mozilla's ical.js (node, and `npm ci` in tests/js)")
    return _run([str(node), str(JS / "parse.mjs")], [path.resolve() for path in paths])


@functools.cache
def _has_libical() -> bool:
    check = 'import gi; gi.require_version("ICalGLib", "3.0"); from gi.repository import ICalGLib'
    try:
        return subprocess.run([SYSTEM_PYTHON, "-c", check], capture_output=True, check=False).returncode == 0
    except OSError:
        return False


def libical(paths: Sequence[Path]) -> dict[Path, list[Event]]:
    """Each feed's events as libical reads them."""
    if not _has_libical():
        _missing(f"libical for {SYSTEM_PYTHON} (Debian's python3-gi and gir1.2-ical-3.0)")
    return _run([SYSTEM_PYTHON, "-c", _LIBICAL_SCRIPT], [path.resolve() for path in paths])


def _vobject_moment(line: Any, zones: dict[str, dt.tzinfo]) -> Moment:
    value: Moment = line.value
    if not isinstance(value, dt.datetime):
        return value
    # vobject keeps one zone per TZID for the whole process, from wherever it met the name first
    # (often pytz): the wall time as written, put in the zone this feed's VTIMEZONE describes.
    tzid = line.params.get("X-VOBJ-ORIGINAL-TZID", [None])[0]
    if tzid is not None:
        value = value.replace(tzinfo=zones[tzid])
    assert value.tzinfo is not None, "a floating time"
    return value.astimezone(dt.UTC)


def _vobject_end(event: Any, zones: dict[str, dt.tzinfo]) -> Moment:
    if hasattr(event, "dtend"):
        return _vobject_moment(event.dtend, zones)
    start = _vobject_moment(event.dtstart, zones)
    if hasattr(event, "duration"):
        duration: dt.timedelta = event.duration.value
        return start + duration
    return start if isinstance(start, dt.datetime) else start + dt.timedelta(days=1)


def vobject_reader(paths: Sequence[Path]) -> dict[Path, list[Event]]:
    """Each feed's events as vobject reads them, its zones made from the feed's VTIMEZONEs (by dateutil)."""
    feeds: dict[Path, list[Event]] = {}
    for path in paths:
        calendar = vobject.readOne(path.read_text(encoding="utf-8"))
        zones = {zone.tzid.value: zone.gettzinfo() for zone in calendar.contents.get("vtimezone", [])}
        feeds[path] = [
            (event.uid.value, _vobject_moment(event.dtstart, zones), _vobject_end(event, zones))
            for event in calendar.contents.get("vevent", [])
        ]
    return feeds


PARSERS: dict[str, Parser] = {"ical.js": ical_js, "libical": libical, "vobject": vobject_reader}
"""The three parsers by name."""


def read_by_all(paths: Sequence[Path]) -> dict[str, dict[Path, list[Event]]]:
    """Each feed's events as each of the three parsers reads them, by parser name."""
    return {name: parse(paths) for name, parse in PARSERS.items()}
