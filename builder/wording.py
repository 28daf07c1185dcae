"""Every sentence Sprintback says: one home for the wording of pages, feeds and the terminal.

Pages, feeds and `sprintback plan` take their text from here, through the view models
of `views.py`, so the HTML and the plain text cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from builder.models import (
    CheckInRecord,
    DecisionRecord,
    Deload,
    Dose,
    HomeItem,
    LogRecord,
    Monitoring,
    PainAction,
    PainRecord,
    Progression,
)

NOTICE = (
    "This plan supports, and does not replace, your clinician. Dates are projections: "
    "the earliest each step can come, if every check-in is passed. Pain rules come first."
)
"""Said on every page and in every feed."""
NOTICE_LABEL = "Please read"
"""The notice's lead, and the name of its place on the page for screen readers."""

ACTIONS: dict[PainAction, str] = {
    "stop": "stop",
    "regress": "step back",
    "hold": "hold progression",
    "step-back": "step back to last week's dose",
    "call-clinician": "call your clinician",
}
"""What each monitoring rule's action tells the athlete to do."""

DELOAD = "deload week: lighter volume"
NO_CRITERIA = "Review the phase with your clinician."


SIDES = {"injured": "injured side only", "other": "other side only"}
"""A dose done on one leg only."""


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
    if dose.side != "both":
        volume.append(f"({SIDES[dose.side]})")
    elif volume and dose.each_side:
        volume.append("each side")
    parts = [" ".join(volume)] if volume else []
    if dose.intensity_pct is not None:
        parts.append(f"{dose.intensity_pct}% of max speed")
    if dose.rpe is not None:
        parts.append(f"RPE {dose.rpe:g}")
    if dose.rest_s is not None:
        parts.append(f"rest {duration_text(dose.rest_s)}")
    return " · ".join(parts)


_TIMES = {1: "once a day", 2: "twice a day", 3: "three times a day", 4: "four times a day"}
_EVERY = {2: "every other day", 3: "every third day", 4: "every fourth day", 5: "every fifth day"}


def home_dose_text(item: HomeItem) -> str:
    """`3 × 12 reps · twice a day`; `2 × 6 reps · every other day`."""
    if item.every_days == 1:
        often = "every day" if item.times_a_day == 1 else _TIMES[item.times_a_day]
    else:
        every = _EVERY.get(item.every_days, f"every {item.every_days} days")
        often = every if item.times_a_day == 1 else f"{_TIMES[item.times_a_day]}, {every}"
    return " · ".join(part for part in (dose_text(item), often) if part)


HOME_TITLE = "Home exercises"
"""The calendar title of a week's home exercises (with the week's number)."""
HOME_LEAD = "At home, through this week, away from the sessions:"
CARD_HOME_MORE = "How to do each one is on your page."


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


def session_facts(minutes: int, rpe: float, load: int | None = None) -> str:
    """`about 45 min · RPE 6 · load 270` (a dosed session), or without the load (a session as written)."""
    return f"about {minutes} min · {rpe_text(rpe)}" + (f" · load {load}" if load is not None else "")


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


def injury_text(side: str, injury: str, grade: str, muscle: str | None = None) -> str:
    """`Left hamstring strain, grade 2`; `Right calf strain (soleus), grade 1`."""
    named = f" ({muscle})" if muscle is not None else ""
    return f"{side.capitalize()} {injury} strain{named}, grade {grade}"


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


# --- the athlete's log --------------------------------------------------------

PAUSED_TITLE = "Paused: see your clinician"
RESULTS = {"pass": "passed", "fail": "not passed", "not-done": "not done"}
DECISIONS = {
    "hold": "hold progression",
    "step-back": "step back to last week's dose",
    "pause": "pause all training",
    "resume": "resume training",
    "cleared": "cleared to return to play",
}
TIMINGS = {"during": "during the session", "after": "after the session", "next-morning": "the next morning"}


def paused_text(start: dt.date, end: dt.date | None) -> str:
    """What a pause means, in its calendar event and on the pages."""
    until = f" until {day_text(end)}" if end is not None else " until your clinician records that you can resume"
    return (
        f"No training from {day_text(start)}{until}. See your clinician; the plan goes on from the week "
        f"it stopped in once training resumes. {NOTICE}"
    )


def record_text(record: LogRecord, phase_title: str | None, names: Mapping[str, str] | None = None) -> str:
    """What was recorded: `Check-in (end of Short accelerations): not passed. Hop test: 1.62 m. By J. Doe.`

    `names` gives what the record's ids name (a check-in's criteria, a pain report's session
    and drill), so the record reads by name; an id without one is shown as it is.
    """
    named = names or {}
    if isinstance(record, CheckInRecord):
        parts = [f"Check-in (end of {phase_title or record.check_in}): {RESULTS[record.result]}."]
        parts += [f"{named.get(name, name)}: {value}." for name, value in record.values.items()]
    elif isinstance(record, PainRecord):
        about = " · ".join(named.get(part, part) for part in (record.session, record.drill) if part)
        parts = [f"Pain {record.pain}/10 {TIMINGS[record.when]}" + (f" ({about})" if about else "") + "."]
    else:
        assert isinstance(record, DecisionRecord)
        days = f" for {record.days} days" if record.days else ""
        parts = [f"Clinician's decision: {DECISIONS[record.decision]}{days}."]
    by = getattr(record, "by", None)
    if by:
        parts.append(f"By {by}.")
    if record.note:
        parts.append(record.note if record.note.endswith((".", "!", "?")) else f"{record.note}.")
    return " ".join(parts)


def log_event_title(record: LogRecord) -> str:
    """A record's title in the staff's calendars (after the athlete's name)."""
    if isinstance(record, CheckInRecord):
        return f"check-in {RESULTS[record.result]}"
    if isinstance(record, PainRecord):
        return f"pain {record.pain}/10 {TIMINGS[record.when]}"
    assert isinstance(record, DecisionRecord)
    return f"clinician: {DECISIONS[record.decision]}"


