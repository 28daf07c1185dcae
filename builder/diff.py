"""What an edit does to every athlete's plan: two gathered projects in, the differences out.

Pure: two `Gathered` (an earlier revision and the working tree) in, a `ProjectDiff` out.
Sessions and check-ins are matched by what they are (`EventId`), never by position:
the same id on another date moved; an id only in one plan was added or removed; the same
id on the same day with other drills or doses changed its dose. Each athlete's changes
carry the edits of the files behind their plan: their program, their roster entry, their log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

from builder import wording
from builder.build import Gathered
from builder.edits import Edit, file_edits, under
from builder.errors import Problem
from builder.library import PROJECT_FILE
from builder.plan import CheckIn, Plan, SessionDose
from builder.views import return_to_play
from builder.wording import dose_text, session_facts


@dataclass(frozen=True, slots=True)
class Dated:
    """A session or check-in added or removed: what it is and its day."""

    title: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Move:
    """A session or check-in on another day."""

    title: str
    before: dt.date
    after: dt.date


@dataclass(frozen=True, slots=True)
class Renamed:
    """Sessions that stay on their days under another title (another session of the program)."""

    before: str
    after: str
    dates: tuple[dt.date, ...]


@dataclass(frozen=True, slots=True)
class DoseChange:
    """A drill dosed otherwise in some sessions (before None: newly in them; after None: left out)."""

    session: str
    drill: str
    before: str | None
    after: str | None
    dates: tuple[dt.date, ...]


@dataclass(frozen=True, slots=True)
class PhaseLength:
    """A phase with more or fewer weeks (0: the plan leaves it out, or newly has it)."""

    title: str
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class CriteriaChange:
    """The exit criteria of a phase's check-in: added, removed, or worded otherwise."""

    phase: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]


@dataclass(frozen=True)
class AthleteDiff:
    """How one athlete's plan changes."""

    athlete_id: str
    name: str
    program: str
    roster: str = "same"
    """"same", or "added" / "removed": the athlete is new to the roster, or left it."""
    added: tuple[Dated, ...] = ()
    removed: tuple[Dated, ...] = ()
    moved: tuple[Move, ...] = ()
    renamed: tuple[Renamed, ...] = ()
    doses: tuple[DoseChange, ...] = ()
    phases: tuple[PhaseLength, ...] = ()
    check_ins_moved: tuple[Move, ...] = ()
    check_ins_added: tuple[Dated, ...] = ()
    check_ins_removed: tuple[Dated, ...] = ()
    criteria: tuple[CriteriaChange, ...] = ()
    return_before: dt.date | None = None
    return_after: dt.date | None = None
    warnings_added: tuple[str, ...] = ()
    warnings_removed: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()
    """The edits behind the plan: the program's, the roster entry's, the log's."""

    @property
    def return_moved(self) -> bool:
        return self.return_before != self.return_after

    @property
    def changed(self) -> bool:
        return self.roster != "same" or any(
            (
                self.added,
                self.removed,
                self.moved,
                self.renamed,
                self.doses,
                self.phases,
                self.check_ins_moved,
                self.check_ins_added,
                self.check_ins_removed,
                self.criteria,
                self.return_moved,
                self.warnings_added,
                self.warnings_removed,
            )
        )


@dataclass(frozen=True)
class ProjectDiff:
    """Every athlete whose plan changes, how many do not, and the edits of the input files."""

    athletes: tuple[AthleteDiff, ...]
    unchanged: int
    warnings_added: tuple[str, ...]
    """Warnings of no one athlete (a program at a grade, a drill) that the new tree has and the old had not."""
    warnings_removed: tuple[str, ...]
    edits: tuple[Edit, ...] = field(default=())

    @property
    def total(self) -> int:
        return len(self.athletes) + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.athletes or self.warnings_added or self.warnings_removed)


def diff_projects(before: Gathered, after: Gathered, athlete: str | None = None) -> ProjectDiff:
    """What changes from the plans of `before` to those of `after` (only `athlete`'s, if given)."""
    edits = _edits(before, after)
    old_plans = {plan.athlete_id: plan for plan in before.plans}
    new_plans = {plan.athlete_id: plan for plan in after.plans}
    ids = [i for i in dict.fromkeys([*new_plans, *old_plans]) if athlete is None or i == athlete]
    project_file = after.library.project_source.file
    old_warnings, new_warnings = _athlete_warnings(before, project_file), _athlete_warnings(after, project_file)
    cache: dict[tuple[int, int], tuple[tuple[str, str | None, str | None], ...]] = {}
    changed: list[AthleteDiff] = []
    for athlete_id in ids:
        one = _athlete_diff(
            athlete_id,
            old_plans.get(athlete_id),
            new_plans.get(athlete_id),
            old_warnings.get(athlete_id, ()),
            new_warnings.get(athlete_id, ()),
            cache,
        )
        if one.changed:
            changed.append(_with_edits(one, edits, before, after))
    old_rest, new_rest = _other_warnings(before, project_file), _other_warnings(after, project_file)
    show_rest = athlete is None
    return ProjectDiff(
        athletes=tuple(changed),
        unchanged=len(ids) - len(changed),
        warnings_added=tuple(w for w in new_rest if w not in old_rest) if show_rest else (),
        warnings_removed=tuple(w for w in old_rest if w not in new_rest) if show_rest else (),
        edits=tuple(edits) if show_rest else (),
    )


