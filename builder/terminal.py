"""The terminal's reports: what a recorded record changed, and where each athlete stands.

Each is a list of lines worded by `wording.py`; the command line only prints them.
"""

from __future__ import annotations

from builder import wording
from builder.changes import PlanChanges
from builder.status import Standing


def change_lines(changes: PlanChanges) -> list[str]:
    """What a record changed in the plan, a line per change."""
    lines = [] if changes.plan_changed else [wording.NO_CHANGE]
    if changes.paused_from is not None:
        lines.append(wording.paused_from_text(changes.paused_from))
    if changes.resumed_on is not None:
        lines.append(wording.resumed_on_text(changes.resumed_on))
    for phase in changes.phases:
        lines.append(
            wording.phase_change_text(phase.phase.number, phase.phase.title, phase.days_before, phase.days_after)
        )
    if changes.next_check_in is not None:
        before, after = changes.next_check_in.before, changes.next_check_in.after
        lines.append(
            wording.next_check_in_change_text(
                (before.phase.title, before.date) if before else None,
                (after.phase.title, after.date) if after else None,
            )
        )
    sessions = wording.sessions_change_text(len(changes.moved), changes.shift, len(changes.added), len(changes.removed))
    if sessions is not None:
        lines.append(sessions)
    if changes.end is not None:
        lines.append(wording.end_change_text(changes.end.before, changes.end.after))
    return lines


def standing_lines(standing: Standing) -> list[str]:
    """Where an athlete stands on the day of `sprintback status`, a line per fact."""
    plan, week = standing.plan, standing.week
    lines = []
    if standing.not_started:
        lines.append(wording.not_started_text(plan.start))
    elif week is not None:
        lines.append(
            wording.current_week_text(
                week.number,
                week.start,
                week.end,
                week.phase.title,
                week.dosed.week_in_phase,
                week.phase.weeks,
                week.repeat,
            )
        )
    elif standing.finished:
        lines.append(wording.finished_text(plan.end))
    elif standing.next_week is not None:
        coming = standing.next_week
        lines.append(
            wording.between_weeks_text(coming.start, coming.phase.title, coming.dosed.week_in_phase, coming.phase.weeks)
        )
    if standing.pause is not None:
        lines.append(wording.pause_status_text(standing.pause.start, standing.pause.end))
    for hold in standing.holds:
        lines.append(wording.hold_status_text(hold.start, hold.last, hold.entry.rule.id if hold.entry.rule else None))
    check_in = standing.check_in
    if check_in is not None and standing.check_in_state is not None:
        lines.append(
            wording.check_in_status_text(check_in.phase.title, check_in.date, standing.check_in_state, standing.today)
        )
    else:
        lines.append(wording.PAUSED_NO_CHECK_IN if plan.paused is not None else wording.NO_CHECK_IN_LEFT)
    pain = standing.last_pain
    lines.append(wording.last_pain_text(pain.pain, pain.when, pain.date) if pain is not None else wording.NO_PAIN)
    if standing.future:
        lines.append(wording.future_records_text(len(standing.future), min(record.date for record in standing.future)))
    return lines