def effect_text(effect: str, phase_title: str | None, rule: str | None, days: int) -> str:
    """What a record did to the plan."""
    because = f" (rule: {rule})" if rule else ""
    texts = {
        "none": "Noted; the plan goes on as it was" + because + ".",
        "kept": "The next phase starts as planned.",
        "early": "Passed early: the next phase starts with the next week, and later dates move earlier.",
        "repeat-week": f"The last week of {phase_title} is done again, then the check-in comes again; "
        "every later date moves back.",
        "repeat-phase": f"{phase_title} is done again from its first week; every later date moves back.",
        "step-back-phase": f"Back to the last week of {phase_title}, then the phase after it again; "
        "every later date moves back.",
        "hold": f"Progression held for {days} days{because}: the current dose again, no step up.",
        "step-back": f"Back to last week's dose{because}.",
        "pause": f"All training paused{because}: see your clinician.",
        "resume": "Training resumes with the week that was interrupted.",
        "cleared": "Cleared to return to play: the rehab phases end here.",
    }
    return texts[effect]


def moved_text(was: dt.date) -> str:
    """Beside a date that moved: `was Sun 20 Dec`."""
    return f"was {short_day_text(was)}"


def days_after_injury_text(days: int) -> str:
    return f"day {days} after injury"


def typical_return_text(low: int, high: int, first: dt.date, last: dt.date, muscle: str | None = None) -> str:
    """The evidence beside the projection: the grade's range, or the injured muscle's."""
    which = f"after a {muscle} strain" if muscle is not None else "at this grade"
    return f"Typical return to play {which}: {low} to {high} days after injury ({day_text(first)} to {day_text(last)})."


# --- pages: history and where the athlete stands --------------------------------

STANDING_TITLE = "Where you stand"
HISTORY_TITLE = "History"
HISTORY_LEAD = "What was recorded in your log, oldest first, and what it did to the plan."
PAST_WEEK = "past"
"""The badge of a week that lies before the last record: history, not a projection."""
PLAN_COMPLETE = "The plan is complete."
NO_CHECK_IN_LEFT = "No check-in left in the plan."
PAUSED_NO_CHECK_IN = "No check-in until training resumes."
PAUSED_END = "not known until training resumes"
"""The plan's end while a pause is in force."""
OVERDUE = "overdue"
"""Beside a check-in whose day has passed with no result recorded (the staff page's script shows it)."""


def as_of_text(last_record: dt.date | None, start: dt.date) -> str:
    """What the standing is reckoned from: the last record of the log, or the plan's start."""
    if last_record is None:
        return f"From the plan's start, {day_text(start)}: nothing recorded yet."
    return f"As of {day_text(last_record)}, the day of the last record in the log."


def repeat_text(repeat: int) -> str | None:
    """`done again` for a week done a second time (more: `done again, 3rd time`); None the first time."""
    if repeat == 0:
        return None
    if repeat == 1:
        return "done again"
    times = repeat + 1
    suffix = "th" if times % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(times % 10, "th")
    return f"done again, {times}{suffix} time"


def standing_place(phase: str, week_in_phase: int, weeks: int, repeat: int) -> str:
    """`Short accelerations, week 1 of 1, done again`."""
    again = repeat_text(repeat)
    return f"{phase}, week {week_in_phase} of {weeks}" + (f", {again}" if again else "")


def standing_week(number: int, start: dt.date, end: dt.date) -> str:
    """`Week 6 of the plan: Tue 29 Dec 2026 to Mon 04 Jan 2027`."""
    return f"{week_title(number)} of the plan: {day_text(start)} to {day_text(end)}"


def next_check_in_text(phase: str, day: dt.date, moved: str | None) -> str:
    """`Next check-in: end of Short accelerations, Mon 04 Jan 2027 (was Sun 20 Dec).`"""
    was = f" ({moved})" if moved else ""
    return f"Next check-in: end of {phase}, {day_text(day)}{was}."


def hold_text(until: dt.date) -> str:
    """A hold in force."""
    return f"Progression held until {day_text(until)}: the current dose again, no step up."


def paused_since_text(start: dt.date) -> str:
    """A pause in force, in a word, for the staff page."""
    return f"{PAUSED_TITLE} (no training since {day_text(start)})."


def pain_line_text(day: dt.date, recorded: str) -> str:
    return f"{day_text(day)}: {recorded}"


def past_week_dates(start: dt.date, end: dt.date) -> str:
    """A past week's dates: they happened, so they are not `earliest`."""
    return f"{day_text(start)} to {day_text(end)}"


def week_cut_text(end: dt.date) -> str:
    """Beside a week that a record ended before its seventh day."""
    return f"Ended early on {day_text(end)}: a record changed the plan."


def record_line_text(day: dt.date, recorded: str, effect: str) -> str:
    """A record as one line: `Sun 20 Dec 2026: Check-in (...): not passed. The last week ... moves back.`"""
    return f"{day_text(day)}: {recorded} {effect}"


def start_after_injury_text(start: dt.date, days: int) -> str:
    """`Plan start, Mon 30 Nov 2026: day 20 after injury.`"""
    return f"Plan start, {day_text(start)}: {days_after_injury_text(days)}."


def return_to_play_text(day: dt.date, days: int, moved: str | None) -> str:
    """`Projected return to play, Sun 17 Jan 2027 (was Sun 10 Jan): day 68 after injury.`"""
    was = f" ({moved})" if moved else ""
    return f"Projected return to play, {day_text(day)}{was}: {days_after_injury_text(days)}."


# --- the terminal: the record and status commands -------------------------------


def log_header(name: str) -> str:
    """The first line of a log file that `sprintback checkin`, `pain` or `decide` creates."""
    return f"# {name}'s log: check-ins, pain reports and clinician decisions, oldest first."


RESULT_FLAGS = "give one of --pass, --fail or --not-done"
REFUSED_BY_LOG = "The log does not accept this record, so it was not added:"
NO_CHANGE = "No change to the plan."


HYPOTHETICAL_NAME = "Hypothetical athlete"
"""The name `sprintback plan --injury ...` gives the athlete its options describe."""
PLAN_WHOM = "give ATHLETE (an id in the roster), or a hypothetical athlete's --injury, --grade, --start and --days"
BRIEF_IS_TEXT = "--brief shortens the text; --format json always holds the whole plan"


def plan_both_text(options: list[str]) -> str:
    """`plan ATHLETE` with a hypothetical athlete's options as well."""
    return f"give ATHLETE or a hypothetical athlete's options ({', '.join(options)}), not both"


