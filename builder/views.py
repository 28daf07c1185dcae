"""View models: what pages, feeds and the terminal show, worded and formatted, nothing left to decide.

Templates lay these out as HTML; the `card()` methods lay the same views out as short plain
text for calendar events, and `AthleteView.text()` lays the plan out for `sprintback plan`.
Paths are site-relative (the `url` filter makes them relative to the page). Views of shared
doses are made once and reused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from builder import wording
from builder.charts import LoadChart, plan_chart
from builder.linked import GradedPhase, GradedProgram, LinkedCriterion, LinkedPhase, LinkedProgram, LinkedSession
from builder.links import BUSY_FEED_NAME, FEED_NAME, Links
from builder.models import (
    CheckInRecord,
    ContentChange,
    DrillPage,
    GradeVariant,
    Monitoring,
    PainRecord,
    PainRule,
    Program,
)
from builder.plan import CheckIn, DosedWeek, Entry, EventId, PhaseDates, Plan, SessionDose, Week

SHORT_NOTE = 100
"""The most characters of a block's note that the terminal prints beside the block's name."""


@dataclass(frozen=True, slots=True)
class ItemView:
    """A drill of a session as the athlete reads it."""

    name: str
    path: str
    dose: str
    note: str | None
    cues: tuple[str, ...]
    caution: str | None
    """The drill's caution for the program's injury, if it has one."""


@dataclass(frozen=True, slots=True)
class BlockView:
    name: str
    note: str | None
    items: tuple[ItemView, ...]
    routine: bool = False
    """A shared block most of the program's sessions do (the warm-up, the cool-down): not the session's own work."""
    shared: bool = False
    """A block of the program's `blocks`, the same in every session that does it."""

    def heading(self) -> str:
        """The block's name as a heading over its drills in the terminal, with its note when that is short."""
        note = plain_text(self.note) if self.note else ""
        return f"{plain_text(self.name)}:" + (f" {note}" if note and len(note) <= SHORT_NOTE else "")


@dataclass(frozen=True, slots=True)
class RuleView:
    id: str
    when: str
    action: str
    advice: str


@dataclass(frozen=True, slots=True)
class MonitoringView:
    pain_limit: str
    rules: tuple[RuleView, ...]
    log: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SessionView:
    """One dosed session: the one structured view both the HTML and the plain text lay out."""

    title: str
    kind: str
    facts: str
    """Minutes, RPE and load."""
    deload: str | None
    pain_limit: str
    notes: str | None
    """Markdown."""
    blocks: tuple[BlockView, ...]
    rules: tuple[RuleView, ...]
    log: tuple[str, ...]
    path: str
    """The session's public page."""
    phase: str
    step: int

    card_facts: str
    """Minutes and RPE in a sentence, for the calendar event."""
    card_pain: str
    """The pain allowed, in a line, for the calendar event."""

    def card(self) -> str:
        """The session as a calendar event's plain text: the notice, the main set with its doses, the pain limit.

        The feed puts the link to the athlete's page first; the warm-up, cues and stop rules stay there.
        """
        main = [block for block in self.blocks if not block.routine] or list(self.blocks)
        lines = [wording.CARD_NOTICE, self.card_facts]
        for block in main:
            # The block's name heads its drills: "Aerobic work (choose one)" is one session, not three.
            lines += ["", f"{plain_text(block.name)}:"]
            if block.note:
                lines.append(plain_text(block.note))
            for item in block.items:
                note = plain_text(item.note) if item.note else None
                if item.dose:
                    line = f"- {item.name}: {item.dose}" + (f". {note}" if note else "")
                else:
                    line = f"- {item.name}" + (f": {note}" if note else "")
                if item.caution:  # the caution for this injury is safety, not technique: it goes with the drill
                    line = line.rstrip(".") + f". {wording.card_caution_text(plain_text(item.caution))}"
                lines.append(line)
        lines += ["", self.card_pain, wording.CARD_MORE]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class CriterionView:
    id: str
    name: str
    how: str
    passes: str


@dataclass(frozen=True, slots=True)
class CheckInView:
    """The end of a phase: the criteria to test and what comes next."""

    title: str
    lead: str
    criteria: tuple[CriterionView, ...]
    no_criteria: str | None
    milestones: str | None
    next: str | None
    next_goal: str | None
    """Markdown."""

    def card(self) -> str:
        """The check-in as a calendar event's plain text: the notice, each criterion with what passes.

        The feed puts the link to the athlete's page first; how to run each test is there.
        """
        lines = [wording.CARD_NOTICE, "", plain_text(self.lead)]
        lines += [f"- {wording.card_criterion_text(plain_text(c.name), plain_text(c.passes))}" for c in self.criteria]
        if self.no_criteria:
            lines.append(f"- {self.no_criteria}")
        if self.criteria:
            lines += ["", wording.CARD_CHECK_IN_MORE]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ScheduledView:
    """A session or check-in on its date in the athlete's plan."""

    date: str
    """ISO date, for `<time datetime>`."""
    day: str
    anchor: str
    title: str
    session: SessionView | None
    check_in: CheckInView | None
    moved: str | None = None
    """Where a check-in was before the log moved it: `was Sun 20 Dec`."""


@dataclass(frozen=True, slots=True)
class RecordView:
    """A record of the athlete's log: when, what was recorded, and what it did to the plan."""

    date: str
    """ISO date, for `<time datetime>`."""
    day: str
    what: str
    effect: str
    where: str | None
    """The anchor of the week or pause it falls in, if any."""
    line: str
    """The record as one line of text."""


