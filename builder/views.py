"""View models: what pages, feeds and the terminal show, worded and formatted, nothing left to decide.

Templates lay these out as HTML; the `text()` methods lay the same views out as plain
text for calendar events and `sprintback plan`. Paths are site-relative (the `url`
filter makes them relative to the page). Views of shared doses are made once and reused.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from builder import wording
from builder.linked import GradedPhase, GradedProgram, LinkedCriterion, LinkedPhase, LinkedProgram, LinkedSession
from builder.links import FEED_NAME, Links
from builder.models import DrillPage, Monitoring, PainRule, Program
from builder.plan import CheckIn, Plan, SessionDose, Week


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


@dataclass(frozen=True, slots=True)
class RuleView:
    id: str
    when: str
    action: str
    advice: str

    def text(self) -> str:
        return f"{self.when} ({self.action}): {self.advice}"


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

    def text(self) -> str:
        """The session as plain text: blocks, drills with dose, cues and cautions, stop rules, the log."""
        lines = [f"{self.title} ({self.kind} · {self.facts})" + (f" - {self.deload}" if self.deload else "")]
        lines.append(self.pain_limit)
        if self.notes:
            lines += ["", self.notes]
        for block in self.blocks:
            lines += ["", block.name.upper()]
            if block.note:
                lines.append(block.note)
            for item in block.items:
                lines.append(f"- {item.name}" + (f": {item.dose}" if item.dose else ""))
                if item.note:
                    lines.append(f"  {item.note}")
                lines += [f"  cue: {cue}" for cue in item.cues]
                if item.caution:
                    lines.append(f"  caution: {item.caution}")
        if self.rules:
            lines += ["", "STOP RULES"]
            lines += [f"- {rule.text()}" for rule in self.rules]
        if self.log:
            lines += ["", "AFTER THE SESSION, WRITE DOWN"]
            lines += [f"- {entry}" for entry in self.log]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class CriterionView:
    id: str
    name: str
    how: str
    passes: str

    def text(self) -> str:
        return f"{self.name}: {self.how} Passes: {self.passes}"


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

    def text(self) -> str:
        """A check-in as plain text: the criteria to test, the milestones, what comes next."""
        lines = [self.lead]
        lines += [f"- {criterion.text()}" for criterion in self.criteria]
        if self.no_criteria:
            lines.append(f"- {self.no_criteria}")
        if self.milestones:
            lines.append(f"\n{self.milestones}")
        if self.next:
            lines.append(f"\n{self.next}")
            lines.append(f"Next phase: {self.next_goal}")
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


@dataclass(frozen=True, slots=True)
class WeekView:
    number: int
    anchor: str
    title: str
    dates: str
    place: str
    deload: bool
    days: tuple[ScheduledView, ...]


@dataclass(frozen=True, slots=True)
class PhaseSection:
    """A phase of an athlete's plan with its weeks, as the page groups them."""

    number: int
    id: str
    title: str
    goal: str
    milestones: str | None
    weeks: tuple[WeekView, ...]


@dataclass(frozen=True, slots=True)
class PhaseRow:
    """A line of the athlete's phase table."""

    id: str
    title: str
    weeks: int
    start: str
    end: str
    exit: str


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
    path: str
    feed_path: str
    subscribe: str | None
    """The `webcal://` address of the feed (needs the site's base_url)."""
    timing: str
    monitoring: MonitoringView
    phases: tuple[PhaseRow, ...]
    sections: tuple[PhaseSection, ...]

    def text(self, *, brief: bool = False) -> str:
        """The plan as text for the terminal."""
        lines = [
            f"{self.name}: {self.program_title} (version {self.version})",
            f"{self.injury}; earliest dates {self.start} to {self.end}.",
            wording.NOTICE,
            self.monitoring.pain_limit,
            "",
        ]
        for week in (week for section in self.sections for week in section.weeks):
            deload = " · deload" if week.deload else ""
            lines.append(f"{week.title} · {week.dates} · {week.place}{deload}")
            for day in week.days:
                lines.append(f"  {day.day}  {day.title}")
                if day.session is not None and not brief:
                    lines.append(f"      {day.session.kind} · {day.session.facts}")
                    for block in day.session.blocks:
                        lines += [
                            f"      {item.name}" + (f": {item.dose}" if item.dose else "") for item in block.items
                        ]
                if day.check_in is not None and not brief:
                    names = "; ".join(c.name for c in day.check_in.criteria) or day.check_in.no_criteria
                    lines.append(f"      {names}")
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


