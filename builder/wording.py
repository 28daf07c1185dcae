"""Every sentence Sprintback says: one home for the wording of pages, feeds and the terminal.

Pages, feeds and `sprintback plan` take their text from here, through the view models
of `views.py`, so the HTML and the plain text cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import functools

from builder.models import Deload, Dose, Monitoring, PainAction, Progression

NOTICE = (
    "This plan supports, and does not replace, your clinician. Dates are projections: "
    "the earliest each step can come, if every check-in is passed. Pain rules come first."
)
"""Said on every page and in every feed."""

ACTIONS: dict[PainAction, str] = {
    "stop": "stop",
    "regress": "step back",
    "hold": "hold progression",
    "call-clinician": "call your clinician",
}
"""What each monitoring rule's action tells the athlete to do."""

DELOAD = "deload week: lighter volume"
NO_CRITERIA = "Review the phase with your clinician."


def dose_text(dose: Dose) -> str:
    """`3 × 6 reps each side · 20 m · 60% of max speed · rest 90 s`."""
    volume = []
    if dose.sets is not None:
        volume.append(f"{dose.sets} ×")
    if dose.reps is not None:
        volume.append(f"{dose.reps} reps")
    if dose.distance_m is not None:
        volume.append(f"{dose.distance_m} m")
    if dose.duration_s is not None:
        volume.append(duration_text(dose.duration_s))
    if volume and dose.each_side:
        volume.append("each side")
    parts = [" ".join(volume)] if volume else []
    if dose.intensity_pct is not None:
        parts.append(f"{dose.intensity_pct}% of max speed")
    if dose.rpe is not None:
        parts.append(f"RPE {dose.rpe:g}")
    if dose.rest_s is not None:
        parts.append(f"rest {duration_text(dose.rest_s)}")
    return " · ".join(parts)


def duration_text(seconds: int) -> str:
    """`45 s`, `2 min`, `2 min 30 s`."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


@functools.lru_cache(maxsize=4096)
def day_text(day: dt.date) -> str:
    """`Mon 30 Nov 2026`."""
    return f"{day:%a %d %b %Y}"


@functools.lru_cache(maxsize=4096)
def short_day_text(day: dt.date) -> str:
    """`Mon 30 Nov`."""
    return f"{day:%a %d %b}"


def percent_text(share: float) -> str:
    """`60%` for 0.6."""
    return f"{share * 100:.0f}%"


def rpe_text(rpe: float) -> str:
    """`RPE 6.5`."""
    return f"RPE {rpe:g}"


def pain_limit_text(monitoring: Monitoring) -> str:
    """The pain allowed during and after a drill, said the same way everywhere."""
    return f"Pain allowed: up to {monitoring.allowed_pain}/10 ({monitoring.pain_scale})."


def session_facts(kind: str, minutes: int, rpe: float, load: int) -> str:
    """`acceleration · about 45 min · RPE 6 · load 270`."""
    return f"{kind} · about {minutes} min · {rpe_text(rpe)} · load {load}"


def week_title(number: int) -> str:
    return f"Week {number}"


def week_dates(start: dt.date, end: dt.date) -> str:
    return f"{day_text(start)} to {day_text(end)} (earliest)"


def week_place(phase: str, week_in_phase: int, weeks: int, load: int) -> str:
    """`Speed, week 1 of 3 · planned load 690`."""
    return f"{phase}, week {week_in_phase} of {weeks} · planned load {load}"


def event_title(session_title: str, week: int) -> str:
    """A session's calendar title."""
    return f"{session_title} (week {week})"


def check_in_title(phase: str) -> str:
    """A check-in's title, on pages and in calendars."""
    return f"Check-in: end of {phase} (earliest)"


def check_in_next(phase: str, next_phase: str) -> str:
    return (
        f"{next_phase} starts only when these pass; until then, stay in {phase}, "
        "and the later dates of the plan move back."
    )


def check_in_lead(phase: str) -> str:
    return f"Check-in at the end of {phase}. Test each criterion with your clinician:"


def milestones_text(milestones: tuple[str, ...]) -> str:
    return "Milestones to mark: " + "; ".join(milestones)


def version_text(title: str, version: str) -> str:
    """`Return to sprint after a calf strain, version 1.2.`"""
    return f"{title}, version {version}."


def athlete_plan_title(name: str, program_title: str) -> str:
    return f"{name}: {program_title}"


def injury_text(side: str, injury: str, grade: str) -> str:
    """`Left hamstring strain, grade 2`."""
    return f"{side.capitalize()} {injury} strain, grade {grade}"


def progression_text(step: Progression) -> str | None:
    """What each week of a phase adds: `10 m · 10 points of max speed, up to 90%`."""
    parts = []
    if step.sets:
        parts.append(f"{step.sets} set{'s' * (step.sets != 1)}")
    if step.reps:
        parts.append(f"{step.reps} rep{'s' * (step.reps != 1)}")
    if step.distance_m:
        parts.append(f"{step.distance_m} m")
    if step.duration_s:
        parts.append(duration_text(step.duration_s))
    if step.intensity_pct:
        parts.append(f"{step.intensity_pct} points of max speed, up to {step.max_intensity_pct}%")
    return " · ".join(parts) or None


def deload_text(deload: Deload) -> str:
    """`60% of the usual volume, every 4 weeks of the plan`."""
    every = f", every {deload.every} weeks of the plan" if deload.every else ""
    return f"{percent_text(deload.volume)} of the usual volume{every}"