@dataclass(frozen=True, slots=True)
class PauseView:
    """Days without training, between two weeks of the plan or at its end."""

    anchor: str
    title: str
    text: str
    records: tuple[RecordView, ...]
    """Records dated in the pause (its resume among them)."""


@dataclass(frozen=True, slots=True)
class WeekView:
    number: int
    anchor: str
    title: str
    dates: str
    start: str
    """ISO date of the week's first day, for the page's script that finds the current week."""
    end: str
    place: str
    deload: bool
    days: tuple[ScheduledView, ...]
    past: bool = False
    """The week lies before the last record of the log: history, not a projection."""
    again: str | None = None
    """`done again` for a repeated week."""
    cut: str | None = None
    """Said of a week a record ended early."""
    records: tuple[RecordView, ...] = ()
    pause: PauseView | None = None
    """The pause that follows the week."""
    home: HomeWeek | None = None
    """What the week asks to be done at home, if anything."""


@dataclass(frozen=True, slots=True)
class HomeView:
    """An exercise of the week done at home."""

    name: str
    path: str
    dose: str
    note: str | None


@dataclass(frozen=True, slots=True)
class HomeWeek:
    """A week's home exercises: on the athlete's page, and as the week's all-day event."""

    anchor: str
    lead: str
    items: tuple[HomeView, ...]

    def card(self, footer: str) -> str:
        """The week's home exercises as a calendar event's plain text."""
        lines = [wording.CARD_NOTICE, "", self.lead]
        for item in self.items:
            note = f". {plain_text(item.note)}" if item.note else ""
            lines.append(f"- {item.name}: {item.dose}{note}")
        lines += ["", wording.CARD_HOME_MORE, footer]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class SessionNote:
    """What a session of a phase is for: said once per phase on the athlete's page, not every week."""

    title: str
    kind: str
    notes: str
    """Markdown."""


@dataclass(frozen=True, slots=True)
class PhaseSection:
    """A phase of an athlete's plan with its weeks, as the page groups them."""

    number: int
    id: str
    anchor: str
    title: str
    goal: str
    milestones: str | None
    weeks: tuple[WeekView, ...]
    routine: tuple[BlockView, ...] = ()
    """The blocks every session of the phase shares (the warm-up, the cool-down): shown once for the phase."""
    notes: tuple[SessionNote, ...] = ()
    """Each session's notes, once for the phase."""
    routine_again: str | None = None
    """The routine blocks shown in full in an earlier phase, named."""
    routine_names: frozenset[str] = frozenset()
    """The names of the `routine` blocks, which the phase's sessions leave out."""
    cautions: tuple[ItemView, ...] = ()
    """The phase's drills that carry a caution for the injury, once each."""
    cautions_lead: str = wording.CAUTIONS_LEAD
    routine_lead: str = wording.ROUTINE_LEAD
    notes_lead: str = wording.SESSION_NOTES_LEAD


@dataclass(frozen=True, slots=True)
class PhaseRow:
    """A line of the athlete's phase table."""

    id: str
    anchor: str
    title: str
    weeks: int
    start: str
    end: str
    exit: str
    start_moved: str | None = None
    end_moved: str | None = None
    start_iso: str = ""
    """ISO dates of the start and end, for the page's script."""
    end_iso: str = ""


@dataclass(frozen=True, slots=True)
class DueView:
    """The next check-in: the staff page marks it overdue once its day has passed."""

    title: str
    date: str
    """ISO date, for `data-due` and `<time datetime>`."""
    day: str
    moved: str | None
    anchor: str
    sentence: str


@dataclass(frozen=True, slots=True)
class StandingView:
    """Where the athlete stands as of the last record of the log (or the plan's start without one)."""

    as_of: str
    place: str
    """Phase and week, or that the plan is complete."""
    week: str | None
    week_anchor: str | None
    paused: PauseView | None
    """The pause in force, if any."""
    next_check_in: DueView | None
    no_check_in: str | None
    """Why there is no next check-in."""
    hold: str | None
    """The hold in force, if any."""
    last_pain: str | None
    in_force: tuple[str, ...]
    """Pauses and holds in force, in a line each (for staff)."""

    def lines(self) -> list[str]:
        """The standing as lines of text."""
        lines = [self.as_of]
        if self.paused is not None:
            lines += [self.paused.title, self.paused.text]
        lines.append(self.place)
        if self.week is not None:
            lines.append(self.week)
        if self.next_check_in is not None:
            lines.append(self.next_check_in.sentence)
        if self.no_check_in is not None:
            lines.append(self.no_check_in)
        if self.hold is not None:
            lines.append(self.hold)
        return lines


@dataclass(frozen=True, slots=True)
class CalendarApp:
    """How to subscribe in one calendar app: adding the feed; its refresh and notifications."""

    name: str
    add: str
    refresh: str


@dataclass(frozen=True, slots=True)
class SubscribingWords:
    """The words of the athlete page's calendar section (builder/wording.py, "subscribing")."""

    subscribe_button: str = wording.SUBSCRIBE_BUTTON
    google_button: str = wording.GOOGLE_BUTTON
    address_label: str = wording.FEED_ADDRESS_LABEL
    copy_button: str = wording.COPY_BUTTON
    copied: str = wording.COPIED
    copy_failed: str = wording.COPY_FAILED
    download_button: str = wording.DOWNLOAD_BUTTON
    snapshot: str = wording.SNAPSHOT
    no_subscribe: str = wording.NO_SUBSCRIBE
    busy: str = wording.BUSY_FEED
    busy_link: str = wording.BUSY_FEED_LINK


