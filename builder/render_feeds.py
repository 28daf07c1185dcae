"""The render stage, feeds: one iCalendar feed per athlete; for staff, one per athlete, a team feed
and an upcoming feed.

The team feed holds check-ins and pauses only (a roster's sessions would pass the size and
event limits of calendar services); each athlete's sessions are in the athlete's staff feed,
and every athlete's sessions of the next weeks in the upcoming feed.

Every content line is made by `icalendar`. Most lines recur (a session's description
is the same for every athlete who does it; dates, DTSTAMP and titles repeat across the
roster), so each distinct line is serialised once and reused, and events are put
together from those lines. Only the UID and the link are new for every event.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import icalendar
from icalendar.parser import Contentline

from builder import __version__, timezones, wording
from builder.ledger import Ledger, Stamp
from builder.linked import LinkedProgram, Resolution
from builder.links import BUSY_FEED_NAME, FEED_NAME, TEAM_FEED_NAME, UPCOMING_FEED_NAME, Output
from builder.models import PainRecord
from builder.plan import CheckIn, Entry, EventId, Pause, Plan, ScheduledSession, SessionDose, Week
from builder.views import Views, check_in_anchor, record_view

_BEGIN_EVENT = b"BEGIN:VEVENT\r\n"
_END_EVENT = b"END:VEVENT\r\n"
_END_CALENDAR = b"END:VCALENDAR\r\n"
_FOLD_AT = 75  # octets (RFC 5545 3.1)
_PLAIN = re.compile(r"[A-Za-z0-9@._~:/?#=&%+-]*")
"""Printable ASCII that neither text nor URI values escape (no backslash, comma, semicolon or caret)."""
_NO_HOST = "sprintback.invalid"
"""The UID domain of a site without a base_url (RFC 2606 keeps .invalid unused)."""


class Window(NamedTuple):
    """The days the upcoming feed holds: from `first` to the day before `end`."""

    first: dt.date
    end: dt.date

    def holds(self, first: dt.date, end: dt.date) -> bool:
        """Whether days `first` to the day before `end` meet the window."""
        return first < self.end and self.first < end


def render_feeds(
    resolution: Resolution, plans: list[Plan], views: Views, today: dt.date
) -> tuple[list[Output], dict[str, Stamp]]:
    """Each athlete's feed and busy-only feed, then each athlete's feed for staff, then the team feed
    and the upcoming feed (the weeks from `today`); and the ledger of the events published, filled in
    as the feeds are made."""
    library = resolution.library
    site = library.project.site
    host = site.base_url.host if site.base_url and site.base_url.host else _NO_HOST
    window = Window(today, today + dt.timedelta(weeks=site.upcoming_weeks))
    feeds = _Feeds(views, host, library.ledger, library.now, site.refresh_hours, site.reminder_minutes, window)
    outputs: list[Output] = []
    for plan in plans:
        path = views.links.athlete_dir(plan.athlete_id, plan.athlete) + FEED_NAME
        outputs.append((path, functools.partial(feeds.athlete_calendar, plan)))
        busy = views.links.athlete_dir(plan.athlete_id, plan.athlete) + BUSY_FEED_NAME
        outputs.append((busy, functools.partial(feeds.busy_calendar, plan)))
        for key in plan.athlete.old_link_keys:  # a retired address in its grace period: one "moved" event
            moved = views.links.athlete_dir(plan.athlete_id, plan.athlete, key) + FEED_NAME
            outputs.append((moved, functools.partial(feeds.moved_calendar, plan.athlete_id, key)))
    for plan in plans:
        outputs.append((views.links.staff_feed(plan.athlete_id), functools.partial(feeds.staff_calendar, plan)))
    outputs.append(
        (views.links.staff_dir() + TEAM_FEED_NAME, functools.partial(feeds.team_calendar, plans, site.title))
    )
    outputs.append(
        (
            views.links.staff_dir() + UPCOMING_FEED_NAME,
            functools.partial(feeds.upcoming_calendar, plans, site.title, site.upcoming_weeks),
        )
    )
    return outputs, feeds.published


def uid(event: EventId, host: str, *, team: bool = False) -> str:
    """An event's UID: what the event is, in parts that ids cannot contain ('.'), at the site's host."""
    slot = f"s{event.slot}" if event.slot is not None else "check-in"
    prefix = "team." if team else ""
    return f"{prefix}{event.athlete}.{event.program}.{event.phase}.w{event.week_in_phase}.r{event.repeat}.{slot}@{host}"


def home_uid(plan: Plan, week: Week, host: str) -> str:
    """A week's home exercises: the week's parts as a session's UID has them, and `home` for the slot."""
    parts = (plan.athlete_id, plan.graded.program.id, week.phase.id, f"w{week.dosed.week_in_phase}", f"r{week.repeat}")
    return ".".join(parts) + f".home@{host}"