def hypothetical_needs_text(missing: list[str]) -> str:
    """A hypothetical athlete without every option a plan needs."""
    return f"a hypothetical athlete needs {', '.join(missing)} too (--injury, --grade, --start and --days)"


def unknown_athlete_text(athlete: str, known: list[str]) -> str:
    return f"no athlete {athlete!r} in the roster; athletes: {', '.join(known) or 'none'}"


def bad_date_text(option: str, given: str) -> str:
    return f"{option}: expected a date as YYYY-MM-DD, got {given!r}"


def bad_score_text(given: str) -> str:
    return f"SCORE: expected a whole number from 0 to 10, got {given!r}"


def bad_value_text(given: str) -> str:
    return f"--value: expected NAME=VALUE (a criterion id, an equals sign, what was measured), got {given!r}"


def unknown_criterion_text(name: str, phase_id: str, known: list[str]) -> str:
    return f"--value: no criterion {name!r} in check-in {phase_id!r}; its criteria: {', '.join(known) or 'none'}"


def no_check_in_text(name: str) -> str:
    return f"{name}'s plan has no check-in left to record a result for."


def cannot_append_text(file: str, why: str) -> str:
    """A log whose layout leaves no safe place for a new record: the file is not touched."""
    return f"{file}: cannot add the record safely: {why}. Nothing was written; add it by hand."


LOG_NOT_A_LIST = "expected the file to end with its `records:` list, written as a block list (`- date: ...` items)"
LOG_UNREADABLE = "the file is not valid YAML"
LOG_READ_BACK = "read back after adding it, the file did not hold the same records plus the new one"


def recorded_text(file: str, day: dt.date, what: str) -> str:
    """`Recorded in log/maya-okafor.yaml for Sun 27 Dec 2026: Check-in (end of ...): not passed.`"""
    return f"Recorded in {file} for {day_text(day)}: {what}"


def length_text(days: int) -> str:
    """`one week`, `2 weeks`, `one day`, `10 days`."""
    if days % 7 == 0:
        weeks = days // 7
        return "one week" if weeks == 1 else f"{weeks} weeks"
    return "one day" if days == 1 else f"{days} days"


def phase_change_text(number: int, title: str, days_before: int, days_after: int) -> str:
    """`Phase 2, Short accelerations: extended by one week.`"""
    phase = f"Phase {number}, {title}"
    if not days_after:
        return f"{phase}: left out of the plan."
    if not days_before:
        return f"{phase}: now in the plan ({length_text(days_after)})."
    if days_after > days_before:
        return f"{phase}: extended by {length_text(days_after - days_before)}."
    return f"{phase}: shortened by {length_text(days_before - days_after)}."


def next_check_in_change_text(before: tuple[str, dt.date] | None, after: tuple[str, dt.date] | None) -> str:
    """The next check-in's new and old place: each a phase title and a day, or None for none left."""
    if after is None:
        assert before is not None
        return f"No check-in left ({moved_text(before[1])}, end of {before[0]})."
    now = f"Next check-in: end of {after[0]}, {short_day_text(after[1])}"
    if before is None:
        return f"{now} (there was none left)."
    if before[0] == after[0]:
        return f"{now} ({moved_text(before[1])})."
    return f"{now}."  # the check-in before it has its result: nothing moved


def sessions_change_text(moved: int, shift: int | None, added: int, removed: int) -> str | None:
    """`28 sessions moved one week later; 4 sessions added.`"""

    def sessions(count: int) -> str:
        return f"{count} session{'s' * (count != 1)}"

    parts = []
    if moved:
        way = "later" if shift is not None and shift > 0 else "earlier"
        parts.append(f"{sessions(moved)} moved" + (f" {length_text(abs(shift))} {way}" if shift else ""))
    if added:
        parts.append(f"{sessions(added)} added")
    if removed:
        parts.append(f"{sessions(removed)} taken off the calendar")
    return "; ".join(parts) + "." if parts else None


def end_change_text(before: dt.date, after: dt.date) -> str:
    return f"Projected end: {day_text(after)} (was {day_text(before)})."


def paused_from_text(start: dt.date) -> str:
    return f"Paused from {day_text(start)}: no training until a resume is recorded."


def resumed_on_text(day: dt.date) -> str:
    return f"Training resumes on {day_text(day)}."


def squad_heading(today: dt.date, athletes: int) -> str:
    """The first line of `sprintback status`."""
    return f"Squad on {day_text(today)}: {athletes} athlete{'s' * (athletes != 1)}."


def athlete_heading(name: str, athlete_id: str) -> str:
    return f"{name} ({athlete_id})"


def not_started_text(start: dt.date) -> str:
    return f"Starts on {day_text(start)}."


def between_weeks_text(start: dt.date, phase: str, week_in_phase: int, weeks: int) -> str:
    """Today falls between two weeks of the plan (a record ended a week early)."""
    return f"Between weeks: the next starts on {day_text(start)}, {phase}, week {week_in_phase} of {weeks}."


def finished_text(end: dt.date) -> str:
    return f"The plan ended on {day_text(end)}."


def current_week_text(
    number: int, start: dt.date, end: dt.date, phase: str, week_in_phase: int, weeks: int, repeat: int
) -> str:
    """`Week 4 of the plan, Mon 21 Dec 2026 to Sun 27 Dec 2026: Short accelerations, week 1 of 1, done again.`"""
    again = f", {repeat_text(repeat)}" if repeat else ""
    dates = f"{day_text(start)} to {day_text(end)}"
    return f"Week {number} of the plan, {dates}: {phase}, week {week_in_phase} of {weeks}{again}."


def check_in_status_text(phase: str, day: dt.date, state: str, today: dt.date) -> str:
    """The next check-in: due today, overdue (its day passed with no result recorded), or to come."""
    if state == "due":
        return f"Check-in due today: end of {phase}."
    if state == "overdue":
        return f"Check-in overdue: end of {phase} was due {day_text(day)}; no result recorded."
    days = (day - today).days
    when = "tomorrow" if days == 1 else f"in {length_text(days)}"
    return f"Next check-in: end of {phase}, {day_text(day)} ({when})."


NO_PAIN = "No pain reported."