@dataclass(frozen=True, slots=True)
class AthleteView:
    name: str
    injury: str
    program_title: str
    program_path: str
    version: str
    version_line: str
    start: str
    end: str
    grade: str
    grade_note: str | None
    muscle_note: str | None
    path: str
    feed_path: str
    busy_feed_path: str
    busy_subscribe: str | None
    """The busy-only feed's `webcal://` address (needs base_url)."""
    staff_feed_path: str
    """The athlete's feed for staff (sessions and check-ins titled with the name), on the staff page."""
    subscribe: str | None
    """The `webcal://` address of the feed (needs the site's base_url)."""
    timing: str
    monitoring: MonitoringView
    phases: tuple[PhaseRow, ...]
    sections: tuple[PhaseSection, ...]
    standing: StandingView
    """Where the athlete stands; the athlete's page shows it once the log has a record."""
    load_chart: LoadChart
    """The plan's weekly load and high-speed metres, as a chart and a table."""
    history: tuple[RecordView, ...] = ()
    """The log, record by record in date order; empty without a log."""
    end_moved: str | None = None
    injury_days: tuple[str, ...] = ()
    """Days after injury of the start and the return to play, and the typical return (with an injury date)."""
    feed_address: str | None = None
    """The `https://` address of the feed, to paste into apps that ask for one (needs the site's base_url)."""
    google_add: str | None = None
    """Google Calendar's "add by URL" link for the feed (needs the site's base_url)."""
    calendar_apps: tuple[CalendarApp, ...] = ()
    """How to subscribe in each calendar app (with the site's base_url)."""
    subscribing: SubscribingWords = SubscribingWords()

    def text(self, *, brief: bool = False) -> str:
        """The plan as text for the terminal."""
        end = f"{self.end} ({self.end_moved})" if self.end_moved else self.end
        lines = [
            f"{self.name}: {self.program_title} (version {self.version})",
            f"{self.injury}; earliest dates {self.start} to {end}.",
            *self.injury_days,
            wording.NOTICE,
            self.monitoring.pain_limit,
            "",
        ]
        if self.history:
            lines += [wording.STANDING_TITLE.upper(), *self.standing.lines(), ""]
            lines += [wording.HISTORY_TITLE.upper(), *(f"- {record.line}" for record in self.history), ""]
        for week in (week for section in self.sections for week in section.weeks):
            marks = "".join(f" · {mark}" for mark in (week.again, wording.PAST_WEEK if week.past else None) if mark)
            deload = " · deload" if week.deload else ""
            lines.append(f"{week.title} · {week.dates} · {week.place}{deload}{marks}")
            if week.cut:
                lines.append(f"  {week.cut}")
            for day in week.days:
                lines.append(f"  {day.day}  {day.title}" + (f" ({day.moved})" if day.moved else ""))
                if day.session is not None and not brief:
                    lines.append(f"      {day.session.kind} · {day.session.facts}")
                    for block in day.session.blocks:
                        # The block's name heads its drills: "Aerobic work (choose one)" is one choice, not three.
                        lines.append(f"      {block.heading()}")
                        lines += [
                            f"        {item.name}" + (f": {item.dose}" if item.dose else "") for item in block.items
                        ]
                if day.check_in is not None and not brief:
                    names = "; ".join(c.name for c in day.check_in.criteria) or day.check_in.no_criteria
                    lines.append(f"      {names}")
            if week.home is not None and not brief:
                lines.append(f"  {week.home.lead}")
                lines += [f"      {item.name}: {item.dose}" for item in week.home.items]
            lines += [f"  * {record.line}" for record in week.records]
            lines.append("")
            if week.pause is not None:
                lines += [week.pause.title, f"  {week.pause.text}", *(f"  * {r.line}" for r in week.pause.records), ""]
        return "\n".join(lines).rstrip() + "\n"


