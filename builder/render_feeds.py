"""The render stage, feeds: one iCalendar feed per athlete and a team feed for staff.

Every content line is made by `icalendar`. Most lines recur (a session's description
is the same for every athlete who does it; dates, DTSTAMP and titles repeat across the
roster), so each distinct line is serialised once and reused, and events are put
together from those lines. Only the UID and the link are new for every event.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

import icalendar
from icalendar.parser import Contentline

from builder import __version__
from builder.links import FEED_NAME, TEAM_FEED_NAME, Links
from builder.models import Program
from builder.plan import CheckIn, Plan, ScheduledSession, SessionDose
from builder.resolve import Resolution
from builder.text import NOTICE, session_text

_BEGIN_EVENT = b"BEGIN:VEVENT\r\n"
_END_EVENT = b"END:VEVENT\r\n"
_END_CALENDAR = b"END:VCALENDAR\r\n"
_FOLD_AT = 75  # octets (RFC 5545 3.1)


def render_feeds(
    resolution: Resolution, plans: list[Plan], links: Links, updated: dt.datetime
) -> Iterator[tuple[str, bytes]]:
    """Each athlete's feed, then the team feed, as (path, bytes)."""
    site = resolution.library.project.site
    feeds = _Feeds(links, str(site.base_url) if site.base_url else None, updated, site.refresh_hours)
    team: list[bytes] = []
    for plan in plans:
        program = plan.graded.program
        athlete = plan.athlete
        own: list[bytes] = []
        for event, staff_event in feeds.events(plan):
            own.append(event)
            team.append(staff_event)
        description = (
            f"{program.title} (version {program.version}) for {athlete.name}, "
            f"{athlete.injury.side} {program.injury}, grade {athlete.injury.grade}. {NOTICE}"
        )
        zones = [(athlete.timezone, plan.start, plan.end)] if athlete.session_time else []
        path = links.athlete_dir(plan.athlete_id, athlete) + FEED_NAME
        yield path, feeds.calendar(f"{athlete.name}: {program.title}", description, zones, own)
    zones = [
        (zone, min(plan.start for plan in group), max(plan.end for plan in group))
        for zone, group in _by_zone(plans).items()
    ]
    description = f"Every athlete's plan on {site.title}. {NOTICE}"
    yield links.staff_dir() + TEAM_FEED_NAME, feeds.calendar(f"{site.title}: team", description, zones, team)


def _by_zone(plans: list[Plan]) -> dict[str, list[Plan]]:
    groups: dict[str, list[Plan]] = {}
    for plan in plans:
        if plan.athlete.session_time:
            groups.setdefault(plan.athlete.timezone, []).append(plan)
    return dict(sorted(groups.items()))