def last_pain_text(pain: int, when: str, day: dt.date) -> str:
    """`Last pain report: 4/10 the next morning, Tue 15 Dec 2026.`"""
    return f"Last pain report: {pain}/10 {TIMINGS[when]}, {day_text(day)}."


def hold_status_text(start: dt.date, last: dt.date, rule: str | None) -> str:
    because = f" (rule: {rule})" if rule else ""
    return f"Hold in force{because}: the same dose, no step up, from {day_text(start)} to {day_text(last)}."


def pause_status_text(start: dt.date, end: dt.date | None) -> str:
    if end is None:
        return f"Paused since {day_text(start)}: no training until a resume is recorded."
    return f"Paused from {day_text(start)}; training resumes on {day_text(end)}."


def future_records_text(count: int, first: dt.date) -> str:
    """Records dated after today: most likely a slip in the date."""
    records = "1 record is" if count == 1 else f"{count} records are"
    return f"In the future: {records} dated after today, from {day_text(first)}; check the date{'s' * (count != 1)}."


# --- calendar event cards -------------------------------------------------------

CARD_NOTICE = "Supports, does not replace, your clinician. Dates are projections. Pain rules come first."
"""NOTICE in a line, for the top of a calendar event (Google cuts long descriptions; phones show the start)."""
CAUTIONS_LEAD = "Take care with these drills in this phase:"


def routine_again_text(names: list[str]) -> str | None:
    """`As before, every session starts and ends with: Standard warm-up; Cool-down.`"""
    return f"As before, every session starts and ends with: {'; '.join(names)}." if names else None


ROUTINE_LEAD = "Every session of this phase starts and ends with these (the same each time):"
SESSION_NOTES_LEAD = "What the sessions of this phase are for:"
FULL_SESSION = "The whole session: warm-up, cues and stop rules"
TODAY_TITLE = "Today and this week"
TODAY_NEXT = "Next session"
TODAY_CHECK_IN = "Next check-in"
TODAY_WEEK = "This week"
TODAY_DONE = "Your plan's dates have all passed: see the last week below, and your clinician."
TODAY_NOT_STARTED = "Your plan has not started yet. It starts on"
THIS_WEEK = "this week"
TODAY_FALLBACK = "Your plan week by week is below, from week 1."
PROGRESS_TITLE = "Your phases"
PLAN_JUMP = "Go to week 1"
CALENDAR_JUMP = "Put the plan in your phone's calendar"
GRADES_TABLE = "Least weeks in each phase, by grade"
"""The program page's grades table, named for screen readers (it scrolls sideways on a phone)."""
"""The athlete page's "today" panel: a script fills it from the viewer's date (the build has no clock)."""
CARD_MORE = "The warm-up, the cues and the stop rules are on your page."
CARD_CHECK_IN_MORE = "How to run each test is on your page."


def card_link_text(link: str) -> str:
    """The first line of an event: where the whole session is."""
    return f"On your page: {link}"


def card_facts_text(minutes: int, rpe: float, deload: bool) -> str:
    """`About 35 min, RPE 4.` with the deload, if the week is one."""
    return f"About {minutes} min, {rpe_text(rpe)}" + (f"; {DELOAD}." if deload else ".")


def card_pain_text(monitoring: Monitoring) -> str:
    """The pain allowed, in a line."""
    return f"Pain allowed: up to {monitoring.allowed_pain}/10. More than that: stop, and follow the stop rules."


def card_criterion_text(name: str, passes: str) -> str:
    """`25 single-leg calf raises: passes with at least 25 ...`."""
    return f"{name}. Passes: {passes}"


# --- secrets and new addresses

WITH_STRICT = "with --strict"
"""Why a build may not make a new key: the coach asked for a strict build."""


def in_ci_text(variable: str, value: str) -> str:
    """Why a build may not make a new key: `in CI (CI=true)`."""
    return f"in CI ({variable}={value})"


def no_key_text(why: str, variable: str, file: str) -> str:
    """A build in CI (or with --strict) that found no key: it stops rather than make one."""
    return (
        f"no key for private addresses: {variable} is not set and there is no {file} beside the project file. "
        f"A new key would move every athlete's page and feed to a new address, and calendars subscribed to the "
        f"old ones would stop updating, so {why} a build makes none; nothing was written. "
        f"Put the key the site is built with (the line in {file} on the machine that built it so far) in your "
        f"CI platform's secret store as {variable} and pass it to the build: on GitHub Actions "
        f"`env: {variable}: ${{{{ secrets.{variable} }}}}`, on GitLab CI a masked CI/CD variable {variable}. "
        "A site never built yet: build it once on your own machine, which makes the key."
    )


ROTATE_WHAT = "name the athletes to give new addresses, or --staff for the staff page, not both"


def no_key_yet_text(file: str, variable: str) -> str:
    """`links` or `rotate` where no build has made the key yet: the addresses would be of no site."""
    return (
        f"no key for private addresses yet: build once (it saves a new key in {file}), "
        f"or set {variable} to the key your site is built with"
    )


def cannot_rotate_text(file: str, reason: str) -> str:
    """The project file's layout leaves no safe place to raise a link key: it is left as it was."""
    return f"{file} was left as it was: {reason}; raise the key by one by hand, then build"


def key_at_limit_text(where: str, limit: int) -> str:
    return f"{where} is already {limit:,}, the highest it can be"


ROSTER_UNREADABLE = "it cannot be read as YAML"
ROSTER_NOT_BLOCK = "expected {where} as a block of `key: value` lines, one a line"
ROSTER_NOT_WHOLE = "expected {where} to be a plain whole number"
ROSTER_READ_BACK = "the edit would have changed more than {where}"


def rotated_text(file: str, where: str, old: int, new: int) -> str:
    """`sprintback.yaml: athletes.maya-okafor.link_key 0 -> 1.`"""
    return f"{file}: {where} {old} -> {new}."


def send_athlete_text(name: str) -> str:
    """What to tell an athlete whose addresses were rotated."""
    return (
        f'Send {name} the new addresses above, with: "Your rehab plan has a new private address. '
        "Open the new page, and subscribe to the new calendar feed again (then remove the old calendar): "
        'the old address stops updating after the next build."'
    )


