"""Plain-text wording shared by the pages, the feeds and the terminal plan."""

from __future__ import annotations

from builder.models import Dose, Monitoring, Program
from builder.plan import Plan, SessionDose

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


def plan_text(plan: Plan, *, brief: bool = False) -> str:
    """The plan as text for the terminal."""
    athlete = plan.athlete
    program = plan.graded.program
    lines = [
        f"{athlete.name}: {program.title} (version {program.version})",
        f"{athlete.injury.side.capitalize()} {program.injury}, grade {athlete.injury.grade}; "
        f"earliest dates {plan.start:%a %d %b %Y} to {plan.end:%a %d %b %Y}.",
        NOTICE,
        pain_limit_text(program.monitoring),
        "",
    ]
    for week in plan.weeks:
        template = week.template
        deload = ", deload" if template.deload else ""
        lines.append(
            f"Week {week.number} · {week.start:%a %d %b} to {week.end:%a %d %b %Y} · "
            f"{template.phase.title} {template.week_in_phase}/{template.phase_weeks}{deload} · load {week.load}"
        )
        for session in week.sessions:
            dose = session.dose
            kind = f"{dose.session.kind}, {dose.minutes} min, RPE {dose.session.rpe:g}"
            lines.append(f"  {session.date:%a %d %b}  {dose.session.title} ({kind})")
            if brief:
                continue
            for block in dose.blocks:
                for item in block.items:
                    amount = dose_text(item.dose)
                    lines.append(f"      {item.drill.name}" + (f": {amount}" if amount else ""))
        if week.check_in is not None:
            names = "; ".join(criterion.name for _, criterion in week.check_in.criteria) or "clinician review"
            lines.append(f"  {week.check_in.date:%a %d %b}  Check-in (earliest): {names}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
