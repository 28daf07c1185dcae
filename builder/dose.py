"""The dose stage: a graded program -> its dosed weeks, once per program × grade.

Every athlete of a program and grade shares these weeks; doses are shared across the
grades of a program too (a dose is named by a `DoseKey`), so a session's text is made
once however many athletes do it. Pure: no clock, no disk.
"""

from __future__ import annotations

from builder.linked import GradedPhase, GradedProgram, Item, LinkedSession
from builder.models import DrillItem, Progression, round_half_up
from builder.plan import BlockDose, DosedWeek, DoseKey, SessionDose

_VOLUME = ("sets", "reps", "distance_m", "duration_s")
"""Dose fields that progression adds to and a deload cuts, in the order a deload looks for one."""


def dose_weeks(graded: GradedProgram, doses: dict[DoseKey, SessionDose]) -> tuple[DosedWeek, ...]:
    """Every week of a graded program with progression and deloads applied to each dose.

    `doses` collects the program's doses by key, so that grades sharing a dose share
    one object (and its rendered text).
    """
    deload = graded.program.spec.deload
    weeks: list[DosedWeek] = []
    for phase in graded.phases:
        steps = 0  # weeks of progression so far; a deload week holds it
        for week_in_phase in range(1, phase.weeks + 1):
            number = len(weeks) + 1
            lighter = deload is not None and (
                week_in_phase in phase.deload_weeks or (deload.every is not None and number % deload.every == 0)
            )
            volume = deload.volume if lighter and deload is not None else 1.0
            # A deload week repeats the last week's progression at a lighter volume.
            step = max(steps - 1, 0) if lighter else steps
            sessions = []
            # The test session joins the phase's last week: the check-in falls on its day.
            test = (phase.linked.test,) if phase.linked.test is not None and week_in_phase == phase.weeks else ()
            for session in (*phase.linked.pattern, *test):
                key = DoseKey(phase.id, session.id, step + 1, lighter, session.origin)
                if key not in doses:
                    doses[key] = _dose_session(session, phase, key, volume)
                sessions.append(doses[key])
            weeks.append(DosedWeek(phase, week_in_phase, lighter, tuple(sessions)))
            if not lighter:
                steps += 1
    return tuple(weeks)


def _dose_session(session: LinkedSession, phase: GradedPhase, key: DoseKey, volume: float) -> SessionDose:
    progression = phase.linked.spec.progression
    blocks = []
    for block in session.blocks:
        due = tuple(item for item in block.items if item.dose.from_week is None or key.step >= item.dose.from_week)
        if not due:
            continue  # every drill of the block starts in a later week
        if block.shared:
            # A shared block (the warm-up, say) is the same every time: no progression, no deload.
            blocks.append(BlockDose(block, block.items if len(due) == len(block.items) else due))
            continue
        dosed = tuple(
            item
            if item.dose.fixed
            else Item(item.drill, _dose_item(item.dose, _moving(progression, item), key, volume))
            for item in due
        )
        blocks.append(BlockDose(block, dosed))
    return SessionDose(
        key=key,
        session=session,
        phase=phase,
        minutes=max(1, round_half_up(session.spec.minutes * volume)),
        blocks=tuple(blocks),
    )


def _moving(progression: Progression, item: Item) -> Progression:
    """The phase's progression for this drill: none where it names other drills (a deload still applies)."""
    return progression if not progression.drills or item.drill.id in progression.drills else _STILL


_STILL = Progression()
"""No progression: the dose as written."""


def _dose_item(item: DrillItem, progression: Progression, key: DoseKey, volume: float) -> DrillItem:
    """Add the weeks of progression before this step, then cut the volume of a deload week.

    A deload cuts the sets (or, for a single set, the reps, else the distance, else the
    duration) and holds intensity: the athlete does less of the same work.
    """
    steps = key.step - 1
    dose = {
        name: getattr(item, name) + steps * getattr(progression, name)
        for name in _VOLUME
        if getattr(item, name) is not None
    }
    if item.intensity_pct is not None:
        ceiling = max(progression.max_intensity_pct, item.intensity_pct)
        dose["intensity_pct"] = min(item.intensity_pct + steps * progression.intensity_pct, ceiling)
    if volume < 1:
        for name in _VOLUME:
            if name in dose and (name != "sets" or dose[name] > 1):
                dose[name] = max(1, round_half_up(dose[name] * volume))
                break
    dose = {name: max(1, value) for name, value in dose.items()}
    return item.model_copy(update=dose) if dose else item