def pause_uid(plan: Plan, number: int, host: str, *, team: bool = False) -> str:
    """A pause's UID: athlete, program and which pause of the plan (four parts: no session's UID)."""
    prefix = "team." if team else ""
    return f"{prefix}{plan.athlete_id}.{plan.graded.program.id}.paused.{number}@{host}"


class _Events(NamedTuple):
    """One event of a plan as each feed holds it (empty where a feed has no such event)."""

    own: bytes
    """The athlete's feed."""
    team: bytes
    staff: bytes
    """The athlete's feed for staff."""
    busy: bytes
    upcoming: bytes


class _Feeds:
    """Makes events and calendars, keeping every recurring line it has serialised."""

    def __init__(
        self,
        views: Views,
        host: str,
        ledger: Ledger,
        now: dt.datetime,
        refresh_hours: int,
        reminder: int | None,
        window: Window,
    ) -> None:
        self.views = views
        self.links = views.links
        self.base_url = views.base_url
        self.host = host
        self.refresh = dt.timedelta(hours=refresh_hours)
        self.reminder = reminder
        """The site's reminder, in minutes before a timed session, for athletes without their own."""
        self._alarms: dict[tuple[int, str], bytes] = {}
        self._lines: dict[tuple[Any, ...], bytes] = {}
        self._zones: dict[tuple[str, int, int], bytes] = {}
        self._descriptions: dict[SessionDose, tuple[bytes, bytes]] = {}
        self._check_ins: dict[object, tuple[bytes, bytes]] = {}
        self.window = window
        self._made: dict[str, _Events] = {}
        """Each plan's events for the other feeds (team, staff, busy-only, upcoming), made with the
        athlete's feed, by athlete id; each feed takes its part."""
        self._heads: dict[tuple[str, object], bytes] = {}
        self.ledger = ledger
        self.now = now
        self.published: dict[str, Stamp] = {}
        """Each athlete event's stamp as published, by UID: the next ledger."""
        self._head: tuple[bytes, bytes] | None = None
        """The lines of a feed's head before its name and description, and after them."""
        self._stamps: dict[tuple[int, dt.datetime], bytes] = {}
        """DTSTAMP, LAST-MODIFIED and SEQUENCE lines by sequence and time: most events share them."""
        # No event shows it since sessions left the team feed; kept in the digests, so ledgers keep their stamps.
        self._staff_description = self.line("description", wording.STAFF_SESSION_DESCRIPTION)

    def line(self, name: str, value: Any, **parameters: str) -> bytes:
        """One property's content line(s), made by icalendar once per distinct value."""
        # Keyed by what it writes: aware datetimes in two zones compare equal but write different TZIDs.
        key = (name, value, value.tzinfo if isinstance(value, dt.datetime) else None, *parameters.items())
        made = self._lines.get(key)
        if made is None:
            component = icalendar.Event()
            component.add(name, value, parameters=parameters)
            made = self._lines[key] = _properties(component)
        return made

    def _timed(self, name: str, moment: dt.datetime) -> bytes:
        """A DTSTART or DTEND with its TZID: the name and parameter made by icalendar once per zone,
        the value by icalendar's date-time writer (a whole Event per moment is slow, and moments
        rarely repeat across a roster)."""
        zone = moment.tzinfo
        head = self._heads.get((name, zone))
        if head is None:
            line = self.line(name, moment)
            if b"\r\n " in line:  # a zone name long enough to fold the line: no shortcut
                return line
            head = self._heads[name, zone] = line[: line.rindex(b":") + 1]
        return head + bytes(icalendar.vDatetime(moment).to_ical()) + b"\r\n"  # type: ignore[no-untyped-call]

    def athlete_calendar(self, plan: Plan) -> bytes:
        """An athlete's feed: every session and check-in of the plan.

        The team feed's events of the same plan are made in the same pass and kept
        for `team_calendar`: most of their lines are the athlete's.
        """
        athlete = plan.athlete
        program = plan.graded.program.spec
        description = (
            f"{program.title} (version {program.version}) for {athlete.name}, "
            f"{athlete.injury.side} {program.injury}, grade {athlete.injury.grade}. {wording.NOTICE}"
        )
        zones = [(athlete.timezone, plan.start, plan.end)] if athlete.session_time else []
        name = athlete.calendar_name or wording.athlete_plan_title(athlete.name, program.title)
        events = list(self.events(plan))
        self._made[plan.athlete_id] = _Events(*(b"".join(part) for part in zip(*events, strict=True)))
        return self.calendar(name, description, zones, [event.own for event in events])

    def _part(self, plan: Plan, feed: str) -> bytes:
        """A plan's events for one of the other feeds: made with the athlete's feed, else now."""
        made = self._made.get(plan.athlete_id)
        if made is None:
            made = self._made[plan.athlete_id] = _Events(
                *(b"".join(part) for part in zip(*self.events(plan), strict=True))
            )
        part: bytes = getattr(made, feed)
        self._made[plan.athlete_id] = made._replace(**{feed: b""})  # each feed is made once: let it go
        return part

    def busy_calendar(self, plan: Plan) -> bytes:
        """An athlete's busy-only feed, for a work or family calendar: the times of the sessions and
        check-ins, titled "Training" and "Check-in", with no link and nothing about the injury or plan."""
        athlete = plan.athlete
        zones = [(athlete.timezone, plan.start, plan.end)] if athlete.session_time else []
        events = self._part(plan, "busy")
        name = f"{athlete.name}: {wording.BUSY_SESSION.lower()}"
        return self.calendar(name, wording.BUSY_DESCRIPTION, zones, [events])

    def staff_calendar(self, plan: Plan) -> bytes:
        """An athlete's feed for staff: the sessions and check-ins, titled with the athlete's name."""
        athlete = plan.athlete
        program = plan.graded.program.spec
        zones = [(athlete.timezone, plan.start, plan.end)] if athlete.session_time else []
        events = self._part(plan, "staff")
        name = wording.athlete_plan_title(athlete.name, program.title) + " (staff)"
        description = f"{athlete.name}'s sessions and check-ins, for staff. {wording.NOTICE}"
        return self.calendar(name, description, zones, [events])

    def team_calendar(self, plans: list[Plan], title: str) -> bytes:
        """The staff's feed: every athlete's check-ins and pauses, titled with the athlete's name."""
        events = [self._part(plan, "team") for plan in plans]
        # All-day events: no time zone.
        return self.calendar(f"{title}: team", wording.team_calendar_description(title), [], events)

    def upcoming_calendar(self, plans: list[Plan], title: str, weeks: int) -> bytes:
        """The staff's feed of the weeks ahead: every athlete's sessions, check-ins and pauses in the
        window, titled with the athlete's name, each with a link to the athlete's page in its text."""
        events = [self._part(plan, "upcoming") for plan in plans]
        first, end = self.window
        zones = sorted({plan.athlete.timezone for plan in plans if plan.athlete.session_time})
        description = wording.upcoming_calendar_description(title, weeks, first)
        return self.calendar(
            wording.upcoming_calendar_name(title, weeks), description, [(zone, first, end) for zone in zones], events
        )

    def moved_calendar(self, athlete_id: str, key: int) -> bytes:
        """A retired address's feed in its grace period: one all-day event, today, saying the calendar has
        moved; nothing about the athlete's injury or plan, and not the new address (ask the staff for it)."""
        own = f"{athlete_id}.moved.{key}@{self.host}"
        when = self._all_day(self.now.date())
        summary = self.line("summary", wording.MOVED_TITLE)
        description = self.line("description", wording.MOVED_TEXT)
        stamp = self._stamp(own, when + summary + description, "")
        event = _BEGIN_EVENT + _unique("UID", own) + stamp + when + summary + description + _END_EVENT
        return self.calendar(wording.MOVED_TITLE, wording.MOVED_TEXT, [], [event])

    def events(self, plan: Plan) -> Iterator[_Events]:
        """Each event of the plan in date order, as each feed holds it."""
        page = self.base_url + self.links.athlete_dir(plan.athlete_id, plan.athlete) if self.base_url else None
        for week in plan.weeks:
            if week.phase.linked.home:
                yield self._home(plan, page, week)
            for session in week.sessions:
                yield self._session(plan, page, week.number, session)
            if week.check_in is not None:
                yield self._check_in(plan, page, week.check_in)
        for number, pause in enumerate(plan.pauses, start=1):
            if pause.end != pause.start:  # a resume before any training day was lost leaves no day to mark
                yield self._pause(plan, page, number, pause)
        for entry in plan.entries:
            if _for_staff(entry):
                yield self._logged(plan, page, entry)

    def _session(self, plan: Plan, page: str | None, week: int, session: ScheduledSession) -> _Events:
        athlete = plan.athlete
        dose = session.dose
        title = wording.event_title(dose.session.spec.title, week)
        alarm = b""
        if athlete.session_time is None:
            when = self._all_day(session.date)
        else:
            start, end = timezones.session_span(session.date, athlete.session_time, athlete.timezone, dose.minutes)
            when = self._timed("dtstart", start) + self._timed("dtend", end)
            minutes = athlete.reminder_minutes if athlete.reminder_minutes is not None else self.reminder
            alarm = self._alarm(minutes, title) if minutes is not None else b""
        tail = _link(page, f"w{week}-s{session.slot}") + self.line("categories", (dose.session.spec.kind,))
        description, digest = self._session_description(plan.graded.program, dose, page, f"w{week}-s{session.slot}")
        summary = self.line("summary", title)
        own = uid(session.event, self.host)
        stamp = self._stamp(own, when + summary + tail + digest + alarm, athlete.name)
        staff_summary = _unique("SUMMARY", f"{athlete.name}: {title}")
        anchor = f"w{week}-s{session.slot}"
        return _Events(
            _BEGIN_EVENT + _unique("UID", own) + stamp + when
            + summary + tail + description + alarm + _END_EVENT,
            b"",  # no sessions in the team feed
            # The staff feed's own UIDs (the team feed's when it held sessions): clients may merge events
            # that share one across calendars.
            _BEGIN_EVENT + _unique("UID", uid(session.event, self.host, team=True)) + stamp + when
            + staff_summary + tail + self._described(page, anchor, self._descriptions[dose][0], athlete.name)
            + _END_EVENT,
            _BEGIN_EVENT + _unique("UID", self._busy_uid(own)) + stamp + when
            + self.line("summary", wording.BUSY_SESSION) + _END_EVENT,
            self._upcoming(own, stamp, when, staff_summary + tail, athlete.name, page, anchor, session.date),
        )  # fmt: skip

    def _home(self, plan: Plan, page: str | None, week: Week) -> _Events:
        """The week's home exercises: one all-day event over the week, in the athlete's feed only."""
        home = self.views.home(week)
        assert home is not None
        end = week.end + dt.timedelta(days=1)
        when = self.line("dtstart", week.start) + self.line("dtend", end) + self.line("transp", "TRANSPARENT")
        tail = _link(page, home.anchor) + self.line("categories", ("home",))
        summary = self.line("summary", wording.event_title(wording.HOME_TITLE, week.number))
        own = home_uid(plan, week, self.host)
        card = self._card(home.card(_footer(plan.graded.program)))
        stamp = self._stamp(own, when + summary + tail + card, plan.athlete.name)
        description = self._described(page, home.anchor, card)
        return _Events(
            _BEGIN_EVENT + _unique("UID", own) + stamp + when + summary + tail + description + _END_EVENT,
            b"", b"", b"", b"",  # the athlete's own: staff see the plan on the athlete's page
        )  # fmt: skip

    def _check_in(self, plan: Plan, page: str | None, check_in: CheckIn) -> _Events:
        view = self.views.check_in(check_in)
        when = self._all_day(check_in.date)
        tail = _link(page, check_in_anchor(check_in.event)) + self.line("categories", ("check-in",))
        anchor = check_in_anchor(check_in.event)
        description, digest = self._check_in_description(plan.graded.program, check_in, page, anchor)
        name = plan.athlete.name
        staff_summary = _unique("SUMMARY", f"{name}: {view.title}")
        summary = self.line("summary", view.title)
        own = uid(check_in.event, self.host)
        stamp = self._stamp(own, when + summary + tail + digest, plan.athlete.name)
        return _Events(
            _BEGIN_EVENT + _unique("UID", own) + stamp + when + summary
            + tail + description + _END_EVENT,
            _BEGIN_EVENT + _unique("UID", uid(check_in.event, self.host, team=True)) + stamp + when
            + staff_summary + tail + _staff_link(name, page, anchor) + _END_EVENT,
            _BEGIN_EVENT + _unique("UID", "staff." + uid(check_in.event, self.host)) + stamp + when
            + staff_summary + tail + self._described(page, anchor, self._check_ins[view][0], name) + _END_EVENT,
            _BEGIN_EVENT + _unique("UID", self._busy_uid(own)) + stamp + when
            + self.line("summary", wording.BUSY_CHECK_IN) + _END_EVENT,
            self._upcoming(own, stamp, when, staff_summary + tail, name, page, anchor, check_in.date),
        )  # fmt: skip

    def _pause(self, plan: Plan, page: str | None, number: int, pause: Pause) -> _Events:
        """A day event over a pause: no training until the clinician says so."""
        end = pause.end if pause.end is not None else pause.start + dt.timedelta(days=1)
        when = self.line("dtstart", pause.start) + self.line("dtend", end) + self.line("transp", "TRANSPARENT")
        tail = _link(page, f"pause-{number}") + self.line("categories", ("pause",))
        title = wording.PAUSED_TITLE
        description = self.line("description", wording.paused_text(pause.start, pause.end))
        own = pause_uid(plan, number, self.host)
        stamp = self._stamp(own, when + self.line("summary", title) + tail + description, plan.athlete.name)
        staff = (
            _unique("SUMMARY", f"{plan.athlete.name}: {title}") + tail
            + _staff_link(plan.athlete.name, page, f"pause-{number}", wording.paused_text(pause.start, pause.end))
        )  # fmt: skip
        upcoming = b""
        if self.window.holds(pause.start, end):
            upcoming = _BEGIN_EVENT + _unique("UID", "upcoming." + own) + stamp + when + staff + _END_EVENT
        return _Events(
            _BEGIN_EVENT + _unique("UID", own) + stamp + when + self.line("summary", title) + tail
            + description + _END_EVENT,
            _BEGIN_EVENT + _unique("UID", pause_uid(plan, number, self.host, team=True)) + stamp + when
            + staff + _END_EVENT,
            b"",  # pauses are in the team feed
            b"",  # a pause is not busy
            upcoming,
        )  # fmt: skip

    def _logged(self, plan: Plan, page: str | None, entry: Entry) -> _Events:
        """A check-in result, a clinician's decision or a pain report that changed the plan, on its day,
        for staff only: in the team feed, and in the upcoming feed within its window."""
        name = plan.athlete.name
        record = record_view(plan, entry)
        when = self._all_day(entry.record.date)
        titled = _unique("SUMMARY", f"{name}: {wording.log_event_title(entry.record)}") + _link(page, "history")
        titled += self.line("categories", ("log",))
        text = _staff_link(name, page, "history", f"{record.what}\n{record.effect}")
        own = f"{plan.athlete_id}.{plan.graded.program.id}.log.{entry.index}@{self.host}"
        stamp = self._stamp(own, when + titled + text, name)
        upcoming = b""
        if self.window.holds(entry.record.date, entry.record.date + dt.timedelta(days=1)):
            upcoming = _BEGIN_EVENT + _unique("UID", "upcoming." + own) + stamp + when + titled + text + _END_EVENT
        return _Events(
            b"", _BEGIN_EVENT + _unique("UID", "team." + own) + stamp + when + titled + text + _END_EVENT, b"", b"",
            upcoming,
        )  # fmt: skip

    def _upcoming(
        self, own: str, stamp: bytes, when: bytes, titled: bytes, name: str, page: str | None, anchor: str, day: dt.date
    ) -> bytes:
        """A session's or check-in's event in the upcoming feed, if its day is in the window: titled
        (`titled`, with its link and category) as for staff, the athlete's page in the text."""
        if not self.window.holds(day, day + dt.timedelta(days=1)):
            return b""
        return (
            _BEGIN_EVENT + _unique("UID", "upcoming." + own) + stamp + when + titled
            + _staff_link(name, page, anchor, wording.NOTICE) + _END_EVENT
        )  # fmt: skip

    def _alarm(self, minutes: int, title: str) -> bytes:
        """A reminder `minutes` before the session (RFC 5545 3.6.6), made by icalendar once per title."""
        made = self._alarms.get((minutes, title))
        if made is None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -dt.timedelta(minutes=minutes))
            alarm.add("description", title)
            made = self._alarms[minutes, title] = bytes(alarm.to_ical())
        return made

    def _busy_uid(self, own: str) -> str:
        """A busy-only event's UID: a keyed hash of the athlete's event's, whose parts name the program."""
        token = hmac.new(self.links.secret, b"busy:" + own.encode(), hashlib.sha256).hexdigest()[:26]
        return f"busy.{token}@{self.host}"

    def _stamp(self, own: str, content: bytes, name: str) -> bytes:
        """DTSTAMP, LAST-MODIFIED and SEQUENCE of an event, from the ledger: unchanged content keeps them.

        `content` is every line the athlete's and the team's events hold but the UIDs, or a digest
        of it; the team's event shares the athlete's stamp. DTSTAMP is the last change, not the
        build's time, so that a build of unchanged inputs gives the same bytes.
        """
        stamp = self.ledger.stamp(own, content + name.encode(), self.now)
        self.published[own] = stamp
        made = self._stamps.get((stamp.sequence, stamp.modified))
        if made is None:
            made = self._stamps[stamp.sequence, stamp.modified] = (
                self.line("dtstamp", stamp.modified)
                + self.line("last-modified", stamp.modified)
                + self.line("sequence", stamp.sequence)
            )
        return made

    def _all_day(self, day: dt.date) -> bytes:
        # All-day events are dates (RFC 5545 3.6.1) and do not block time.
        return (
            self.line("dtstart", day)
            + self.line("dtend", day + dt.timedelta(days=1))
            + self.line("transp", "TRANSPARENT")
        )

    def _session_description(
        self, program: LinkedProgram, dose: SessionDose, page: str | None, anchor: str
    ) -> tuple[bytes, bytes]:
        """The session's description, a short card under the link to the session on the athlete's page;
        and a digest of the card for the ledger (the link is the event's URL, digested with it)."""
        made = self._descriptions.get(dose)
        if made is None:
            card = f"{self.views.session(dose, program).card()}\n{_footer(program)}"
            body = self._card(card)
            # The staff's description stands in the team feed's event: its changes count too.
            made = self._descriptions[dose] = (body, hashlib.sha256(body + self._staff_description).digest())
        body, digest = made
        return self._described(page, anchor, body), digest

    def _check_in_description(
        self, program: LinkedProgram, check_in: CheckIn, page: str | None, anchor: str
    ) -> tuple[bytes, bytes]:
        view = self.views.check_in(check_in)  # one view per phase and next phase: athletes of a grade share it
        made = self._check_ins.get(view)
        if made is None:
            body = self._card(f"{view.card()}\n{_footer(program)}")
            made = self._check_ins[view] = (body, hashlib.sha256(body).digest())
        body, digest = made
        return self._described(page, anchor, body), digest

    def _card(self, card: str) -> bytes:
        """A card's DESCRIPTION line, made by icalendar; with a base_url, its folded value alone, to follow a link.

        A fold may come between any two characters (RFC 5545 3.1): the card is folded once per dose
        and each event's link goes before it on lines of its own, so no description is folded twice.
        """
        if not self.base_url:
            return self.line("description", card)
        value = icalendar.vText(card).to_ical().decode()
        return b" " + bytes(Contentline(value).to_ical()) + b"\r\n"  # type: ignore[no-untyped-call]

    @staticmethod
    def _described(page: str | None, anchor: str, body: bytes, staff: str | None = None) -> bytes:
        """The DESCRIPTION line: the link to the session on the athlete's page first, then the card;
        for staff (`staff`, the athlete's name), the link names the athlete."""
        if not page:
            return body
        link_to = f"{page}#{anchor}"
        text = wording.staff_page_text(staff, link_to) if staff else wording.card_link_text(link_to)
        link = icalendar.vText(text + "\n").to_ical().decode()
        return _folded(f"DESCRIPTION:{link}") + body

    def calendar(
        self, name: str, description: str, zones: list[tuple[str, dt.date, dt.date]], events: list[bytes]
    ) -> bytes:
        """A whole feed: its name and refresh hints, the time zones it uses, its events.

        Its head is the lines icalendar writes for a Calendar with these properties, in icalendar's
        order; the lines every feed shares are made once.
        """
        if self._head is None:
            calendar = icalendar.Calendar()
            calendar.add("prodid", f"-//Sprintback//Sprintback {__version__}//EN")
            calendar.add("version", "2.0")
            calendar.add("calscale", "GREGORIAN")
            calendar.add("method", "PUBLISH")
            # RFC 7986 refresh hint, and the older name Outlook and Google read.
            every = icalendar.vDuration(self.refresh)
            calendar.add("refresh-interval", every, parameters={"VALUE": "DURATION"})
            # X-PUBLISHED-TTL without a VALUE parameter, as Outlook writes it.
            calendar.add("x-published-ttl", bytes(every.to_ical()).decode())  # type: ignore[no-untyped-call]
            head = bytes(calendar.to_ical())[: -len(_END_CALENDAR)]
            split = head.index(b"REFRESH-INTERVAL")
            self._head = (head[:split], head[split:])
        opening, refresh = self._head
        named = (
            self.line("description", description)
            + _unique("X-WR-CALDESC", description)
            + _unique("NAME", name)  # escaped: a comma in a name is not a list (RFC 7986)
            + _unique("X-WR-CALNAME", name)
        )
        zone = _unique("X-WR-TIMEZONE", zones[0][0]) if len(zones) == 1 else b""
        timezones = b"".join(self._zone(*zone) for zone in zones)
        return opening + named + refresh + zone + timezones + b"".join(events) + _END_CALENDAR

    def _zone(self, zone: str, first: dt.date, last: dt.date) -> bytes:
        """A VTIMEZONE covering the plans' years; slow to make, so made once per zone and span."""
        key = (zone, first.year, last.year)
        made = self._zones.get(key)
        if made is None:
            made = self._zones[key] = timezones.vtimezone(zone, first.year, last.year)
        return made