class _Feeds:
    """Makes events and calendars, keeping every recurring line it has serialised."""

    def __init__(self, links: Links, base_url: str | None, updated: dt.datetime, refresh_hours: int) -> None:
        self.links = links
        self.base_url = base_url
        self.refresh = dt.timedelta(hours=refresh_hours)
        self._lines: dict[tuple[Any, ...], bytes] = {}
        self._zones: dict[tuple[str, int, int], bytes] = {}
        self._descriptions: dict[SessionDose, bytes] = {}
        self._check_ins: dict[tuple[str, str, str | None], bytes] = {}
        self._stamp = self.line("dtstamp", updated)
        self._staff_description = self.line(
            "description", f"Session details are on the athlete's page (the event's link). {NOTICE}"
        )

    def line(self, name: str, value: Any, **parameters: str) -> bytes:
        """One property's content line(s), made by icalendar once per distinct value."""
        key = (name, value, *parameters.items())
        made = self._lines.get(key)
        if made is None:
            component = icalendar.Event()
            component.add(name, value, parameters=parameters)
            made = self._lines[key] = _properties(component)
        return made

    def events(self, plan: Plan) -> Iterator[tuple[bytes, bytes]]:
        """Each event of the plan in date order, for the athlete's feed and for the team feed."""
        page = self.base_url + self.links.athlete_dir(plan.athlete_id, plan.athlete) if self.base_url else None
        for week in plan.weeks:
            for session in week.sessions:
                yield self._session(plan, page, week.number, session)
            if week.check_in is not None:
                yield self._check_in(plan, page, week.check_in)

    def _session(self, plan: Plan, page: str | None, week: int, session: ScheduledSession) -> tuple[bytes, bytes]:
        athlete = plan.athlete
        dose = session.dose
        if athlete.session_time is None:
            when = self._all_day(session.date)
        else:
            start = dt.datetime.combine(session.date, athlete.session_time, zoneinfo.ZoneInfo(athlete.timezone))
            when = self.line("dtstart", start) + self.line("dtend", start + dt.timedelta(minutes=dose.minutes))
        title = f"{dose.session.title} (week {week})"
        tail = _link(page, f"w{week}-s{session.slot}") + self.line("categories", (dose.session.kind,))
        description = self._session_description(plan.graded.program, dose)
        return (
            _BEGIN_EVENT
            + _unique("UID", session.uid)
            + self._stamp
            + when
            + self.line("summary", title)
            + tail
            + description
            + _END_EVENT,
            # The team feed's own UIDs: clients may merge events that share one across calendars.
            _BEGIN_EVENT
            + _unique("UID", f"team-{session.uid}")
            + self._stamp
            + when
            + _unique("SUMMARY", f"{athlete.name}: {title}")
            + tail
            + self._staff_description
            + _END_EVENT,
        )

    def _check_in(self, plan: Plan, page: str | None, check_in: CheckIn) -> tuple[bytes, bytes]:
        title = f"Check-in: end of {check_in.phase.title} (earliest)"
        when = self._stamp + self._all_day(check_in.date)
        tail = _link(page, f"check-in-{check_in.phase.id}") + self.line("categories", ("check-in",))
        description = self._check_in_description(plan.graded.program, check_in)
        return (
            _BEGIN_EVENT
            + _unique("UID", check_in.uid)
            + when
            + self.line("summary", title)
            + tail
            + description
            + _END_EVENT,
            _BEGIN_EVENT
            + _unique("UID", f"team-{check_in.uid}")
            + when
            + _unique("SUMMARY", f"{plan.athlete.name}: {title}")
            + tail
            + description
            + _END_EVENT,
        )

    def _all_day(self, day: dt.date) -> bytes:
        # All-day events are dates (RFC 5545 3.6.1) and do not block time.
        return (
            self.line("dtstart", day)
            + self.line("dtend", day + dt.timedelta(days=1))
            + self.line("transp", "TRANSPARENT")
        )

    def _session_description(self, program: Program, dose: SessionDose) -> bytes:
        made = self._descriptions.get(dose)
        if made is None:
            text = session_text(dose, program)
            if self.base_url:
                text += f"\n\nSession page: {self.base_url}{self.links.session_dir(program.id, dose.key)}"
            text += f"\n\n{program.title}, version {program.version}.\n{NOTICE}"
            made = self._descriptions[dose] = self.line("description", text)
        return made

    def _check_in_description(self, program: Program, check_in: CheckIn) -> bytes:
        # Athletes of one grade share it; the next phase differs only where a grade skips one.
        key = (program.id, check_in.phase.id, check_in.next_phase.id if check_in.next_phase else None)
        made = self._check_ins.get(key)
        if made is None:
            made = self._check_ins[key] = self.line("description", _check_in_text(program, check_in))
        return made

    def calendar(
        self, name: str, description: str, zones: list[tuple[str, dt.date, dt.date]], events: list[bytes]
    ) -> bytes:
        """A whole feed: its name and refresh hints, the time zones it uses, its events."""
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//Sprintback//Sprintback {__version__}//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", icalendar.vText(description))
        # RFC 7986 refresh hint, and the older name Outlook and Google read.
        every = icalendar.vDuration(self.refresh)
        calendar.add("refresh-interval", every, parameters={"VALUE": "DURATION"})
        # X-PUBLISHED-TTL without a VALUE parameter, as Outlook writes it.
        calendar.add("x-published-ttl", bytes(every.to_ical()).decode())  # type: ignore[no-untyped-call]
        if len(zones) == 1:
            calendar.add("x-wr-timezone", zones[0][0])
        timezones = b"".join(self._zone(*zone) for zone in zones)
        head = bytes(calendar.to_ical())
        return head[: -len(_END_CALENDAR)] + timezones + b"".join(events) + _END_CALENDAR

    def _zone(self, zone: str, first: dt.date, last: dt.date) -> bytes:
        """A VTIMEZONE covering the plans' years; slow to make, so made once per zone and span."""
        key = (zone, first.year, last.year)
        made = self._zones.get(key)
        if made is None:
            timezone = icalendar.Timezone.from_tzid(
                zone, first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 1, 1, 1)
            )
            made = self._zones[key] = bytes(timezone.to_ical())
        return made


def _check_in_text(program: Program, check_in: CheckIn) -> str:
    """A check-in's description: the criteria to test, the milestones, what comes next."""
    text = [f"Check-in at the end of {check_in.phase.title}. Test each criterion with your clinician:"]
    for _, criterion in check_in.criteria:
        text.append(f"- {criterion.name}: {criterion.how} Passes: {criterion.passes}")
    if not check_in.criteria:
        text.append("- Review the phase with your clinician.")
    if check_in.phase.milestones:
        text.append("\nMilestones to mark: " + "; ".join(check_in.phase.milestones))
    if check_in.next_phase is not None:
        text.append(
            f"\n{check_in.next_phase.title} starts only when these pass; until then, stay in "
            f"{check_in.phase.title}, and the later dates of the plan move back."
        )
        text.append(f"Next phase: {check_in.next_phase.goal}")
    text.append(f"\n{program.title}, version {program.version}.\n{NOTICE}")
    return "\n".join(text)


def _properties(component: icalendar.Event) -> bytes:
    """A component's property lines, without its BEGIN and END lines."""
    return bytes(component.to_ical())[len(_BEGIN_EVENT) : -len(_END_EVENT)]


def _link(page: str | None, anchor: str) -> bytes:
    """The event's URL: the athlete's page at the session (only with a base_url)."""
    return _unique("URL", f"{page}#{anchor}", uri=True) if page else b""


def _unique(name: str, value: str, *, uri: bool = False) -> bytes:
    """A text or URI line used once (a UID, a link): made by icalendar's content-line writer."""
    encoded = (icalendar.vUri(value) if uri else icalendar.vText(value)).to_ical().decode()
    line = Contentline(f"{name}:{encoded}")  # type: ignore[no-untyped-call]  # as from_parts, no parameters
    raw = line.encode()
    # icalendar folds character by character; a line under 75 octets has nothing to fold.
    return (raw if len(raw) < _FOLD_AT else bytes(line.to_ical())) + b"\r\n"  # type: ignore[no-untyped-call]
