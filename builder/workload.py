"""Training load in numbers: what a session and a week ask of the athlete, as checks and charts count it.

Session load is minutes × RPE (Foster 2001). High-speed running is the metres run at or above
`HIGH_SPEED_PCT` of maximal speed by drills whose kind is running (Duhig 2016 counted metres
above 24 km/h, about 70 % of an elite sprinter's top speed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from builder.plan import Plan, SessionDose, Week

HIGH_SPEED_PCT = 70
"""Running at or above this share of maximal speed counts as high-speed running."""
RUNNING_KINDS = frozenset({"technique", "acceleration", "max-velocity", "tempo", "team-training", "check-in"})
"""Drill kinds whose distance is run: their metres at high intensity are high-speed running."""


def high_speed_m(dose: SessionDose) -> int:
    """Metres of the session run at or above HIGH_SPEED_PCT: distance × sets × reps (× 2 each side)."""
    metres = 0
    for block in dose.blocks:
        for item in block.items:
            spec = item.dose
            if item.drill.category not in RUNNING_KINDS or spec.distance_m is None:
                continue
            if spec.intensity_pct is None or spec.intensity_pct < HIGH_SPEED_PCT:
                continue
            metres += spec.distance_m * (spec.sets or 1) * (spec.reps or 1) * (2 if spec.each_side else 1)
    return metres


def top_intensity(dose: SessionDose) -> int:
    """The highest running intensity (% of maximal speed) the session asks for; 0 without running."""
    return max(
        (
            item.dose.intensity_pct
            for block in dose.blocks
            for item in block.items
            if item.drill.category in RUNNING_KINDS and item.dose.intensity_pct is not None
        ),
        default=0,
    )


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """A week of a plan in numbers."""

    week: Week
    load: int
    """The sum of its sessions' loads (minutes × RPE)."""
    high_speed_m: int
    """Metres of high-speed running."""

    @property
    def start(self) -> dt.date:
        return self.week.start


def totals(doses: Iterable[SessionDose]) -> tuple[int, int]:
    """The load and the high-speed metres of some sessions (a dated week's, or a dosed week's)."""
    load = metres = 0
    for dose in doses:
        load += dose.load
        metres += high_speed_m(dose)
    return load, metres


RATIO_WEEKS = 4
"""The chronic window of the acute:chronic workload ratio: this week's load over the mean of the last four."""


def load_ratios(loads: Sequence[int]) -> list[float | None]:
    """Each week's acute:chronic workload ratio (its load ÷ the mean load of the four weeks ending
    with it; Gabbett 2016), from the fourth week on. Information only: the ratio is disputed
    (Lolli 2019; Impellizzeri 2020) and gates nothing."""
    ratios: list[float | None] = []
    for index, load in enumerate(loads):
        window = loads[max(0, index - RATIO_WEEKS + 1) : index + 1]
        mean = sum(window) / RATIO_WEEKS
        ratios.append(load / mean if index >= RATIO_WEEKS - 1 and mean else None)
    return ratios


def week_loads(plan: Plan) -> list[WeekLoad]:
    """Each week of the plan with its load and high-speed metres, in order."""
    return [WeekLoad(week, *totals(session.dose for session in week.sessions)) for week in plan.weeks]