def _for_staff(entry: Entry) -> bool:
    """Whether a record of the log is an event in the staff's feeds: every check-in result and
    decision but pauses and resumes (a pause is an event of its own), and pain reports that
    changed the plan."""
    if isinstance(entry.record, PainRecord):
        return entry.effect != "none"
    return entry.effect not in ("pause", "resume")


def _footer(program: LinkedProgram) -> str:
    """The end of every card: the protocol's version (a new version changes every event's stamp)."""
    return wording.version_text(program.spec.title, program.spec.version)


def _properties(component: icalendar.Event) -> bytes:
    """A component's property lines, without its BEGIN and END lines."""
    return bytes(component.to_ical())[len(_BEGIN_EVENT) : -len(_END_EVENT)]


def _staff_link(name: str, page: str | None, anchor: str, more: str = "") -> bytes:
    """A team event's DESCRIPTION: the link to the athlete's page in the text (Google and Outlook show
    no URL), then `more`."""
    text = wording.staff_page_text(name, f"{page}#{anchor}" if page else None)
    return _unique("DESCRIPTION", f"{text}\n{more}" if more else text)


def _link(page: str | None, anchor: str) -> bytes:
    """The event's URL: the athlete's page at the session (only with a base_url)."""
    return _unique("URL", f"{page}#{anchor}", uri=True) if page else b""


def _unique(name: str, value: str, *, uri: bool = False) -> bytes:
    """A text or URI line used once (a UID, a link): its value escaped by icalendar, then folded."""
    if _PLAIN.fullmatch(value):  # nothing to escape (a UID, most links): no round trip through icalendar
        return _folded(f"{name}:{value}")
    encoded = (icalendar.vUri(value) if uri else icalendar.vText(value)).to_ical().decode()
    return _folded(f"{name}:{encoded}")  # as Contentline.from_parts makes it, without parameters


def _folded(line: str) -> bytes:
    """A content line folded exactly as icalendar folds it, with its CRLF: a line break before the
    75th octet (RFC 5545 3.1), and a backslash or caret that would end a line moved to the next, so
    that no escape is split. icalendar counts octets character by character; an ASCII line (every
    UID and link, most names) is folded here by slicing, many times faster."""
    if not line.isascii():
        return bytes(Contentline(line).to_ical()) + b"\r\n"  # type: ignore[no-untyped-call]
    width = _FOLD_AT - 1
    parts: list[str] = []
    start = 0
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts).encode() + b"\r\n"