SEND_STAFF = (
    "Send the staff the new staff page above: they subscribe to the new team and upcoming feeds again "
    "(and remove the old calendars); the old addresses stop updating after the next build."
)
BUILD_AND_PUBLISH = (
    "Now build and publish the site (sprintback build, then your usual publish step): "
    "until then the new addresses do not exist and the old ones are still served."
)


def card_caution_text(caution: str) -> str:
    """A drill's caution for the injury, after its dose."""
    return f"Caution: {caution}"


# --- subscribing

SUBSCRIBE_BUTTON = "Subscribe on this phone"
GOOGLE_BUTTON = "Add to Google Calendar"
FEED_ADDRESS_LABEL = "Calendar address (for apps that ask for one):"
COPY_BUTTON = "Copy the address"
COPIED = "Copied."
COPY_FAILED = "Select the address and copy it."
DOWNLOAD_BUTTON = "Download the calendar (.ics)"
SNAPSHOT = "The download is a one-off snapshot: it will not update when the plan changes. Subscribe to keep it current."
NO_SUBSCRIBE = (
    "Subscribing needs the address the site is published at, and this site has none yet (site.base_url in "
    "sprintback.yaml): ask your staff, and until then download the calendar."
)
BUSY_FEED = "For a work or family calendar: the same times, titled only “Training” or “Check-in”, with no health data."
BUSY_FEED_LINK = "Busy-only calendar"
GOOGLE_ADD = "https://calendar.google.com/calendar/r?cid="
"""Google Calendar's "add by URL" link; the `webcal://` address follows, URL-encoded."""


def calendar_apps_text(refresh_hours: int) -> tuple[tuple[str, str, str], ...]:
    """How to subscribe in each calendar app, in two lines: adding the feed; refresh and notifications."""
    asks = f"this calendar asks for a refresh every {refresh_hours} hours"
    return (
        (
            "iPhone and iPad",
            "Tap Subscribe on this phone, then Subscribe; or paste the address in Settings › Calendar › Accounts › "
            "Add Account › Other › Add Subscribed Calendar.",
            f"Changes arrive as often as Settings › Calendar › Accounts › Fetch New Data allows ({asks}). "
            "For notifications, turn off Remove Alerts in the calendar's settings and allow Calendar notifications.",
        ),
        (
            "Android and Google Calendar",
            "Tap Add to Google Calendar (or, on calendar.google.com, Other calendars › + › From URL, and paste the "
            "address); then in the Google Calendar app turn on Sync for the new calendar.",
            "Google refreshes subscribed calendars on its own schedule: a change can take up to a day to show. "
            "For notifications, add a default notification in the app's settings for the calendar.",
        ),
        (
            "Outlook",
            "Outlook on the web or Outlook.com: Add calendar › Subscribe from web, paste the address; "
            "Outlook for Windows or Mac: Add Calendar › From Internet.",
            f"Outlook refreshes on its own schedule, often every few hours ({asks}). "
            "For notifications, turn on reminders for the calendar in its settings.",
        ),
        (
            "Thunderbird",
            "Calendar › New Calendar › On the Network, paste the address, and choose a name.",
            f"Refreshes as set under Refresh Calendar in the calendar's properties ({asks}). "
            "For notifications, tick Show Reminders in the calendar's properties.",
        ),
    )


# --- busy-only and moved calendars --------------------------------------------

BUSY_SESSION = "Training"
BUSY_CHECK_IN = "Check-in"
BUSY_DESCRIPTION = "Busy times only: training sessions and check-ins."
MOVED_TITLE = "This calendar has moved"
MOVED_TEXT = (
    "This calendar has moved to a new private address and is no longer updated. "
    "Ask your staff for the new address, subscribe to it, then remove this calendar."
)
"""The one event of a retired address's feed in its grace period (athlete.old_link_keys)."""


# --- staff feeds and session times ------------------------------------------------


def timing_text(session_time: dt.time | None, timezone: str) -> str:
    """When the athlete's sessions are, as the calendar section says it."""
    if session_time is None:
        return "Sessions are all-day events; do them when you feel ready."
    return f"Sessions start at {session_time:%H:%M} ({timezone})."


STAFF_SESSION_DESCRIPTION = f"Session details are on the athlete's page (the event's link). {NOTICE}"


def team_calendar_description(title: str) -> str:
    return (
        f"Every athlete's plan on {title}. Check-ins, pauses, and what the logs record: check-in results, "
        f"clinicians' decisions, pain reports that changed a plan. Each athlete's sessions are in the "
        f"athlete's feed for staff. {NOTICE}"
    )


def _weeks(weeks: int) -> str:
    return f"{weeks} week{'s' * (weeks != 1)}"


def upcoming_calendar_name(title: str, weeks: int) -> str:
    return f"{title}: next {_weeks(weeks)}"


GRADE_PAGES_LEAD = "Each grade links to its plan week by week, every session with its doses."
WEEK_BY_WEEK_GRADES = "Week by week at grade:"
GRADE_PAGE_LEAD = (
    "Every week of this grade's plan as the protocol doses it, for an athlete who passes each check-in on "
    "time; each session links to its page with every drill and dose. An athlete's own dates are on their page."
)


def grade_check_in_text(criteria: list[str]) -> str:
    """`Check-in at the end of the week: Pain-free range; Single-leg squat.`"""
    return f"Check-in at the end of the week: {'; '.join(criteria)}."


def grade_page_title(program: str, grade: str, muscle: str | None) -> str:
    """`Grade 2, soleus: week by week · Return to sprint after a calf strain`."""
    which = f"Grade {grade}" + (f", {muscle}" if muscle else "")
    return f"{which}: week by week · {program}"


def variant_changes_text(sessions: list[str], criteria: list[str], pain: int | None) -> str | None:
    """What a grade or muscle does its own way: `Its own way: Lengthening. Also tests: Palpation.`"""
    parts = []
    if sessions:
        parts.append(f"Its own way: {', '.join(sessions)}.")
    if criteria:
        parts.append(f"Also tests: {', '.join(criteria)}.")
    if pain is not None:
        parts.append(f"Pain allowed: up to {pain}/10.")
    return " ".join(parts) or None