class Views:
    """Makes view models, keeping the views of shared doses and check-ins it has made."""

    def __init__(self, links: Links, base_url: str | None, refresh_hours: int = 12) -> None:
        self.links = links
        self.base_url = base_url
        """The site's absolute address, for `webcal://` links; None without one."""
        self.refresh_hours = refresh_hours
        """How often the feeds ask calendar apps to refresh (`site.refresh_hours`), for the instructions."""
        self._sessions: dict[SessionDose, SessionView] = {}
        self._routines: dict[LinkedProgram, frozenset[int]] = {}
        self._check_ins: dict[tuple[LinkedPhase, LinkedPhase | None], CheckInView] = {}

    def session(self, dose: SessionDose, program: LinkedProgram) -> SessionView:
        """The view of a dosed session, made once per dose."""
        made = self._sessions.get(dose)
        if made is None:
            routine = self._routines.get(program)
            if routine is None:
                routine = self._routines[program] = routine_blocks(program)
            made = self._sessions[dose] = self._session(dose, program.spec, routine)
        return made

    def _session(self, dose: SessionDose, program: Program, routine: frozenset[int]) -> SessionView:
        spec = dose.session.spec
        blocks = tuple(
            BlockView(
                block.block.spec.name,
                block.block.spec.note,
                tuple(
                    ItemView(
                        item.drill.name,
                        self.links.drill_dir(item.drill.id),
                        wording.dose_text(item.dose),
                        item.dose.note,
                        item.drill.cues,
                        item.drill.cautions.get(program.injury),
                    )
                    for item in block.items
                ),
                id(block.block) in routine,
                block.block.shared,
            )
            for block in dose.blocks
        )
        return SessionView(
            title=spec.title,
            kind=spec.kind,
            facts=wording.session_facts(dose.minutes, spec.rpe, dose.load),
            deload=wording.DELOAD if dose.key.deload else None,
            pain_limit=wording.pain_limit_text(dose.session.monitoring),
            notes=spec.notes,
            blocks=blocks,
            rules=tuple(rule_view(rule.id, rule.spec) for rule in dose.rules),
            log=dose.session.monitoring.log,
            path=self.links.session_dir(program.id, dose.key),
            phase=dose.phase.title,
            step=dose.key.step,
            card_facts=wording.card_facts_text(dose.minutes, spec.rpe, dose.key.deload),
            card_pain=wording.card_pain_text(dose.session.monitoring),
        )

    def check_in(self, check_in: CheckIn) -> CheckInView:
        """The view of a check-in, made once per phase and next phase."""
        key = (check_in.phase.linked, check_in.next_phase.linked if check_in.next_phase else None)
        made = self._check_ins.get(key)
        if made is None:
            made = self._check_ins[key] = self._check_in(check_in.phase, check_in.next_phase)
        return made

    @staticmethod
    def _check_in(phase: GradedPhase, following: GradedPhase | None) -> CheckInView:
        milestones = phase.linked.spec.milestones
        return CheckInView(
            title=wording.check_in_title(phase.title),
            lead=wording.check_in_lead(phase.title),
            criteria=tuple(criterion_view(c) for c in phase.linked.exit),
            no_criteria=None if phase.linked.exit else wording.NO_CRITERIA,
            milestones=wording.milestones_text(milestones) if milestones else None,
            next=wording.check_in_next(phase.title, following.title) if following else None,
            next_goal=following.linked.spec.goal if following else None,
        )

    def athlete(self, plan: Plan) -> AthleteView:
        """An athlete's whole plan, grouped by phase, for the page and the terminal, with its log applied."""
        athlete = plan.athlete
        program = plan.graded.program
        path = self.links.athlete_dir(plan.athlete_id, athlete)
        log = _LogView(plan)
        sections = []
        times: Counter[str] = Counter()
        # Session notes and drill cautions are said where they first come, once per page.
        noted: dict[str, SessionNote] = {}
        cautioned: dict[str, ItemView] = {}
        shown: dict[str, BlockView] = {}
        for phase, weeks in itertools.groupby(plan.weeks, key=lambda week: week.phase):
            times[phase.id] += 1
            views = tuple(self._week(week, program, log) for week in weeks)
            sessions = [day.session for week in views for day in week.days if day.session is not None]
            routine = phase_routine(sessions)
            shown_before = set(shown)
            sections.append(
                PhaseSection(
                    number=phase.number,
                    id=phase.id,
                    anchor=phase_anchor(phase.id, times[phase.id]),
                    title=phase.title,
                    goal=phase.linked.spec.goal,
                    milestones=wording.milestones_text(phase.linked.spec.milestones)
                    if phase.linked.spec.milestones
                    else None,
                    weeks=views,
                    # Each routine block in full where it first comes on the page; by name after that.
                    routine=tuple(shown.setdefault(n, block) for n, block in routine.items() if n not in shown),
                    routine_again=wording.routine_again_text([n for n in routine if n in shown_before]),
                    routine_names=frozenset(routine),
                    notes=tuple(
                        noted.setdefault(s.title, SessionNote(s.title, s.kind, s.notes))
                        for s in sessions
                        if s.notes and s.title not in noted
                    ),
                    cautions=tuple(
                        cautioned.setdefault(item.name, item)
                        for s in sessions
                        for block in s.blocks
                        if block.name not in routine
                        for item in block.items
                        if item.caution and item.name not in cautioned
                    ),
                )
            )
        rows = []
        times.clear()
        for dates in plan.phases:
            times[dates.phase.id] += 1
            # A phase done twice (a step back) is compared with the first plan only the first time.
            was = log.first_phases.get(dates.phase.id) if times[dates.phase.id] == 1 else None
            rows.append(
                PhaseRow(
                    dates.phase.id,
                    phase_anchor(dates.phase.id, times[dates.phase.id]),
                    dates.phase.title,
                    dates.weeks,
                    wording.day_text(dates.start),
                    wording.day_text(dates.end),
                    "; ".join(c.spec.name for c in dates.phase.linked.exit) or "clinician review",
                    start_moved=_moved(was.start, dates.start) if was is not None else None,
                    end_moved=_moved(was.end, dates.end) if was is not None else None,
                    start_iso=dates.start.isoformat(),
                    end_iso=dates.end.isoformat(),
                )
            )
        spec = program.spec
        first = plan.first_planned
        return AthleteView(
            name=athlete.name,
            injury=wording.injury_text(athlete.injury.side, spec.injury, athlete.injury.grade, athlete.injury.muscle),
            program_title=spec.title,
            program_path=self.links.program_dir(spec.id),
            version=spec.version,
            version_line=wording.version_text(spec.title, spec.version),
            start=wording.day_text(plan.start),
            end=wording.day_text(plan.end) if plan.paused is None else wording.PAUSED_END,
            grade=plan.graded.grade,
            grade_note=plan.graded.variant.note,
            muscle_note=muscle.note if (muscle := plan.graded.muscle_variant) is not None else None,
            path=path,
            feed_path=path + FEED_NAME,
            busy_feed_path=path + BUSY_FEED_NAME,
            busy_subscribe=webcal(self.base_url + path + BUSY_FEED_NAME) if self.base_url else None,
            staff_feed_path=self.links.staff_feed(plan.athlete_id),
            subscribe=webcal(self.base_url + path + FEED_NAME) if self.base_url else None,
            feed_address=self.base_url + path + FEED_NAME if self.base_url else None,
            google_add=google_add(webcal(self.base_url + path + FEED_NAME)) if self.base_url else None,
            calendar_apps=(
                tuple(CalendarApp(*app) for app in wording.calendar_apps_text(self.refresh_hours))
                if self.base_url
                else ()
            ),
            timing=wording.timing_text(athlete.session_time, athlete.timezone),
            monitoring=monitoring_view(spec.monitoring),
            phases=tuple(rows),
            sections=tuple(sections),
            standing=log.standing(),
            load_chart=plan_chart(plan),
            history=log.history,
            end_moved=_moved(first.end, plan.end) if first is not None else None,
            injury_days=injury_days(plan),
        )

    def _week(self, week: Week, program: LinkedProgram, log: _LogView) -> WeekView:
        days = [
            ScheduledView(
                session.date.isoformat(),
                wording.short_day_text(session.date),
                f"w{week.number}-s{session.slot}",
                session.dose.session.spec.title,
                self.session(session.dose, program),
                None,
            )
            for session in week.sessions
        ]
        if week.check_in is not None:
            view = self.check_in(week.check_in)
            days.append(
                ScheduledView(
                    week.check_in.date.isoformat(),
                    wording.short_day_text(week.check_in.date),
                    check_in_anchor(week.check_in.event),
                    view.title,
                    None,
                    view,
                    moved=log.moved(week.check_in),
                )
            )
        past = log.last_record is not None and week.end <= log.last_record
        return WeekView(
            number=week.number,
            anchor=f"w{week.number}",
            title=wording.week_title(week.number),
            dates=wording.past_week_dates(week.start, week.end) if past else wording.week_dates(week.start, week.end),
            start=week.start.isoformat(),
            end=week.end.isoformat(),
            place=wording.week_place(week.phase.title, week.dosed.week_in_phase, week.phase.weeks, week.load),
            deload=week.dosed.deload,
            days=tuple(days),
            past=past,
            again=wording.repeat_text(week.repeat),
            cut=wording.week_cut_text(week.end) if week.days < 7 else None,
            records=tuple(log.records[entry.index] for entry in sorted(week.entries, key=_in_date_order)),
            pause=log.pause_after.get(week.number),
            home=self.home(week),
        )

    def home(self, week: Week) -> HomeWeek | None:
        """A week's home exercises, if its phase has any."""
        home = week.phase.linked.home
        if not home:
            return None
        items = tuple(
            HomeView(
                item.drill.name, self.links.drill_dir(item.drill.id), wording.home_dose_text(item.spec), item.spec.note
            )
            for item in home
        )
        return HomeWeek(f"w{week.number}-home", wording.HOME_LEAD, items)


