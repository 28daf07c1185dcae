"""Plain-text wording shared by the pages, the feeds and the terminal plan."""

from __future__ import annotations

from builder.models import Dose, Monitoring, Program
from builder.plan import SessionDose

NOTICE = (
    "This plan supports, and does not replace, your clinician. Dates are projections: "
    "the earliest each step can come, if every check-in is passed. Pain rules come first."
)
"""Said on every page and in every feed."""


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


def pain_limit_text(monitoring: Monitoring) -> str:
    """The pain allowed during and after a drill, said the same way everywhere."""
    return f"Pain allowed: up to {monitoring.allowed_pain}/10 ({monitoring.pain_scale})."


def session_text(dose: SessionDose, program: Program) -> str:
    """A session as plain text: blocks, drills with dose, cues and cautions, stop rules, the log."""
    monitoring = program.monitoring
    session = dose.session
    lines = [
        f"{session.title} ({session.kind}, about {dose.minutes} min, RPE {session.rpe:g}, "
        f"load {dose.load})" + (" - deload week, lighter volume" if dose.deload else ""),
        pain_limit_text(monitoring),
    ]
    if session.notes:
        lines += ["", session.notes]
    for block in dose.blocks:
        lines += ["", block.block.name.upper()]
        if block.block.note:
            lines.append(block.block.note)
        for item in block.items:
            amount = dose_text(item.dose)
            lines.append(f"- {item.drill.name}" + (f": {amount}" if amount else ""))
            if item.dose.note:
                lines.append(f"  {item.dose.note}")
            for cue in item.drill.cues:
                lines.append(f"  cue: {cue}")
            if program.injury in item.drill.cautions:
                lines.append(f"  caution: {item.drill.cautions[program.injury]}")
    if dose.rules:
        lines += ["", "STOP RULES"]
        lines += [f"- {rule.when}: {rule.advice}" for _, rule in dose.rules]
    if monitoring.log:
        lines += ["", "AFTER THE SESSION, WRITE DOWN"]
        lines += [f"- {entry}" for entry in monitoring.log]
    return "\n".join(lines)