def grading_text(system: str | None, grades: tuple[str, ...]) -> str:
    """What the program's grades are: `Grades follow the British Athletics ... : 0, 1, 2, 2c.`"""
    listed = ", ".join(grades)
    return f"Grades follow the {system}: {listed}." if system else f"Grades: {listed}."


def staff_feeds_text(weeks: int) -> str:
    """What the staff page says of the staff's feeds."""
    return (
        "The team calendar holds every athlete's check-ins and pauses, and what the logs record. The upcoming "
        f"calendar holds every athlete's sessions, check-ins, pauses and records for {_weeks(weeks)} from the "
        "day the site was built, "
        "and moves on with each build. Each athlete's sessions are in their own staff calendar (staff .ics, below)."
    )


def upcoming_calendar_description(title: str, weeks: int, first: dt.date) -> str:
    return (
        f"Every athlete's sessions, check-ins and pauses on {title} for {_weeks(weeks)} from {day_text(first)}, "
        f"the day the site was built; it moves on with each build. {NOTICE}"
    )


def staff_page_text(name: str, link: str | None) -> str:
    """The first line of a staff event's description: the athlete's page (Google and Outlook show no URL)."""
    return f"{name}'s page: {link}" if link else f"Details are on {name}'s page."


# --- load charts ------------------------------------------------------------------

CHART_TITLE = "Planned load and high-speed running, week by week"
CHART_LOAD_AXIS = "Load, min × RPE"
CHART_HIGH_SPEED_AXIS = "High-speed m"
CHART_WEEK_AXIS = "Week"
CHART_DELOAD_KEY = "deload week (hatched bar)"
CHART_CHECK_IN_KEY = "check-in (diamond)"
CHART_PHASES_KEY = "Phases, numbered at the top of the chart:"
CHART_NUMBERS = "The chart's numbers, week by week"
CHART_WEEK_COLUMN = "Week"
CHART_DATES_COLUMN = "Dates"
CHART_LOAD_COLUMN = "Load (min × RPE)"
CHART_HIGH_SPEED_COLUMN = "High-speed m"
CHART_MARKS_COLUMN = "Deload, check-in"
CHART_RATIO_COLUMN = "Load ratio"
CHART_RATIO_NOTE = (
    "Load ratio: the week's load over the average of the four weeks ending with it (the acute:chronic "
    "workload ratio). Shown for information only: its danger zones are disputed, and it decides nothing here."
)
GRADE_CHARTS_LEAD = (
    "Each grade's weeks as planned: the load of each week and the metres run at high speed, "
    "the earliest each can come if every check-in is passed."
)


def grade_heading(grade: str) -> str:
    return f"Grade {grade}"


def grade_chart_title(grade: str) -> str:
    return f"Grade {grade}: planned load and high-speed running, week by week"


def chart_dates_text(start: dt.date, end: dt.date) -> str:
    """`30 Nov to 6 Dec`, `7 to 13 Dec`: a week in the chart's table, short enough for a phone."""
    # No-break spaces: a narrow column wraps the dates at "to", never inside a day.
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {end.day}\u00a0{end:%b}"
    return f"{start.day}\u00a0{start:%b} to {end.day}\u00a0{end:%b}"


def chart_phase_text(number: int, title: str) -> str:
    return f"Phase {number}: {title}"


def chart_ratio_text(ratio: float | None) -> str:
    """`1.12`, or a dash before the fourth week."""
    return f"{ratio:.2f}" if ratio is not None else "–"


def chart_marks_text(deload: bool, check_in: bool) -> str:
    """`deload, check-in`: what marks a week in the chart's table."""
    return ", ".join(mark for mark, marked in (("deload", deload), ("check-in", check_in)) if marked)


def _week_list(weeks: list[int]) -> str:
    """`week 4`, `weeks 2, 3 and 10`."""
    if len(weeks) == 1:
        return f"week {weeks[0]}"
    return f"weeks {', '.join(map(str, weeks[:-1]))} and {weeks[-1]}"


def chart_description(load_top: int, metres_top: int, percent: int, deloads: list[int], check_ins: list[int]) -> str:
    """What a load chart shows, in words, for those who cannot see it."""
    parts = [
        f"Bars: planned load of each week (minutes × RPE), left scale 0 to {load_top}.",
        f"Line: metres run at {percent}% of maximal speed or faster, right scale 0 to {metres_top}.",
    ]
    if deloads:
        parts.append(f"Deloads (hatched): {_week_list(deloads)}.")
    if check_ins:
        parts.append(f"Check-ins (diamonds): {_week_list(check_ins)}.")
    parts.append("The table below gives every number.")
    return " ".join(parts)


# --- `sprintback serve`: the live preview ---------------------------------------

PREVIEW_KEPT = "The preview keeps showing the last site that built; fix the problems above and save."
PREVIEW_NOTHING_YET = (
    "The site does not build yet, so the preview has nothing to show; fix the problems above and save."
)
PREVIEW_STOPPED = "Stopped the preview."
PREVIEW_ERRORS_HEADING = (
    "Sprintback preview: the latest edit does not build. This is the last site that did; fix these and save:"
)
PREVIEW_NO_SITE_HEADING = "Sprintback preview: the site does not build yet. Fix these and save:"
PREVIEW_NOT_FOUND_TEXT = "There is no page at this address in the preview."


def preview_serving_text(title: str, address: str) -> str:
    return f"Serving a preview of {title} at {address} (Ctrl-C stops it)."


def preview_watching_text(inputs: list[str]) -> str:
    return (
        f"Rebuilding on every change to {', '.join(inputs)}. The preview is built in a temporary folder: "
        "the site folder and feeds.lock stay as they are."
    )


def preview_built_text(files: int, seconds: float, changed: list[str]) -> str:
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    why = f" ({shown} changed)" if changed else ""
    return f"Built the preview{why}: {files} files in {seconds:.1f} s."


def preview_moved_text(address: str) -> str:
    return f"base_url changed: the preview is now at {address}"


def preview_key_text(secret_file: str) -> str:
    return (
        f"No key for private addresses yet ({secret_file}): the preview uses one of its own until it stops, "
        "so its private folders are not the published site's. `sprintback build` makes and saves the key."
    )


def preview_network_text(host: str) -> str:
    return (
        f"warning: the preview listens on {host}: anyone on this network can open it, athletes' private pages "
        "included. Use it only on a network you trust, and stop it when you are done."
    )