def _edits(before: Gathered, after: Gathered) -> list[Edit]:
    old, new = before.library.sources, after.library.sources
    files = sorted(set(old) | set(new), key=lambda name: (name != PROJECT_FILE, name))
    edits: list[Edit] = []
    for name in files:
        shown = (new.get(name) or old[name]).file
        edits += file_edits(shown, old.get(name), new.get(name))
    return edits


def _with_edits(one: AthleteDiff, edits: list[Edit], before: Gathered, after: Gathered) -> AthleteDiff:
    """The athlete's changes with the edits of their program (but another grade's or muscle's), roster
    entry and log."""
    files: set[str] = set()
    variants: set[tuple[str, str]] = set()  # ("grades", "2"), ("muscles", "soleus"): the athlete's, then or now
    for gathered in (before, after):
        library = gathered.library
        if one.program in library.program_files:
            files.add(library.program_files[one.program])
        if one.athlete_id in library.log_files:
            files.add(library.log_files[one.athlete_id])
        for plan in gathered.plans:
            if plan.athlete_id == one.athlete_id:
                variants.add(("grades", plan.graded.grade))
                if plan.graded.muscle is not None:
                    variants.add(("muscles", plan.graded.muscle))
    project_file = after.library.project_source.file

    def concerns(edit: Edit) -> bool:
        if edit.file not in files:
            return False
        if len(edit.path) >= 2 and edit.path[0] in ("grades", "muscles"):
            return (str(edit.path[0]), str(edit.path[1])) in variants
        return True

    roster = under([edit for edit in edits if edit.file == project_file], ("athletes", one.athlete_id))
    own = [edit for edit in edits if concerns(edit)] + roster
    return replace(one, edits=tuple(own)) if own else one


def _athlete_diff(
    athlete_id: str,
    before: Plan | None,
    after: Plan | None,
    old_warnings: tuple[str, ...],
    new_warnings: tuple[str, ...],
    cache: dict[tuple[int, int], tuple[tuple[str, str | None, str | None], ...]],
) -> AthleteDiff:
    shown = after if after is not None else before
    assert shown is not None
    base = AthleteDiff(athlete_id, shown.athlete.name, shown.graded.program.id)
    if before is None or after is None:
        plan = after if after is not None else before
        assert plan is not None
        dated = tuple(Dated(s.dose.session.spec.title, s.date) for s in plan.sessions())
        if before is None:
            return replace(base, roster="added", added=dated, return_after=return_to_play(plan))
        return replace(base, roster="removed", removed=dated, return_before=return_to_play(plan))
    old_sessions = {s.event: s for s in before.sessions()}
    new_sessions = {s.event: s for s in after.sessions()}
    added = tuple(Dated(s.dose.session.spec.title, s.date) for e, s in new_sessions.items() if e not in old_sessions)
    removed = tuple(Dated(s.dose.session.spec.title, s.date) for e, s in old_sessions.items() if e not in new_sessions)
    moved: list[Move] = []
    renamed: dict[tuple[str, str], list[dt.date]] = {}
    doses: dict[tuple[str, str, str | None, str | None], list[dt.date]] = {}
    for event, new in new_sessions.items():
        old = old_sessions.get(event)
        if old is None:
            continue
        old_title, new_title = old.dose.session.spec.title, new.dose.session.spec.title
        if old.date != new.date:
            moved.append(Move(new_title, old.date, new.date))
        if old_title != new_title:
            renamed.setdefault((old_title, new_title), []).append(new.date)
        if (old.dose.minutes, old.dose.load) != (new.dose.minutes, new.dose.load):
            was_long = session_facts(old.dose.minutes, old.dose.session.spec.rpe, old.dose.load)
            now_long = session_facts(new.dose.minutes, new.dose.session.spec.rpe, new.dose.load)
            doses.setdefault((new_title, wording.DIFF_WHOLE_SESSION, was_long, now_long), []).append(new.date)
        for drill, was, now in _dose_changes(old.dose, new.dose, cache):
            doses.setdefault((new_title, drill, was, now), []).append(new.date)
    old_checks, new_checks = _attempts(before), _attempts(after)
    return AthleteDiff(
        athlete_id=athlete_id,
        name=after.athlete.name,
        program=after.graded.program.id,
        added=added,
        removed=removed,
        moved=tuple(moved),
        renamed=tuple(Renamed(old, new, tuple(dates)) for (old, new), dates in renamed.items()),
        doses=tuple(DoseChange(*key, tuple(dates)) for key, dates in doses.items()),
        phases=_phase_lengths(before, after),
        check_ins_moved=tuple(
            Move(_check_in_title(c), old_checks[e].date, c.date)
            for e, c in new_checks.items()
            if e in old_checks and old_checks[e].date != c.date
        ),
        check_ins_added=tuple(_dated(c) for e, c in new_checks.items() if e not in old_checks),
        check_ins_removed=tuple(_dated(c) for e, c in old_checks.items() if e not in new_checks),
        criteria=_criteria_changes(before, after),
        return_before=return_to_play(before),
        return_after=return_to_play(after),
        warnings_added=tuple(w for w in new_warnings if w not in old_warnings),
        warnings_removed=tuple(w for w in old_warnings if w not in new_warnings),
    )


