"""An athlete's plan as data: `sprintback plan --format json`, for other tools.

Keys come in a fixed order, dates as YYYY-MM-DD, a drill's dose with the fields the
program gives (after progression and deloads). Nothing here is worded: the names and
titles are the protocol's own.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from builder.linked import HomeDrill, Item
from builder.models import CheckInRecord, Dose, PainRecord
from builder.plan import BlockDose, CheckIn, Entry, Pause, Plan, ScheduledSession, Week
from builder.views import return_to_play, typical_return_days

FORMAT_VERSION = 1
"""Raised when a key is renamed or removed; added keys keep it."""
_DOSE_FIELDS = tuple(Dose.model_fields)
"""A dose's fields, in the format's order: sets, reps, distance_m, duration_s, ..."""


def plan_json(plan: Plan, *, hypothetical: bool = False) -> str:
    """The plan as JSON text, indented by two spaces."""
    return json.dumps(plan_data(plan, hypothetical=hypothetical), indent=2, ensure_ascii=False)


def plan_data(plan: Plan, *, hypothetical: bool = False) -> dict[str, Any]:
    """The plan as JSON-ready data: athlete, program, dates, and every week's sessions and check-in."""
    athlete = plan.athlete
    spec = plan.graded.program.spec
    injured = athlete.injury.date
    back = return_to_play(plan)
    typical = typical_return_days(plan)
    return {
        "format": FORMAT_VERSION,
        "athlete": {
            "id": plan.athlete_id,
            "name": athlete.name,
            "hypothetical": hypothetical,
            "side": athlete.injury.side,
            "injury_date": _day(injured),
            "timezone": athlete.timezone,
            "training_days": list(athlete.training_days),
            "session_time": athlete.session_time.strftime("%H:%M") if athlete.session_time is not None else None,
        },
        "program": {"id": spec.id, "title": spec.title, "version": spec.version, "injury": spec.injury},
        "grade": plan.graded.grade,
        "muscle": plan.graded.muscle,
        "start": _day(plan.start),
        "end": _day(plan.end),
        "return_to_play": _day(back),
        "typical_return": None
        if typical is None
        else {
            "days_after_injury": list(typical),
            "from": _day(injured + dt.timedelta(days=typical[0])) if injured is not None else None,
            "to": _day(injured + dt.timedelta(days=typical[1])) if injured is not None else None,
        },
        "weeks": [_week(week) for week in plan.weeks],
        "pauses": [_pause(pause) for pause in plan.pauses],
        "log": [_entry(entry) for entry in plan.entries],
    }


def _week(week: Week) -> dict[str, Any]:
    return {
        "number": week.number,
        "phase": {"id": week.phase.id, "title": week.phase.title, "number": week.phase.number},
        "week_in_phase": week.dosed.week_in_phase,
        "repeat": week.repeat,
        "start": _day(week.start),
        "end": _day(week.end),
        "deload": week.dosed.deload,
        "load": week.load,
        "sessions": [_session(session) for session in week.sessions],
        "check_in": _check_in(week.check_in) if week.check_in is not None else None,
        "home": [_home(home) for home in week.phase.linked.home],
    }


def _session(scheduled: ScheduledSession) -> dict[str, Any]:
    dose = scheduled.dose
    spec = dose.session.spec
    return {
        "date": _day(scheduled.date),
        "slot": scheduled.slot,
        "id": dose.session.id,
        "title": spec.title,
        "kind": spec.kind,
        "minutes": dose.minutes,
        "rpe": spec.rpe,
        "load": dose.load,
        "blocks": [_block(block) for block in dose.blocks],
    }


def _block(block: BlockDose) -> dict[str, Any]:
    spec = block.block.spec
    return {"name": spec.name, "note": spec.note, "items": [_item(item) for item in block.items]}


def _item(item: Item) -> dict[str, Any]:
    return {"drill": item.drill.id, "name": item.drill.name, "dose": _dose(item.dose)}


def _home(home: HomeDrill) -> dict[str, Any]:
    return {
        "drill": home.drill.id,
        "name": home.drill.name,
        "dose": _dose(home.spec),
        "times_a_day": home.spec.times_a_day,
        "every_days": home.spec.every_days,
    }


def _dose(dose: Dose) -> dict[str, Any]:
    """The fields of a dose the program gives; those left out are left out here too."""
    given = {name: getattr(dose, name) for name in _DOSE_FIELDS}
    return {name: value for name, value in given.items() if value is not None}


def _check_in(check_in: CheckIn) -> dict[str, Any]:
    return {
        "date": _day(check_in.date),
        "phase": {"id": check_in.phase.id, "title": check_in.phase.title},
        "next_phase": {"id": check_in.next_phase.id, "title": check_in.next_phase.title}
        if check_in.next_phase is not None
        else None,
        "criteria": [{"id": criterion.id, "name": criterion.spec.name} for criterion in check_in.criteria],
    }


def _pause(pause: Pause) -> dict[str, Any]:
    return {"start": _day(pause.start), "end": _day(pause.end)}


def _entry(entry: Entry) -> dict[str, Any]:
    record = entry.record
    kind = "check-in" if isinstance(record, CheckInRecord) else "pain" if isinstance(record, PainRecord) else "decision"
    return {
        "kind": kind,
        **record.model_dump(mode="json", exclude_none=True),
        "effect": entry.effect,
        "rule": entry.rule.id if entry.rule is not None else None,
    }


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