def preview_cannot_listen_text(host: str, port: int, reason: str) -> str:
    return f"cannot serve the preview on {host}:{port}: {reason}; choose another --port (0 takes any free one)"


# --- `sprintback init`: a new project ------------------------------------------

STARTER_PROJECT = """\
# yaml-language-server: $schema=site/schema/project.json
# The Sprintback project file: site settings and the roster; Sprintback's README names every key.
# `sprintback build` writes the site to site/; `sprintback links` prints the private addresses.

site:
  title: Our Club · Return to Sprint
  # Where the site is published; needed for webcal:// links and links in calendar events:
  # base_url: https://club.example/rehab/
  athletes_public: false      # athlete pages hold health data: unlisted by default

athletes:
  # An example, to see a whole plan at once: put your own athletes in its place.
  example-athlete:
    name: Example Athlete
    injury: {type: hamstring, grade: 2, side: left, date: 2026-01-05}
    start: 2026-01-12           # a Monday; week 1 starts this day
    timezone: Europe/London
    training_days: [mon, wed, fri, sat]
    session_time: "17:30"       # leave out for all-day events
"""
"""The project file `sprintback init` writes: one made-up athlete on the hamstring protocol, fixed dates."""

STARTER_GITIGNORE = """\
# Sprintback: the built site, and the key behind private addresses (keep it, but never publish it).
/site/
.sprintback-secret
.sprintback-staging/
"""


def starter_written_text(folder: str, files: list[str], drills: int, drills_folder: str) -> str:
    """What `sprintback init` wrote, in one sentence."""
    named = [*files, f"{drills} drills in {drills_folder}"]
    return f"Wrote {', '.join(named[:-1])} and {named[-1]} into {folder}."


def starter_next_text(folder: str | None) -> str:
    """The command to run next: in the new project's folder."""
    return f"Next: cd {folder} && sprintback build" if folder else "Next: sprintback build"


def starter_templates_text(shipped: str) -> str:
    return (
        f"The site's templates come with Sprintback, in {shipped}. To change one, copy it into a templates/ "
        "folder here and edit the copy: each file there replaces Sprintback's own of the same name."
    )


def starter_exists_text(folder: str, existing: list[str]) -> str:
    shown = ", ".join(existing[:10]) + (f" and {len(existing) - 10} more" if len(existing) > 10 else "")
    return (
        f"{folder} already has {shown}; `sprintback init` overwrites nothing and wrote nothing: "
        "choose another folder, or move those files away"
    )


def no_templates_folder_text(setting: str, project_file: str) -> str:
    return (
        f"no folder {setting!r} of templates next to {project_file}; "
        "leave site.templates out to use the templates that come with Sprintback"
    )


# --- what a page's tab, a search result and a shared link say; private folders; pages not found

HOME_DESCRIPTION = "Return-to-sprint protocols, each step gated by criteria, and the drills they use."
PRIVATE_DESCRIPTION = "A private page: its address is given out by the staff. Please do not share it."
"""Every private page's description: a shared link's preview says nothing of the athlete's health."""
PRIVATE_FOLDER_TITLE = "Private addresses"
PRIVATE_FOLDER_TEXT = (
    "Each athlete's plan and the staff page have a private address of their own, given out by the staff. "
    "Nothing is listed here. If you need your address, ask your coach or physio."
)
"""The page of the athletes/ and staff/ folders themselves: it lists nothing."""
NOT_FOUND_TITLE = "Page not found"
NOT_FOUND_TEXT = (
    "There is no page at this address. If it was given to you, check that you have all of it: "
    "private addresses are long. Public pages are listed on the home page."
)
NOT_FOUND_DESCRIPTION = "There is no page at this address."
HOME_LINK = "Go to the home page"
ROBOTS_HEAD = (
    "# Made by Sprintback. Crawlers may read the public pages: programs, sessions and drills.\n"
    "# The folders of the private pages are closed to them, and each private page also says noindex.\n"
)
"""The start of robots.txt. It names only the folders athletes/ and staff/, never a private address."""
ROBOTS_NO_SITEMAP = "# Without site.base_url there is no sitemap: it needs absolute addresses.\n"


def session_page_title(title: str, phase: str, step: int, deload: bool, variant: str | None, program: str) -> str:
    """`Tempo runs · Long accelerations, week 2 (deload), grade 3, pain up to 2/10 · Return to sprint after …`."""
    week = f"week {step}" + (" (deload)" if deload else "")
    return f"{title} · {phase}, {week}" + (f", {variant}" if variant else "") + f" · {program}"


def variant_text(grade: str | None, muscle: str | None, allowed_pain: int | None) -> str:
    """`grade 3, pain up to 2/10`, `soleus`: what a grade's or a muscle's own session page is for."""
    parts = [f"grade {grade}"] if grade else []
    parts += [muscle] if muscle else []
    parts += [f"pain up to {allowed_pain}/10"] if allowed_pain is not None else []
    return ", ".join(parts)


def session_description(title: str, facts: str, allowed_pain: int) -> str:
    """`Tempo runs: about 35 min · RPE 6 · load 210; pain allowed up to 2/10.`"""
    return f"{title}: {facts}; pain allowed up to {allowed_pain}/10."


# --- sprintback diff: what an edit does to every athlete's plan ------------------------------------------


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def diff_summary_text(changed: int, total: int, returns: list[tuple[str, dt.date | None, dt.date | None]]) -> str:
    """`3 of 14 athletes change; Maya Okafor's return moves from Sun 07 Feb to Sun 14 Feb.`"""
    if not changed:
        return f"No athlete's plan changes ({_count(total, 'athlete')})."
    text = f"{changed:,} of {_count(total, 'athlete')} change" + ("s" if changed == 1 else "")
    if returns:
        name, before, after = returns[0]
        text += f"; {name}'s return {_return_move(before, after)}"
        others = len(returns) - 1
        if others == 1:
            text += ", and 1 other athlete's return moves too"
        elif others:
            text += f", and {others:,} other athletes' returns move too"
    return text + "."


def _return_move(before: dt.date | None, after: dt.date | None) -> str:
    if before is None:
        return f"is now projected for {short_day_text(after)}" if after else "is not projected"
    if after is None:
        return f"is no longer projected (was {short_day_text(before)})"
    return f"moves from {short_day_text(before)} to {short_day_text(after)}"