_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\3(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")


def plain_text(markdown: str) -> str:
    """Markdown as plain text on one line: emphasis, code and link marks taken off, lines joined.

    Calendar apps show text as written: `**Soleus**` would reach the athlete with its stars,
    and YAML's line breaks would break sentences in the middle.
    """
    words = []
    for line in markdown.splitlines():
        line = _MARKS.sub("", line).strip()
        if line:
            words.append(line)
    text = " ".join(words)
    text = _LINK.sub(lambda match: f"{match[1]} ({match[2]})" if match[2] and match[2] != match[1] else match[1], text)
    text = _CODE.sub(r"\1", text)
    previous = None
    while previous != text:  # emphasis inside emphasis
        previous = text
        text = _EMPHASIS.sub(lambda match: match[2] if match[2] is not None else match[4], text)
    return text


def phase_routine(sessions: list[SessionView]) -> dict[str, BlockView]:
    """The blocks said once for a phase, by name: the program's routine blocks, and the shared blocks
    that open or close half its sessions (a cool-down of its own, say), never a session's main work."""
    ends = Counter(name for s in sessions for name in {b.name for b in s.blocks[:1] + s.blocks[-1:] if b.shared})
    return {
        block.name: block
        for s in sessions
        for block in s.blocks
        if block.routine or (block.shared and ends[block.name] * 2 >= len(sessions))
    }


def routine_blocks(program: LinkedProgram) -> frozenset[int]:
    """The shared blocks (by identity) that more than half the program's sessions do: the warm-up, the cool-down."""
    uses = Counter(id(block) for session in program.sessions for block in session.blocks if block.shared)
    return frozenset(block for block, count in uses.items() if count * 2 > len(program.sessions))


def phase_anchor(phase_id: str, time: int) -> str:
    """The anchor of a phase's section: `phase-<id>`, and `phase-<id>-2` the second time through (a step back)."""
    return f"phase-{phase_id}" if time == 1 else f"phase-{phase_id}-{time}"


def record_view(plan: Plan, entry: Entry, where: str | None = None) -> RecordView:
    """A record of the log as pages and the terminal show it: what was recorded, what it did."""
    record = entry.record
    phase = None
    names: dict[str, str] = {}
    if isinstance(record, CheckInRecord):
        phase = next((p for p in plan.graded.phases if p.id == record.check_in), None)
        names = {c.id: c.spec.name for c in phase.linked.exit} if phase is not None else {}
    elif isinstance(record, PainRecord):
        program = plan.graded.program
        names = {s.id: s.spec.title for s in program.sessions if s.id == record.session}
        names.update(
            (item.drill.id, item.drill.name)
            for s in program.sessions
            for block in s.blocks
            for item in block.items
            if item.drill.id == record.drill
        )
    what = wording.record_text(record, phase.title if phase is not None else None, names)
    effect = wording.effect_text(
        entry.effect,
        entry.phase.title if entry.phase is not None else None,
        entry.rule.spec.when if entry.rule is not None else None,
        entry.days,
    )
    return RecordView(
        record.date.isoformat(),
        wording.day_text(record.date),
        what,
        effect,
        where,
        wording.record_line_text(record.date, what, effect),
    )


def check_in_anchor(event: EventId) -> str:
    """The anchor of a check-in on the athlete's page: `check-in-<phase>`, `check-in-<phase>-again-1` for a retest."""
    return f"check-in-{event.phase}" if event.repeat == 0 else f"check-in-{event.phase}-again-{event.repeat}"


def _moved(was: dt.date, now: dt.date) -> str | None:
    return wording.moved_text(was) if was != now else None


def _in_date_order(entry: Entry) -> tuple[dt.date, int]:
    return entry.record.date, entry.index


class _LogView:
    """An athlete's log as the pages and the terminal show it: records, pauses, moved dates, the standing."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        entries = sorted(plan.entries, key=_in_date_order)
        self.entries = entries
        self.last_record = entries[-1].record.date if entries else None
        first = plan.first_planned
        self.first_check_ins: dict[EventId, dt.date] = (
            {check_in.event: check_in.date for check_in in first.check_ins()} if first is not None else {}
        )
        self.first_phases: dict[str, PhaseDates] = {}
        for dates in first.phases if first is not None else ():
            self.first_phases.setdefault(dates.phase.id, dates)
        where = {entry.index: f"w{week.number}" for week in plan.weeks for entry in week.entries}
        self.pauses: list[PauseView] = []
        self.pause_after: dict[int, PauseView] = {}
        paused_in: dict[int, str] = {}
        for number, pause in enumerate(plan.pauses, start=1):
            anchor = f"pause-{number}"
            inside = [
                entry
                for entry in entries
                if entry.index not in where
                and entry.index > pause.entry.index
                and (pause.end is None or entry.record.date <= pause.end)
            ]
            paused_in.update((entry.index, anchor) for entry in inside)
            view = PauseView(
                anchor,
                wording.PAUSED_TITLE,
                wording.paused_text(pause.start, pause.end),
                tuple(record_view(self.plan, entry, anchor) for entry in inside),
            )
            self.pauses.append(view)
            week = next((w for w in plan.weeks if any(e.index == pause.entry.index for e in w.entries)), None)
            if week is not None:
                self.pause_after[week.number] = view
        self.records: dict[int, RecordView] = {
            entry.index: record_view(plan, entry, where.get(entry.index) or paused_in.get(entry.index))
            for entry in entries
        }
        self.history = tuple(self.records[entry.index] for entry in entries)

    def moved(self, check_in: CheckIn) -> str | None:
        """`was Sun 20 Dec` for a check-in the log moved: a retest is compared with the first attempt as planned."""
        was = self.first_check_ins.get(check_in.event)
        if was is None:
            was = self.first_check_ins.get(dataclasses.replace(check_in.event, repeat=0))
        return _moved(was, check_in.date) if was is not None else None

    def standing(self) -> StandingView:
        """Where the plan stands after the last record (at the plan's start without a log)."""
        plan = self.plan
        last = self.last_record
        reckon = last if last is not None else plan.start - dt.timedelta(days=1)
        paused = plan.paused
        current = next((week for week in plan.weeks if week.end > reckon), None) if paused is None else None
        shown = current if current is not None else (plan.weeks[-1] if paused is not None and plan.weeks else None)
        place = (
            wording.standing_place(shown.phase.title, shown.dosed.week_in_phase, shown.phase.weeks, shown.repeat)
            if shown is not None
            else wording.PLAN_COMPLETE
        )
        due = None
        if paused is None:
            done_today = {
                entry.record.check_in
                for entry in self.entries
                if isinstance(entry.record, CheckInRecord) and entry.record.date == last
            }
            check_in = next(
                (c for c in plan.check_ins() if c.date > reckon or (c.date == last and c.phase.id not in done_today)),
                None,
            )
            if check_in is not None:
                moved = self.moved(check_in)
                due = DueView(
                    title=wording.check_in_title(check_in.phase.title),
                    date=check_in.date.isoformat(),
                    day=wording.day_text(check_in.date),
                    moved=moved,
                    anchor=check_in_anchor(check_in.event),
                    sentence=wording.next_check_in_text(check_in.phase.title, check_in.date, moved),
                )
        held_until: dt.date | None = None
        for entry in self.entries:
            if entry.effect == "hold":
                held_until = entry.record.date + dt.timedelta(days=entry.days)
            elif entry.effect == "resume":
                held_until = None  # the schedule starts afresh from the interrupted week
        hold = wording.hold_text(held_until) if held_until is not None and held_until > reckon and not paused else None
        pain = next((entry for entry in reversed(self.entries) if isinstance(entry.record, PainRecord)), None)
        in_force = []
        if paused is not None:
            in_force.append(wording.paused_since_text(paused.start))
        if hold is not None:
            in_force.append(hold)
        return StandingView(
            as_of=wording.as_of_text(last, plan.start),
            place=place,
            week=wording.standing_week(current.number, current.start, current.end) if current is not None else None,
            week_anchor=f"w{current.number}" if current is not None else None,
            paused=self.pauses[-1] if paused is not None else None,
            next_check_in=due,
            no_check_in=None if due is not None else wording.PAUSED_NO_CHECK_IN if paused else wording.NO_CHECK_IN_LEFT,
            hold=hold,
            last_pain=wording.pain_line_text(pain.record.date, self.records[pain.index].what) if pain else None,
            in_force=tuple(in_force),
        )


def injury_days(plan: Plan) -> tuple[str, ...]:
    """Which day after injury the plan starts and the athlete returns to play, and the typical return."""
    injured = plan.athlete.injury.date
    if injured is None:
        return ()
    lines = [wording.start_after_injury_text(plan.start, (plan.start - injured).days)]
    back = return_to_play(plan)
    if back is not None:
        first = plan.first_planned
        was = return_to_play(first) if first is not None else None
        moved = _moved(was, back) if was is not None else None
        lines.append(wording.return_to_play_text(back, (back - injured).days, moved))
    typical = typical_return_days(plan)
    # Said of the injured muscle where its range stands in for the grade's.
    muscle = plan.graded.muscle if plan.graded.variant.typical_return_days is None else None
    if typical is not None:
        low, high = typical
        first_day, last_day = injured + dt.timedelta(days=low), injured + dt.timedelta(days=high)
        lines.append(wording.typical_return_text(low, high, first_day, last_day, muscle))
    return tuple(lines)


def typical_return_days(plan: Plan) -> tuple[int, int] | None:
    """The typical return to play, in days after injury: the grade's range, else the injured muscle's."""
    return plan.graded.variant.typical_return_days or (
        muscle.typical_return_days if (muscle := plan.graded.muscle_variant) is not None else None
    )


def return_to_play(plan: Plan) -> dt.date | None:
    """The projected return to play: the clearance if recorded, else the last check-in of a phase with
    exit criteria; None while paused or without such a check-in."""
    if plan.paused is not None:
        return None
    cleared = next((entry.record.date for entry in plan.entries if entry.effect == "cleared"), None)
    if cleared is not None:
        return cleared
    gated = [check_in.date for check_in in plan.check_ins() if check_in.criteria]
    return gated[-1] if gated else None


def rule_view(rule_id: str, rule: PainRule) -> RuleView:
    return RuleView(rule_id, rule.when, wording.ACTIONS[rule.action], rule.advice)


def monitoring_view(monitoring: Monitoring) -> MonitoringView:
    """The pain limit, the rules and the log, as pages show them."""
    rules = tuple(rule_view(rule_id, rule) for rule_id, rule in monitoring.rules.items())
    return MonitoringView(wording.pain_limit_text(monitoring), rules, monitoring.log)


def criterion_view(criterion: LinkedCriterion) -> CriterionView:
    return CriterionView(criterion.id, criterion.spec.name, criterion.spec.how, criterion.spec.passes)


def google_add(subscribe: str) -> str:
    """Google Calendar's "add by URL" link for a `webcal://` address (a link to follow, nothing the page loads)."""
    return wording.GOOGLE_ADD + urllib.parse.quote(subscribe, safe="")


def webcal(url: str) -> str:
    """The `webcal://` form of an http(s) address: calendar apps subscribe on a tap."""
    return "webcal://" + url.split("://", 1)[1]


@dataclass(frozen=True, slots=True)
class GradeRow:
    """A line of a program page's grade table: the phases' weeks for one grade."""

    grade: str
    note: str | None
    weeks: tuple[str, ...]
    """Weeks of each of the program's phases, or `skipped`."""
    total: int
    changes: str | None = None
    """What the variant does its own way: sessions, added criteria, the pain limit."""
    path: str = ""
    """The grade's week-by-week page."""


def grade_rows(program: LinkedProgram, graded: dict[str, GradedProgram]) -> tuple[GradeRow, ...]:
    """Each grade's phase lengths, as the resolve stage set them, and what it does its own way."""
    rows = []
    for grade, variant in program.spec.grades.items():
        lengths = {phase.id: phase.weeks for phase in graded[grade].phases}
        weeks = tuple(str(lengths[phase.id]) if phase.id in lengths else "skipped" for phase in program.phases)
        path = Links.grade_dir(program.id, grade)
        rows.append(GradeRow(grade, variant.note, weeks, sum(lengths.values()), _changes(program, variant), path))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class MuscleRow:
    """A muscle variant on the program page."""

    muscle: str
    note: str | None
    changes: str | None
    grades: tuple[tuple[str, str], ...] = ()
    """Each grade with the muscle's week-by-week page."""


def muscle_rows(program: LinkedProgram) -> tuple[MuscleRow, ...]:
    return tuple(
        MuscleRow(
            muscle,
            change.note,
            _changes(program, change),
            tuple((grade, Links.grade_dir(program.id, grade, muscle)) for grade in program.spec.grades),
        )
        for muscle, change in program.spec.muscles.items()
    )


def _changes(program: LinkedProgram, change: ContentChange) -> str | None:
    spec = program.spec
    sessions = [spec.sessions[session_id].title for session_id in change.sessions]
    added = [spec.criteria[key].name for keys in change.add_exit.values() for key in keys]
    pain = change.allowed_pain if isinstance(change, GradeVariant) else None
    return wording.variant_changes_text(sessions, added, pain)


@dataclass(frozen=True, slots=True)
class GradeSessionLink:
    """A session of a grade's week, linked to its dosed page."""

    title: str
    path: str
    facts: str


@dataclass(frozen=True, slots=True)
class GradeWeek:
    """A week of a grade's plan, with no dates: its phase, its sessions and the check-in that may close it."""

    number: int
    title: str
    place: str
    """Phase, week of the phase and planned load."""
    deload: bool
    sessions: tuple[GradeSessionLink, ...]
    check_in: str | None
    """The check-in at the end of the week with its criteria, if the week closes a gated phase."""


@dataclass(frozen=True, slots=True)
class GradePage:
    """A grade's (or a grade and muscle's) plan week by week, as the dose stage made it: every week's sessions."""

    title: str
    lead: str
    note: str | None
    weeks: tuple[GradeWeek, ...]


def grade_page(graded: GradedProgram, weeks: Sequence[DosedWeek], links: Links) -> GradePage:
    program = graded.program.spec
    muscle = graded.muscle_variant
    rows = []
    for number, week in enumerate(weeks, start=1):
        rows.append(
            GradeWeek(
                number,
                wording.week_title(number),
                wording.week_place(
                    week.phase.title, week.week_in_phase, week.phase.weeks, sum(dose.load for dose in week.sessions)
                ),
                week.deload,
                tuple(
                    GradeSessionLink(
                        dose.session.spec.title,
                        links.session_dir(program.id, dose.key),
                        wording.session_facts(dose.minutes, dose.session.spec.rpe, dose.load),
                    )
                    for dose in week.sessions
                ),
                wording.grade_check_in_text([c.spec.name for c in week.phase.linked.exit])
                if week.closes_phase and week.phase.linked.exit
                else None,
            )
        )
    return GradePage(
        title=wording.grade_page_title(program.title, graded.grade, graded.muscle),
        lead=wording.GRADE_PAGE_LEAD,
        note=" ".join(n for n in (graded.variant.note, muscle.note if muscle else None) if n) or None,
        weeks=tuple(rows),
    )


@dataclass(frozen=True, slots=True)
class TemplateItem:
    name: str
    path: str
    dose: str


@dataclass(frozen=True, slots=True)
class TemplateBlock:
    name: str
    items: tuple[TemplateItem, ...]


@dataclass(frozen=True, slots=True)
class TemplateSession:
    """A session template on the program page, with its doses as written."""

    id: str
    title: str
    kind: str
    facts: str
    notes: str | None
    blocks: tuple[TemplateBlock, ...]


@dataclass(frozen=True, slots=True)
class PhaseSummary:
    number: int
    id: str
    title: str
    weeks: str
    goal: str
    pattern: tuple[tuple[str, str], ...]
    """(title, kind) of each session of the week."""
    adds: str | None
    deloads: str | None
    exit: tuple[CriterionView, ...]
    milestones: str | None


def template_session(session: LinkedSession, links: Links) -> TemplateSession:
    spec = session.spec
    return TemplateSession(
        id=session.id,
        title=spec.title,
        kind=spec.kind,
        facts=wording.session_facts(spec.minutes, spec.rpe),
        notes=spec.notes,
        blocks=tuple(
            TemplateBlock(
                block.spec.name,
                tuple(
                    TemplateItem(item.drill.name, links.drill_dir(item.drill.id), wording.dose_text(item.dose))
                    for item in block.items
                ),
            )
            for block in session.blocks
        ),
    )


def phase_summary(number: int, phase: LinkedPhase) -> PhaseSummary:
    spec = phase.spec
    return PhaseSummary(
        number=number,
        id=spec.id,
        title=spec.title,
        weeks=f"{spec.weeks} week{'s' * (spec.weeks != 1)} at the reference grade",
        goal=spec.goal,
        pattern=tuple((session.spec.title, session.spec.kind) for session in phase.pattern),
        adds=wording.progression_text(spec.progression),
        deloads=f"{', '.join(map(str, spec.deload_weeks))} of the phase" if spec.deload_weeks else None,
        exit=tuple(criterion_view(c) for c in phase.exit),
        milestones="; ".join(spec.milestones) if spec.milestones else None,
    )


def drill_steps(drill: DrillPage, drills: dict[str, DrillPage], links: Links) -> tuple[tuple[str, str, str], ...]:
    """The easier and harder drills as (label, name, path)."""
    steps = []
    for label, target in (("Easier", drill.regression), ("Harder", drill.progression)):
        if target is not None:
            steps.append((label, drills[target].name, links.drill_dir(target)))
    return tuple(steps)
