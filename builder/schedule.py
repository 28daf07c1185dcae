"""The schedule stage: an athlete's dosed weeks laid on their calendar, then their log applied.

Pure: no clock, no disk. Each athlete gets their own sequence of dated weeks, pointing
at the dosed weeks that every athlete of the program and grade shares. Events are
named by what they are (`EventId`), not by where they fall, so a week done again moves
later events without renaming them.

The log is applied in date order as the weeks are laid. A record that changes the plan
ends the week it falls in on its day (what was planned up to then stays: the past is
history) and the plan goes on with the next week, on the weekday the athlete's weeks
start, so sessions keep the days and the rest between them that were checked:

- a failed check-in repeats the phase's last week (or the whole phase, or steps back
  a phase, as the protocol says), then the check-in comes again;
- an early pass, where the protocol allows it, starts the next phase with the next week;
- a hold keeps the current dose for some days; a step-back returns to last week's dose;
- a pause stops all training until a resume; the interrupted week is done again from
  the first week start on or after the resume;
- clearance to return to play ends the gated phases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

from builder.linked import Assignment, GradedPhase, GradedProgram, Rule
from builder.models import WEEKDAYS, CheckInRecord, DecisionRecord, Log, LogRecord, PainRecord
from builder.plan import (
    CheckIn,
    DosedWeek,
    Effect,
    Entry,
    EventId,
    LogProblem,
    Pause,
    PhaseDates,
    Plan,
    ScheduledSession,
    Week,
)

_SEVERITY = ("stop", "regress", "hold", "step-back", "call-clinician")
"""Pain-rule actions from mildest to most severe: a report that matches several follows the most severe."""
_PAIN_EFFECTS: dict[str, Effect] = {"hold": "hold", "step-back": "step-back", "call-clinician": "pause"}


def schedule_plan(assignment: Assignment, dosed: tuple[DosedWeek, ...], log: Log | None = None) -> Plan:
    """Lay a graded program's dosed weeks on an athlete's calendar from the start date, following the log."""
    records = log.records if log is not None else ()
    plan = _Layout(assignment, dosed).run(records)
    if records:
        first = _Layout(assignment, dosed).run(())
        plan = dataclasses.replace(plan, first_planned=first)
    return plan


@dataclass
class _Layout:
    """The state of one athlete's plan as its weeks are laid and its records applied."""

    assignment: Assignment
    dosed: tuple[DosedWeek, ...]
    weeks: list[Week] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    problems: list[LogProblem] = field(default_factory=list)
    repeats: Counter[tuple[str, int]] = field(default_factory=Counter)
    results: dict[EventId, CheckInRecord] = field(default_factory=dict)
    """The result recorded for each check-in laid so far."""
    last_hard: dt.date | None = None
    phase_start: dt.date | None = None
    """The day the current phase began (this time through)."""
    hold_until: dt.date | None = None
    """The last day of a hold."""
    cleared: bool = False

    @property
    def graded(self) -> GradedProgram:
        return self.assignment.graded

    def run(self, records: tuple[LogRecord, ...]) -> Plan:
        athlete = self.assignment.athlete
        pending = list(enumerate(records))
        self._check_order(pending)
        pending.reverse()  # pop() takes the oldest
        position = 0
        start = athlete.start
        carried: list[Entry] = []  # records of the days between a cut week and the next week
        while position < len(self.dosed):
            template = self.dosed[position]
            phase_start = self.phase_start
            week = self._lay(template, start)
            nexts = position + 1
            if self.hold_until is not None and self.hold_until > week.end:
                nexts = position  # still held: the same dose again
            cut: dt.date | None = None
            entries, carried = carried, []
            paused: Entry | None = None
            unlaid = False  # a record before the week began changed what the week is
            while pending and pending[-1][1].date <= (cut or week.end):
                index, record = pending.pop()
                entry, moved = self._apply(index, record, template, position, week)
                if entry is None:
                    continue
                entries.append(entry)
                self.entries.append(entry)
                if moved is not None:
                    nexts = moved
                    if record.date < week.start:
                        unlaid = True
                    else:
                        cut = record.date
                if entry.effect == "pause":
                    paused = entry
                    break
                if unlaid:
                    break
            if unlaid:
                self.phase_start = phase_start
                carried = entries
            else:
                week = self._finish(week, cut, tuple(entries))
                self.weeks.append(week)
                self.repeats[template.phase.id, template.week_in_phase] += 1
            if paused is not None:
                resumed = self._pause(paused, pending)
                if resumed is None:
                    break
                start, nexts = _week_start_on_or_after(resumed.date, athlete.start), position
                self.hold_until = None
            elif not unlaid:
                start = _week_start_on_or_after(week.end + dt.timedelta(days=1), athlete.start)
            position = nexts
        if carried:
            self.weeks[-1] = dataclasses.replace(self.weeks[-1], entries=self.weeks[-1].entries + tuple(carried))
        for index, record in reversed(pending):
            # Records after the plan's end are history; results for check-ins it no longer has are not.
            if isinstance(record, CheckInRecord):
                self._problem(index, "check_in", f"the plan has no check-in left on {record.date} to record")
            else:
                self.entries.append(Entry(index, record, "none"))
        return Plan(
            self.assignment.athlete_id,
            athlete,
            self.graded,
            tuple(self.weeks),
            _phase_dates(self.weeks),
            entries=tuple(self.entries),
            pauses=tuple(self.pauses),
            problems=tuple(self.problems),
        )

    # --- laying weeks -------------------------------------------------------------

    def _lay(self, template: DosedWeek, start: dt.date) -> Week:
        """A dosed week laid on the seven days from `start`, sessions on training days."""
        graded = self.graded
        spacing = graded.program.spec.spacing
        training = {WEEKDAYS.index(day) for day in self.assignment.athlete.training_days}
        hard_kinds = set(spacing.kinds)
        key = (template.phase.id, template.week_in_phase)
        repeat = self.repeats[key]  # counted once the week is kept (`run`)
        previous = self.weeks[-1].dosed if self.weeks else None
        if (
            previous is None
            or previous.phase is not template.phase
            or (template.week_in_phase == 1 and previous is not template)
        ):
            self.phase_start = start  # a new time through the phase

        def event(slot: int | None) -> EventId:
            return EventId(
                self.assignment.athlete_id, graded.program.id, template.phase.id, template.week_in_phase, repeat, slot
            )

        days = [start + dt.timedelta(days=k) for k in range(7)]
        days = [day for day in days if day.weekday() in training]
        hard = [dose.session.spec.kind in hard_kinds for dose in template.sessions]
        chosen = _place(hard, days, math.ceil(spacing.hours / 24), self.last_hard)
        sessions = tuple(
            sorted(
                (
                    ScheduledSession(days[day], slot, template.sessions[slot - 1], event(slot))
                    for slot, day in enumerate(chosen, start=1)
                ),
                key=lambda session: session.date,  # in date order, also where sessions changed places
            )
        )
        check_in = None
        end = start + dt.timedelta(days=6)
        held = self.hold_until is not None and self.hold_until > end
        if template.closes_phase and not held and not self.cleared:
            # On the test session's day where the phase has one (and it found a day), else the week's last.
            test = template.phase.linked.test
            tested = [session.date for session in sessions if test is not None and session.dose.session is test]
            check_in = CheckIn(tested[-1] if tested else end, template.phase, graded.after(template.phase), event(None))
        return Week(
            number=len(self.weeks) + 1,
            dosed=template,
            repeat=repeat,
            start=start,
            sessions=sessions,
            unplaced=template.sessions[len(chosen) :],
            check_in=check_in,
        )

    def _finish(self, week: Week, cut: dt.date | None, entries: tuple[Entry, ...]) -> Week:
        """The week as done: cut short at the record that changed the plan, with its records."""
        days = (cut - week.start).days + 1 if cut is not None else 7
        sessions = tuple(session for session in week.sessions if session.date <= week.start + dt.timedelta(days - 1))
        check_in = week.check_in if week.check_in is not None and (cut is None or week.check_in.date <= cut) else None
        hard_kinds = set(self.graded.program.spec.spacing.kinds)
        for session in sessions:
            if session.dose.session.spec.kind in hard_kinds:
                self.last_hard = session.date
        return Week(
            number=week.number,
            dosed=week.dosed,
            repeat=week.repeat,
            start=week.start,
            sessions=sessions,
            unplaced=week.unplaced,
            check_in=check_in,
            days=days,
            entries=entries,
        )

    # --- applying records ---------------------------------------------------------

    def _check_order(self, records: list[tuple[int, LogRecord]]) -> None:
        start = self.assignment.athlete.start
        previous: dt.date | None = None
        for index, record in records:
            if record.date < start:
                self._problem(index, "date", f"{record.date} is before the plan's start date {start}")
            elif previous is not None and record.date < previous:
                self._problem(
                    index, "date", f"{record.date} comes after {previous}: expected records in date order, oldest first"
                )
            previous = max(previous or record.date, record.date)

    def _problem(self, index: int, key: str | None, message: str) -> None:
        self.problems.append(LogProblem(index, key, message))

    def _apply(
        self, index: int, record: LogRecord, template: DosedWeek, position: int, week: Week
    ) -> tuple[Entry | None, int | None]:
        """The record's entry in the plan, and where the plan goes on from (None: as it was)."""
        if record.date < self.assignment.athlete.start:
            return None, None  # reported by _check_order
        if isinstance(record, CheckInRecord):
            return self._check_in(index, record, template, position, week)
        if isinstance(record, PainRecord):
            return self._pain(index, record, position)
        return self._decision(index, record, position)

    def _check_in(
        self, index: int, record: CheckInRecord, template: DosedWeek, position: int, week: Week
    ) -> tuple[Entry | None, int | None]:
        phase = next((p for p in self.graded.phases if p.id == record.check_in), None)
        if phase is None:
            known = ", ".join(p.id for p in self.graded.phases)
            self._problem(
                index,
                "check_in",
                f"no check-in {record.check_in!r} in {self.graded.program.id} at grade {self.graded.grade}; "
                f"its check-ins are named by phase: {known}",
            )
            return None, None
        criteria = {criterion.id for criterion in phase.linked.exit}
        for name in record.values:
            if name not in criteria:
                known = ", ".join(sorted(criteria)) or "none"
                self._problem(
                    index,
                    f"values.{name}",
                    f"no criterion {name!r} in check-in {phase.id!r}; its criteria: {known}",
                )
        laid = [week.check_in for week in self.weeks if week.check_in is not None]
        if week.check_in is not None and week.check_in.date <= record.date:
            laid.append(week.check_in)
        last = laid[-1] if laid else None
        if last is not None and last.phase is phase and last.event not in self.results:
            # The check-in was laid on or before the record's day: its result, on time or late.
            self.results[last.event] = record
            if record.result == "pass":
                return Entry(index, record, "kept", phase=phase), None
            return self._failed(index, record, phase)
        done = next((c for c in reversed(laid) if c.phase is phase), None)
        upcoming = self._upcoming(template, week)
        rules = self._rules(phase)
        previous = self.results.get(done.event) if done is not None else None
        # An early pass is a new attempt: never on the day of the attempt it would follow.
        after = previous is None or record.date > previous.date
        if template.phase is phase and rules.early_pass and self.phase_start is not None and after:
            earliest = self.phase_start + dt.timedelta(days=6)
            if record.date >= earliest:
                if record.result != "pass":
                    return Entry(index, record, "none", phase=phase), None
                last_week = self._last_index(phase)
                return Entry(index, record, "early", phase=phase), last_week + 1
            self._problem(
                index,
                "date",
                f"check-in {phase.id!r} can pass early from {earliest} (the end of the phase's first week) "
                f"at the earliest; this result is dated {record.date}",
            )
            return None, None
        if done is not None and self.results.get(done.event) is not None:
            earlier = self.results[done.event]
            if earlier.result == "pass":
                message = f"check-in {phase.id!r} was already passed on {earlier.date}"
            else:
                retest = earlier.date + dt.timedelta(days=1) if rules.early_pass else upcoming
                when = f" on {retest} at the earliest" if template.phase is phase else ""
                message = (
                    f"check-in {phase.id!r} already has a result ({earlier.result}) on {earlier.date} for the attempt "
                    f"of {done.date}; a retest is a new attempt, due{when}"
                )
            self._problem(index, "check_in", message)
            return None, None
        if template.phase is phase:
            message = f"check-in {phase.id!r} is due on {upcoming} at the earliest; this result is dated {record.date}"
        else:
            message = (
                f"check-in {phase.id!r} is not due on {record.date}: the plan is in phase {template.phase.id!r}, "
                f"whose check-in is due on {upcoming}"
            )
        self._problem(index, "date" if template.phase is phase else "check_in", message)
        return None, None

    def _failed(self, index: int, record: CheckInRecord, phase: GradedPhase) -> tuple[Entry, int]:
        """Where the plan goes on after a failed or undone check-in of `phase`."""
        rules = self._rules(phase)
        action = rules.on_fail if record.result == "fail" else "repeat-week"
        if action == "repeat-phase":
            return Entry(index, record, "repeat-phase", phase=phase), self._first_index(phase)
        if action == "step-back":
            before = self.graded.phases[phase.number - 2] if phase.number > 1 else None
            if before is not None:
                return Entry(index, record, "step-back-phase", phase=before), self._last_index(before)
            return Entry(index, record, "repeat-phase", phase=phase), self._first_index(phase)
        return Entry(index, record, "repeat-week", phase=phase), self._last_index(phase)

    def _pain(self, index: int, record: PainRecord, position: int) -> tuple[Entry | None, int | None]:
        program = self.graded.program
        monitoring = program.spec.monitoring
        rules = {rule.id: rule for session in program.sessions for rule in session.rules}
        rules.update(
            (rule_id, Rule(rule_id, spec)) for rule_id, spec in monitoring.rules.items() if rule_id not in rules
        )
        bad = False
        if record.session is not None and record.session not in {s.id for s in program.sessions}:
            known = ", ".join(s.id for s in program.sessions)
            self._problem(index, "session", f"no session {record.session!r} in {program.id}; its sessions: {known}")
            bad = True
        drills = {item.drill.id for s in program.sessions for block in s.blocks for item in block.items}
        if record.drill is not None and record.drill not in drills:
            known = ", ".join(sorted(drills))
            self._problem(index, "drill", f"no drill {record.drill!r} in {program.id}; its drills: {known}")
            bad = True
        if record.rule is not None and record.rule not in rules:
            known = ", ".join(rules)
            self._problem(index, "rule", f"no monitoring rule {record.rule!r} in {program.id}; its rules: {known}")
            bad = True
        if bad:
            return None, None
        if record.rule is not None:
            matched = [rules[record.rule]]
        else:
            matched = [
                rule
                for rule in rules.values()
                if rule.spec.pain_above is not None
                and record.pain > rule.spec.pain_above
                and (not rule.spec.timing or record.when in rule.spec.timing)
            ]
        rule = max(matched, key=lambda r: _SEVERITY.index(r.spec.action), default=None)
        action = rule.spec.action if rule is not None else None
        if record.pain > monitoring.allowed_pain and (
            action is None or _SEVERITY.index(action) < _SEVERITY.index("hold")
        ):
            # Pain above the allowed limit holds progression whatever else it calls for (the pain-monitoring model).
            days = program.spec.replan.hold_days
            return self._hold(Entry(index, record, "hold", rule=rule, days=days), position, days)
        effect = _PAIN_EFFECTS.get(action or "", "none")
        if effect == "hold":
            assert rule is not None
            days = rule.spec.days or program.spec.replan.hold_days
            return self._hold(Entry(index, record, "hold", rule=rule, days=days), position, days)
        if effect == "step-back":
            return Entry(index, record, "step-back", rule=rule), max(position - 1, 0)
        if effect == "pause":
            return Entry(index, record, "pause", rule=rule), position
        return Entry(index, record, "none", rule=rule), None

    def _decision(self, index: int, record: DecisionRecord, position: int) -> tuple[Entry | None, int | None]:
        if record.days is not None and record.decision != "hold":
            self._problem(index, "days", "days is how long a hold lasts; this decision is not a hold")
            return None, None
        if record.decision == "hold":
            days = record.days or self.graded.program.spec.replan.hold_days
            return self._hold(Entry(index, record, "hold", days=days), position, days)
        if record.decision == "step-back":
            return Entry(index, record, "step-back"), max(position - 1, 0)
        if record.decision == "pause":
            return Entry(index, record, "pause"), position
        if record.decision == "resume":
            self._problem(index, "decision", "resume without a pause before it")
            return None, None
        if self.cleared:
            self._problem(index, "decision", "the athlete was already cleared to return to play")
            return None, None
        self.cleared = True
        gated = [phase for phase in self.graded.phases if phase.linked.exit]
        after = self._last_index(gated[-1]) + 1 if gated else len(self.dosed)
        if position >= after:
            return Entry(index, record, "cleared"), None  # already past the gated phases
        return Entry(index, record, "cleared"), after

    def _hold(self, entry: Entry, position: int, days: int) -> tuple[Entry, int]:
        self.hold_until = entry.record.date + dt.timedelta(days=days)
        return entry, position

    def _pause(self, entry: Entry, pending: list[tuple[int, LogRecord]]) -> DecisionRecord | None:
        """Skip the records of a pause up to its resume; return the resume, or None if the plan stays paused."""
        first = entry.record.date + dt.timedelta(days=1)
        while pending:
            index, record = pending.pop()
            if isinstance(record, DecisionRecord) and record.decision == "resume":
                if record.date < first:
                    self._problem(index, "date", f"a resume on the day of its pause: expected {first} or later")
                    continue
                self.entries.append(Entry(index, record, "resume"))
                restart = _week_start_on_or_after(record.date, self.assignment.athlete.start)
                self.pauses.append(Pause(first, restart, entry))
                return record
            if isinstance(record, CheckInRecord):
                self._problem(index, "check_in", f"the plan is paused since {first}: record a resume before a check-in")
            elif isinstance(record, DecisionRecord) and record.decision != "hold":
                self._problem(index, "decision", f"the plan is paused since {first}: record a resume first")
            else:
                self.entries.append(Entry(index, record, "none"))
        self.pauses.append(Pause(first, None, entry))
        return None

    # --- the program's shape ------------------------------------------------------

    def _rules(self, phase: GradedPhase) -> _Rules:
        replan = self.graded.program.spec.replan
        own = phase.linked.spec.replan
        return _Rules(
            own.on_fail if own.on_fail is not None else replan.on_fail,
            own.early_pass if own.early_pass is not None else replan.early_pass,
        )

    def _first_index(self, phase: GradedPhase) -> int:
        return next(i for i, week in enumerate(self.dosed) if week.phase is phase)

    def _last_index(self, phase: GradedPhase) -> int:
        return max(i for i, week in enumerate(self.dosed) if week.phase is phase)

    def _upcoming(self, template: DosedWeek, week: Week) -> dt.date:
        """The projected day of the current phase's check-in, from this week."""
        return week.start + dt.timedelta(days=6 + 7 * (template.phase.weeks - template.week_in_phase))