class Views:
    """Makes view models, keeping the views of shared doses and check-ins it has made."""

    def __init__(self, links: Links, base_url: str | None) -> None:
        self.links = links
        self.base_url = base_url
        """The site's absolute address, for `webcal://` links; None without one."""
        self._sessions: dict[SessionDose, SessionView] = {}
        self._check_ins: dict[tuple[LinkedPhase, LinkedPhase | None], CheckInView] = {}

    def session(self, dose: SessionDose, program: LinkedProgram) -> SessionView:
        """The view of a dosed session, made once per dose."""
        made = self._sessions.get(dose)
        if made is None:
            made = self._sessions[dose] = self._session(dose, program.spec)
        return made

    def _session(self, dose: SessionDose, program: Program) -> SessionView:
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
            )
            for block in dose.blocks
        )
        return SessionView(
            title=spec.title,
            kind=spec.kind,
            facts=f"about {dose.minutes} min · {wording.rpe_text(spec.rpe)} · load {dose.load}",
            deload=wording.DELOAD if dose.key.deload else None,
            pain_limit=wording.pain_limit_text(program.monitoring),
            notes=spec.notes,
            blocks=blocks,
            rules=tuple(rule_view(rule.id, rule.spec) for rule in dose.rules),
            log=program.monitoring.log,
            path=self.links.session_dir(program.id, dose.key),
            phase=dose.phase.title,
            step=dose.key.step,
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
        """An athlete's whole plan, grouped by phase, for the page and the terminal."""
        athlete = plan.athlete
        program = plan.graded.program
        path = self.links.athlete_dir(plan.athlete_id, athlete)
        sections = []
        for phase, weeks in itertools.groupby(plan.weeks, key=lambda week: week.phase):
            sections.append(
                PhaseSection(
                    number=phase.number,
                    id=phase.id,
                    title=phase.title,
                    goal=phase.linked.spec.goal,
                    milestones=wording.milestones_text(phase.linked.spec.milestones)
                    if phase.linked.spec.milestones
                    else None,
                    weeks=tuple(self._week(week, program) for week in weeks),
                )
            )
        rows = tuple(
            PhaseRow(
                dates.phase.id,
                dates.phase.title,
                dates.weeks,
                wording.day_text(dates.start),
                wording.day_text(dates.end),
                "; ".join(c.spec.name for c in dates.phase.linked.exit) or "clinician review",
            )
            for dates in plan.phases
        )
        spec = program.spec
        return AthleteView(
            name=athlete.name,
            injury=wording.injury_text(athlete.injury.side, spec.injury, athlete.injury.grade),
            program_title=spec.title,
            program_path=self.links.program_dir(spec.id),
            version=spec.version,
            version_line=wording.version_text(spec.title, spec.version),
            start=wording.day_text(plan.start),
            end=wording.day_text(plan.end),
            grade=plan.graded.grade,
            grade_note=plan.graded.variant.note,
            path=path,
            feed_path=path + FEED_NAME,
            subscribe=webcal(self.base_url + path + FEED_NAME) if self.base_url else None,
            timing=(
                f"Sessions start at {athlete.session_time:%H:%M} ({athlete.timezone})."
                if athlete.session_time
                else "Sessions are all-day events; do them when you feel ready."
            ),
            monitoring=monitoring_view(spec.monitoring),
            phases=rows,
            sections=tuple(sections),
        )

    def _week(self, week: Week, program: LinkedProgram) -> WeekView:
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
                    f"check-in-{week.phase.id}",
                    view.title,
                    None,
                    view,
                )
            )
        return WeekView(
            number=week.number,
            anchor=f"w{week.number}",
            title=wording.week_title(week.number),
            dates=wording.week_dates(week.start, week.end),
            place=wording.week_place(week.phase.title, week.dosed.week_in_phase, week.phase.weeks, week.load),
            deload=week.dosed.deload,
            days=tuple(days),
        )


def rule_view(rule_id: str, rule: PainRule) -> RuleView:
    return RuleView(rule_id, rule.when, wording.ACTIONS[rule.action], rule.advice)


def monitoring_view(monitoring: Monitoring) -> MonitoringView:
    """The pain limit, the rules and the log, as pages show them."""
    rules = tuple(rule_view(rule_id, rule) for rule_id, rule in monitoring.rules.items())
    return MonitoringView(wording.pain_limit_text(monitoring), rules, monitoring.log)


def criterion_view(criterion: LinkedCriterion) -> CriterionView:
    return CriterionView(criterion.id, criterion.spec.name, criterion.spec.how, criterion.spec.passes)


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


def grade_rows(program: LinkedProgram, graded: dict[str, GradedProgram]) -> tuple[GradeRow, ...]:
    """Each grade's phase lengths, as the resolve stage set them."""
    rows = []
    for grade, variant in program.spec.grades.items():
        lengths = {phase.id: phase.weeks for phase in graded[grade].phases}
        weeks = tuple(str(lengths[phase.id]) if phase.id in lengths else "skipped" for phase in program.phases)
        rows.append(GradeRow(grade, variant.note, weeks, sum(lengths.values())))
    return tuple(rows)


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
        facts=f"about {spec.minutes} min · {wording.rpe_text(spec.rpe)}",
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