def _attempts(plan: Plan) -> dict[tuple[str, int], CheckIn]:
    """Check-ins by phase and attempt (1, 2 … when a phase is tested again), whatever week they fall in."""
    seen: Counter[str] = Counter()
    found = {}
    for check_in in plan.check_ins():
        seen[check_in.phase.id] += 1
        found[(check_in.phase.id, seen[check_in.phase.id])] = check_in
    return found


def _check_in_title(check_in: CheckIn) -> str:
    return check_in.phase.title


def _dated(check_in: CheckIn) -> Dated:
    return Dated(_check_in_title(check_in), check_in.date)


def _drills(dose: SessionDose) -> dict[tuple[str, int], tuple[str, str]]:
    """Each drill of a session's dose, by drill id and occurrence: its name and dose as text."""
    seen: Counter[str] = Counter()
    drills: dict[tuple[str, int], tuple[str, str]] = {}
    for block in dose.blocks:
        for item in block.items:
            seen[item.drill.id] += 1
            drills[(item.drill.id, seen[item.drill.id])] = (item.drill.name, dose_text(item.dose))
    return drills


def _dose_changes(
    old: SessionDose, new: SessionDose, cache: dict[tuple[int, int], tuple[tuple[str, str | None, str | None], ...]]
) -> tuple[tuple[str, str | None, str | None], ...]:
    """Each drill whose dose differs: (drill name, old dose, new dose); shared doses are compared once."""
    key = (id(old), id(new))
    if key not in cache:
        was, now = _drills(old), _drills(new)
        found: list[tuple[str, str | None, str | None]] = []
        for drill, (name, text) in now.items():
            before = was.get(drill)
            if before is None:
                found.append((name, None, text))
            elif before[1] != text:
                found.append((name, before[1], text))
        found += [(name, text, None) for drill, (name, text) in was.items() if drill not in now]
        cache[key] = tuple(found)
    return cache[key]


def _phase_lengths(before: Plan, after: Plan) -> tuple[PhaseLength, ...]:
    old = {phase.phase.id: phase for phase in before.phases}
    new = {phase.phase.id: phase for phase in after.phases}
    lengths = [
        PhaseLength(phase.phase.title, old[i].weeks if i in old else 0, phase.weeks)
        for i, phase in new.items()
        if i not in old or old[i].weeks != phase.weeks
    ]
    lengths += [PhaseLength(phase.phase.title, phase.weeks, 0) for i, phase in old.items() if i not in new]
    return tuple(lengths)


def _criteria_changes(before: Plan, after: Plan) -> tuple[CriteriaChange, ...]:
    old = {phase.id: phase for phase in before.graded.phases}
    changes = []
    for phase in after.graded.phases:
        if phase.id not in old:
            continue
        was = {c.id: c.spec for c in old[phase.id].linked.exit}
        now = {c.id: c.spec for c in phase.linked.exit}
        added = tuple(spec.name for i, spec in now.items() if i not in was)
        removed = tuple(spec.name for i, spec in was.items() if i not in now)
        changed = tuple(spec.name for i, spec in now.items() if i in was and was[i] != spec)
        if added or removed or changed:
            changes.append(CriteriaChange(phase.title, added, removed, changed))
    return tuple(changes)


def _athlete_warnings(gathered: Gathered, project_file: str) -> dict[str, tuple[str, ...]]:
    """The warnings placed on an athlete's roster entry, by athlete id (their messages alone)."""
    found: dict[str, list[str]] = {}
    for warning in gathered.findings.warnings:
        athlete = _athlete_of(warning, project_file)
        if athlete is not None:
            found.setdefault(athlete, []).append(warning.message)
    return {athlete: tuple(messages) for athlete, messages in found.items()}


def _other_warnings(gathered: Gathered, project_file: str) -> tuple[str, ...]:
    """The warnings of no one athlete, as `file: where: message` (lines move with every edit)."""
    return tuple(
        f"{w.file}: {w.where}: {w.message}" if w.where else f"{w.file}: {w.message}"
        for w in gathered.findings.warnings
        if _athlete_of(w, project_file) is None
    )


def _athlete_of(warning: Problem, project_file: str) -> str | None:
    if warning.file != project_file or not warning.where.startswith("athletes."):
        return None
    return warning.where.split(".")[1]