DIFF_HEADING = "Sprintback: what this change does to the athletes' plans"
DIFF_PROTOCOLS = "Protocols"
DIFF_OTHER_EDITS = "Other edits"
DIFF_BECAUSE = "Edits behind it"


def diff_against_text(revision: str) -> str:
    """Under the heading of the Markdown report: what was compared."""
    return f"Plans built from this tree, against `{revision}`. Athletes whose plan does not change are counted only."


def diff_athlete_text(name: str, athlete_id: str, program: str) -> str:
    """`Maya Okafor (maya-okafor), program hamstring`."""
    return f"{name} ({athlete_id}), program {program}"


def diff_roster_text(roster: str) -> str:
    return "New in the roster: the whole plan is new." if roster == "added" else "Left the roster: no plan any more."


def diff_return_text(before: dt.date | None, after: dt.date | None) -> str:
    """`Return to play: Sun 14 Feb 2027 (was Sun 07 Feb 2027).`"""
    now = day_text(after) if after else "not projected"
    was = day_text(before) if before else "not projected"
    return f"Return to play: {now} (was {was})."


def diff_phase_text(title: str, before: int, after: int) -> str:
    """`Phase Long accelerations: 1 → 2 weeks (lengthened).`"""
    if not after:
        return f"Phase {title}: left out of the plan (was {_count(before, 'week')})."
    if not before:
        return f"Phase {title}: new in the plan ({_count(after, 'week')})."
    how = "lengthened" if after > before else "shortened"
    return f"Phase {title}: {before} → {_count(after, 'week')} ({how})."


def diff_moved_heading(count: int, what: str = "session") -> str:
    return f"{_count(count, what)} move{'s' * (count == 1)}:"


def diff_added_heading(count: int, what: str = "session") -> str:
    return f"{_count(count, what)} added:"


def diff_removed_heading(count: int, what: str = "session") -> str:
    return f"{_count(count, what)} removed:"


def diff_move_text(title: str, before: dt.date, after: dt.date) -> str:
    """`Sprint check: Mon 07 Dec → Mon 14 Dec.`"""
    return f"{title}: {short_day_text(before)} → {short_day_text(after)}."


def diff_dated_text(title: str, day: dt.date) -> str:
    return f"{title}: {short_day_text(day)}."


def _days(dates: tuple[dt.date, ...]) -> str:
    shown = ", ".join(short_day_text(day) for day in dates[:3])
    return shown + (f" and {len(dates) - 3:,} more" if len(dates) > 3 else "")


def diff_renamed_text(before: str, after: str, dates: tuple[dt.date, ...]) -> str:
    """`Session renamed: Technique at low intensity → Easy technique (4 sessions: Mon 30 Nov, …).`"""
    return f"Session renamed: {before} → {after} ({_count(len(dates), 'session')}: {_days(dates)})."


DIFF_WHOLE_SESSION = "The session as a whole"
"""Named as the drill of a dose change when a session's minutes or load change."""


def diff_dose_text(session: str, drill: str, before: str | None, after: str | None, dates: tuple[dt.date, ...]) -> str:
    """`Nordic hamstring in Strength build: 2 × 5 reps → 3 × 5 reps (2 sessions: Mon 07 Dec, Thu 10 Dec).`"""
    if before is None:
        what = f"added, {after}" if after else "added"
    elif after is None:
        what = f"removed (was {before})" if before else "removed"
    else:
        what = f"{before or 'no dose'} → {after or 'no dose'}"
    return f"{drill} in {session}: {what} ({_count(len(dates), 'session')}: {_days(dates)})."


def diff_criteria_text(phase: str, added: tuple[str, ...], removed: tuple[str, ...], changed: tuple[str, ...]) -> str:
    """`Check-in of Long accelerations: criteria added: Hop tests; reworded: Confidence.`"""
    parts = [f"added: {', '.join(added)}"] if added else []
    parts += [f"removed: {', '.join(removed)}"] if removed else []
    parts += [f"reworded: {', '.join(changed)}"] if changed else []
    return f"Check-in of {phase}, criteria {'; '.join(parts)}."


def diff_warning_text(message: str, appears: bool) -> str:
    return f"{'New warning' if appears else 'Warning gone'}: {message}"


def diff_edit_text(file: str, line: int, where: str, kind: str, before: str | None, after: str | None) -> str:
    """`programs/hamstring.yaml:1444: phases[2].weeks 1 → 2`."""
    place = f"{file}:{line}:" + (f" {where}" if where else "")
    if kind == "changed":
        return f"{place} {before if before is not None else '(a list or mapping)'} → " + (
            after if after is not None else "(a list or mapping)"
        )
    value = after if kind == "added" else before
    return f"{place} {kind}" + (f" ({value})" if value is not None else "")


def diff_more_text(count: int) -> str:
    return f"… and {count:,} more"


def diff_rerun_text() -> str:
    return "Every change is listed with --format json or --format markdown."


def diff_in_revision_text(revision: str) -> str:
    """Before the problems of the old revision's files."""
    return f"in revision {revision}:"


def diff_unknown_athlete_text(athlete: str) -> str:
    return f"no athlete {athlete!r} in the roster of either revision"


def feed_changes_heading(athletes: int, found: bool) -> str:
    """After `sprintback build`: what reaches the athletes' calendars, against the last build's feeds.lock."""
    if not found:
        return "Calendar events: a first build (no feeds.lock before it), so every event is new."
    if not athletes:
        return "Calendar events: none changed since the last build (feeds.lock)."
    whose = "1 athlete's feed changes" if athletes == 1 else f"{athletes:,} athletes' feeds change"
    return f"Calendar events against the last build (feeds.lock): {whose}."


def feed_change_text(name: str, changed: int, new: int, gone: int) -> str:
    """`Maya Okafor: 3 events change, 1 new, 2 gone.`"""
    parts = [f"{_count(changed, 'event')} change{'s' * (changed == 1)}"] if changed else []
    parts += [f"{new:,} new"] if new else []
    parts += [f"{gone:,} gone"] if gone else []
    return f"{name}: {', '.join(parts)}."