@dataclass(frozen=True)
class _Rules:
    on_fail: str
    early_pass: bool


def _week_start_on_or_after(day: dt.date, first: dt.date) -> dt.date:
    """The first day on or after `day` that starts a week of the athlete's plan (the weekday of `first`).

    Weeks stay on the weekdays the training days were checked for, so a re-planned week
    keeps its sessions on the same days and its rest between hard sessions.
    """
    return day + dt.timedelta(days=(first.weekday() - day.weekday()) % 7)


def _phase_dates(weeks: list[Week]) -> tuple[PhaseDates, ...]:
    """Each phase's first and last day in the athlete's plan."""
    phases: list[PhaseDates] = []
    for week in weeks:
        if phases and phases[-1].phase is week.phase:
            last = phases[-1]
            phases[-1] = PhaseDates(last.phase, last.weeks + 1, last.start, week.end)
        else:
            phases.append(PhaseDates(week.phase, 1, week.start, week.end))
    return tuple(phases)


def _place(hard: list[bool], days: list[dt.date], gap_days: int, last_hard: dt.date | None) -> list[int]:
    """Choose a training day (index into `days`) for each session of the pattern.

    Sessions are spread evenly over the week and hard sessions keep `gap_days` apart,
    also from the last hard session of the week before. The pattern's order comes first;
    only when it cannot keep the gap do sessions change places (the last one, a phase's
    test, staying last if it can). When no order keeps the gap, sessions go on the earliest
    days in order and the check stage reports it; sessions beyond the number of training
    days are left out and reported too.
    """
    count = min(len(hard), len(days))
    if count == 0:
        return []
    orders = itertools.chain(
        ((*first, count - 1) for first in itertools.permutations(range(count - 1))),  # the pattern's order first
        itertools.permutations(range(count)),
    )
    for order in orders:
        found = _spread([hard[slot] for slot in order], days, gap_days, last_hard)
        if found is not None:
            chosen = [0] * count
            for position, slot in enumerate(order):
                chosen[slot] = found[position]
            return chosen
    return list(range(count))


def _spread(hard: list[bool], days: list[dt.date], gap_days: int, last_hard: dt.date | None) -> list[int] | None:
    """Days for sessions in this order, spread evenly, hard ones `gap_days` apart; None if none keep it."""
    count = len(hard)

    def search(index: int, first_free: int, previous_hard: dt.date | None) -> list[int] | None:
        if index == count:
            return []
        ideal = index * len(days) / count
        candidates = range(first_free, len(days) - (count - index) + 1)
        for day in sorted(candidates, key=lambda d: (abs(d - ideal), d)):
            if hard[index] and previous_hard is not None and (days[day] - previous_hard).days < gap_days:
                continue
            rest = search(index + 1, day + 1, days[day] if hard[index] else previous_hard)
            if rest is not None:
                return [day, *rest]
        return None

    return search(0, 0, last_hard)
