"""Re-planning from the athlete's log: check-ins, pain reports and decisions move the plan.

Each scenario writes a log for Maya (hamstring, grade 2, from Mon 30 Nov 2026, training
mon/wed/fri/sat) into a copy of the shipped project and gathers it as a build would.
Her projected check-ins: Sun 13 Dec (protect-and-technique), Sun 20 Dec
(short-accelerations), Sun 27 Dec (long-accelerations), Sat 2 Jan (fast-running, on the
day of its test session), Sat 9 Jan (max-sprint, likewise), Sun 17 Jan (return-to-team).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from builder.build import gather
from builder.errors import InputError
from builder.plan import Plan
from tests.conftest import ENVIRONMENT, Run

MAYA = "maya-okafor"


def write_log(project: Path, records: str, athlete: str = MAYA) -> Path:
    folder = project.parent / "log"
    folder.mkdir(exist_ok=True)
    path = folder / f"{athlete}.yaml"
    path.write_text("# test log\nrecords:\n" + textwrap.indent(textwrap.dedent(records).strip() + "\n", "  "))
    return path


def plan_of(project: Path, athlete: str = MAYA) -> Plan:
    return next(plan for plan in gather(project, ENVIRONMENT).plans if plan.athlete_id == athlete)


def problems_of(project: Path) -> list[str]:
    with pytest.raises(InputError) as raised:
        gather(project, ENVIRONMENT)
    return [str(problem) for problem in raised.value.problems]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def check_in_days(plan: Plan) -> list[tuple[str, dt.date]]:
    return [(check_in.phase.id, check_in.date) for check_in in plan.check_ins()]


def test_an_athlete_without_a_log_gets_the_plan_as_projected(shipped: Path) -> None:
    before = plan_of(shipped)
    write_log(shipped, "- {date: 2026-12-09, decision: pause}", athlete="lena-ruiz")
    after = plan_of(shipped)
    assert after.first_planned is None and not after.entries
    assert [(s.event, s.date) for s in after.sessions()] == [(s.event, s.date) for s in before.sessions()]
    assert check_in_days(after) == check_in_days(before)
    assert plan_of(shipped, "lena-ruiz").first_planned is not None


def test_a_failed_check_in_repeats_the_phase_s_last_week_and_moves_the_rest_a_week(shipped: Path) -> None:
    before = plan_of(shipped)
    write_log(
        shipped,
        """
        - date: 2026-12-20
          check_in: short-accelerations
          result: fail
          values: {half-speed-running: "tight at 50%"}
          by: J. Doe
        """,
    )
    after = plan_of(shipped)
    cut = day("2026-12-20")
    old = {s.event: s.date for s in before.sessions()}
    new = {s.event: s.date for s in after.sessions()}
    for event, date in old.items():
        if date <= cut:
            assert new[event] == date, "the past stays as it was planned"
        else:
            assert new.get(event) == date + dt.timedelta(days=7), f"{event} should move a week"
    repeated = [s for s in after.sessions() if s.event.repeat == 1]
    assert [s.date for s in repeated] == [day("2026-12-21"), day("2026-12-23"), day("2026-12-25"), day("2026-12-26")]
    assert {s.event.phase for s in repeated} == {"short-accelerations"}
    assert [s.dose.key for s in repeated] == [
        s.dose.key for s in before.sessions() if s.event.phase == "short-accelerations"
    ]
    assert ("short-accelerations", day("2026-12-27")) in check_in_days(after)
    assert after.end == before.end + dt.timedelta(days=7)
    assert [entry.effect for entry in after.entries] == ["repeat-week"]
    assert after.first_planned is not None and after.first_planned.end == before.end


def test_two_failures_in_a_row_then_a_pass(shipped: Path) -> None:
    write_log(
        shipped,
        """
        - {date: 2026-12-20, check_in: short-accelerations, result: fail}
        - {date: 2026-12-27, check_in: short-accelerations, result: fail}
        - {date: 2027-01-03, check_in: short-accelerations, result: pass}
        """,
    )
    plan = plan_of(shipped)
    assert check_in_days(plan)[1:5] == [
        ("short-accelerations", day("2026-12-20")),
        ("short-accelerations", day("2026-12-27")),
        ("short-accelerations", day("2027-01-03")),
        ("long-accelerations", day("2027-01-10")),
    ]
    assert [entry.effect for entry in plan.entries] == ["repeat-week", "repeat-week", "kept"]
    assert max(s.event.repeat for s in plan.sessions()) == 2


def test_an_early_pass_where_the_phase_allows_it_pulls_the_next_phases_forward(shipped: Path) -> None:
    before = plan_of(shipped)
    write_log(shipped, "- {date: 2026-12-06, check_in: protect-and-technique, result: pass}")
    plan = plan_of(shipped)
    assert [(week.phase.id, week.start) for week in plan.weeks[:3]] == [
        ("protect-and-technique", day("2026-11-30")),
        ("short-accelerations", day("2026-12-07")),
        ("long-accelerations", day("2026-12-14")),
    ]
    assert plan.end == before.end - dt.timedelta(days=7)
    assert [entry.effect for entry in plan.entries] == ["early"]


def test_a_record_mid_week_ends_the_week_that_day_and_the_plan_goes_on_next_week(shipped: Path) -> None:
    write_log(shipped, "- {date: 2026-12-09, check_in: protect-and-technique, result: pass}")
    plan = plan_of(shipped)
    # The week is cut on the day of the pass: Fri 11 and Sat 12 Dec are not done; the
    # next phase starts on Monday, the weekday Maya's weeks start, as projected.
    second = plan.weeks[1]
    assert (second.start, second.end, [s.date for s in second.sessions]) == (
        day("2026-12-07"),
        day("2026-12-09"),
        [day("2026-12-07"), day("2026-12-09")],
    )
    assert plan.weeks[2].phase.id == "short-accelerations" and plan.weeks[2].start == day("2026-12-14")


def test_an_early_pass_is_refused_where_the_protocol_does_not_allow_it(shipped: Path) -> None:
    log = write_log(shipped, "- {date: 2026-12-17, check_in: short-accelerations, result: pass}")
    assert problems_of(shipped) == [
        f"{log.relative_to(shipped.parent)}:3:12: records[0].date: check-in 'short-accelerations' is due on "
        "2026-12-20 at the earliest; this result is dated 2026-12-17"
    ]


@pytest.mark.parametrize(
    ("on_fail", "next_weeks"),
    [
        ("repeat-phase", ["protect-and-technique:1", "protect-and-technique:2", "short-accelerations:1"]),
        ("step-back", ["protect-and-technique:2", "short-accelerations:1", "long-accelerations:1"]),
    ],
)
def test_a_protocol_may_repeat_the_phase_or_step_back_after_a_failed_check_in(
    shipped: Path, on_fail: str, next_weeks: list[str]
) -> None:
    program = shipped.parent / "programs" / "hamstring.yaml"
    text = program.read_text()
    program.write_text(text.replace("  on_fail: repeat-week", f"  on_fail: {on_fail}", 1))
    failed = "protect-and-technique" if on_fail == "repeat-phase" else "short-accelerations"
    when = "2026-12-13" if on_fail == "repeat-phase" else "2026-12-20"
    write_log(shipped, f"- {{date: {when}, check_in: {failed}, result: fail}}")
    plan = plan_of(shipped)
    done = next(i for i, week in enumerate(plan.weeks) if week.entries)
    following = plan.weeks[done + 1 : done + 4]
    assert [f"{week.phase.id}:{week.dosed.week_in_phase}" for week in following] == next_weeks


def test_a_next_morning_pain_report_holds_the_dose_for_a_week(shipped: Path) -> None:
    write_log(shipped, "- {date: 2026-12-03, pain: 4, when: next-morning, session: l-protocol}")
    plan = plan_of(shipped)
    first, held, after = plan.weeks[0], plan.weeks[1], plan.weeks[2]
    assert (first.end, [e.effect for e in first.entries]) == (day("2026-12-03"), ["hold"])
    assert first.entries[0].rule is not None and first.entries[0].rule.id == "next-morning-soreness"
    assert (held.start, held.dosed, held.repeat) == (day("2026-12-07"), first.dosed, 1)
    assert [s.dose.key for s in held.sessions] == [dose.key for dose in first.dosed.sessions]
    assert after.dosed.week_in_phase == 2 and after.start == day("2026-12-14")


def test_pain_within_the_limit_is_history_only(shipped: Path) -> None:
    before = plan_of(shipped)
    write_log(shipped, "- {date: 2026-12-03, pain: 2, when: after}")
    plan = plan_of(shipped)
    assert [s.date for s in plan.sessions()] == [s.date for s in before.sessions()]
    assert [e.effect for e in plan.entries] == ["none"]


def test_a_rule_that_steps_back_returns_to_the_previous_week_s_dose(shipped: Path) -> None:
    program = shipped.parent / "programs" / "hamstring.yaml"
    text = program.read_text()
    program.write_text(
        text.replace(
            "    form-under-fatigue:\n", "    form-under-fatigue:\n      pain_above: 1\n      timing: [after]\n", 1
        ).replace("      action: regress\n", "      action: step-back\n", 1)
    )
    write_log(shipped, "- {date: 2026-12-09, pain: 2, when: after}")
    plan = plan_of(shipped)
    assert [e.effect for e in plan.entries] == ["step-back"]
    stepped = plan.weeks[2]
    assert (stepped.start, stepped.dosed.week_in_phase, stepped.repeat) == (day("2026-12-14"), 1, 1)


def test_a_pause_stops_every_session_until_a_resume_repeats_the_interrupted_week(shipped: Path) -> None:
    write_log(
        shipped,
        """
        - {date: 2026-12-09, pain: 6, when: during, rule: pain-while-running, note: sharp pull at 60%}
        - {date: 2026-12-15, pain: 1, when: next-morning}
        - {date: 2026-12-18, decision: resume, by: Dr Shah}
        """,
    )
    plan = plan_of(shipped)
    (pause,) = plan.pauses
    assert (pause.start, pause.end) == (day("2026-12-10"), day("2026-12-21"))
    assert pause.end is not None and not [s for s in plan.sessions() if pause.start <= s.date < pause.end]
    resumed = next(week for week in plan.weeks if week.start == day("2026-12-21"))
    assert (resumed.dosed.week_in_phase, resumed.repeat) == (2, 1)
    assert [e.effect for e in plan.entries] == ["pause", "none", "resume"]
    assert plan.paused is None


def test_a_pause_without_a_resume_ends_the_plan_there(shipped: Path) -> None:
    write_log(shipped, "- {date: 2026-12-09, decision: pause}")
    plan = plan_of(shipped)
    assert plan.paused is not None and plan.paused.start == day("2026-12-10")
    assert max(s.date for s in plan.sessions()) == day("2026-12-09")
    assert plan.end == day("2026-12-09")


def test_a_clinician_s_hold_lasts_the_days_it_names(shipped: Path) -> None:
    write_log(shipped, "- {date: 2026-12-06, decision: hold, days: 14}")
    plan = plan_of(shipped)
    assert [(w.dosed.week_in_phase, w.repeat, w.start) for w in plan.weeks[:4]] == [
        (1, 0, day("2026-11-30")),
        (1, 1, day("2026-12-07")),
        (1, 2, day("2026-12-14")),
        (2, 0, day("2026-12-21")),
    ]


def test_clearance_to_play_ends_the_gated_phases(shipped: Path) -> None:
    write_log(
        shipped,
        """
        - {date: 2026-12-13, check_in: protect-and-technique, result: pass}
        - {date: 2026-12-20, check_in: short-accelerations, result: pass}
        - {date: 2026-12-27, check_in: long-accelerations, result: pass}
        - {date: 2026-12-30, decision: cleared, by: Dr Shah}
        """,
    )
    plan = plan_of(shipped)
    after = [week.phase.id for week in plan.weeks if week.start > day("2026-12-30")]
    assert set(after) == {"beyond-rehab"} and len(after) == 4
    assert not [c for c in plan.check_ins() if c.date > day("2026-12-30")]


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (
            "- {date: 2026-11-20, pain: 2}",
            "3:12: records[0].date: 2026-11-20 is before the plan's start date 2026-11-30",
        ),
        (
            "- {date: 2026-12-09, decision: pause}\n"
            "- {date: 2026-12-13, check_in: protect-and-technique, result: pass}",
            "4:34: records[1].check_in: the plan is paused since 2026-12-10: record a resume before a check-in",
        ),
        (
            "- {date: 2026-12-03, check_in: protect-and-technique, result: pass}",
            "3:12: records[0].date: check-in 'protect-and-technique' can pass early from 2026-12-06 (the end of "
            "the phase's first week) at the earliest; this result is dated 2026-12-03",
        ),
        (
            "- {date: 2026-12-13, check_in: sprint-test, result: pass}",
            "3:34: records[0].check_in: no check-in 'sprint-test' in hamstring at grade 2; its check-ins are named "
            "by phase: protect-and-technique, short-accelerations, long-accelerations, fast-running, max-sprint, "
            "return-to-team, beyond-rehab",
        ),
        (
            "- {date: 2026-12-20, check_in: short-accelerations, result: fail}\n"
            "- {date: 2026-12-22, check_in: short-accelerations, result: pass}",
            "4:34: records[1].check_in: check-in 'short-accelerations' already has a result (fail) on 2026-12-20 "
            "for the attempt of 2026-12-20; a retest is a new attempt, due on 2026-12-27 at the earliest",
        ),
        (
            # Where early passes are allowed, a retest still comes after the failed attempt's day.
            "- {date: 2026-12-13, check_in: protect-and-technique, result: fail}\n"
            "- {date: 2026-12-13, check_in: protect-and-technique, result: pass}",
            "4:34: records[1].check_in: check-in 'protect-and-technique' already has a result (fail) on 2026-12-13 "
            "for the attempt of 2026-12-13; a retest is a new attempt, due on 2026-12-14 at the earliest",
        ),
        (
            "- {date: 2026-12-09, pain: 1}\n- {date: 2026-12-05, pain: 1}",
            "4:12: records[1].date: 2026-12-05 comes after 2026-12-09: expected records in date order, oldest first",
        ),
        (
            "- {date: 2026-12-13, check_in: protect-and-technique, result: pass, values: {hop-test: 1.6 m}}",
            "3:90: records[0].values.hop-test: no criterion 'hop-test' in check-in 'protect-and-technique'; its "
            "criteria: light-effort-mechanics, pain-free-range, squat-and-cycle",
        ),
        (
            "- {date: 2026-12-13, check_in: long-accelerations, result: pass}",
            "3:34: records[0].check_in: check-in 'long-accelerations' is not due on 2026-12-13: the plan is in "
            "phase 'protect-and-technique', whose check-in is due on 2026-12-13",
        ),
        (
            "- {date: 2026-12-09, pain: 2, session: sprints}",
            "3:42: records[0].session: no session 'sprints' in hamstring; its sessions: technique-low, ",
        ),
        (
            "- {date: 2026-12-09, decision: resume}",
            "3:34: records[0].decision: resume without a pause before it",
        ),
        (
            "- {date: 2026-12-09, decision: pause, days: 3}",
            "3:47: records[0].days: days is how long a hold lasts; this decision is not a hold",
        ),
        (
            "- {date: 2026-12-09, pain: 11}",
            "3:30: records[0].pain: expected a number at most 10, got 11",
        ),
        (
            "- {date: 2026-12-09, check_in: max-sprint, result: passed}",
            "3:54: records[0].result: expected one of 'pass', 'fail' or 'not-done', got \"passed\"",
        ),
        (
            "- {date: 2026-12-09, mood: good}",
            "3:5: records[0]: expected a record with check_in, pain or decision, got a mapping",
        ),
        (
            "- {date: 2026-12-09, pain: 2, when: lunchtime}",
            "3:39: records[0].when: expected one of 'during', 'after' or 'next-morning', got \"lunchtime\"",
        ),
    ],
)
def test_records_the_plan_cannot_apply_are_errors_at_their_place(
    run: Run, shipped: Path, tmp_path: Path, records: str, expected: str
) -> None:
    write_log(shipped, records)
    result = run("build", "-f", shipped, "-o", tmp_path / "out")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"error: log/{MAYA}.yaml:{expected}"), errors[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists(), "nothing is written"


def test_a_log_for_an_athlete_not_in_the_roster_is_an_error(shipped: Path) -> None:
    write_log(shipped, "- {date: 2026-12-09, pain: 1}", athlete="maya-okfor")
    assert problems_of(shipped) == [
        "log/maya-okfor.yaml:1:1: no athlete 'maya-okfor' in the roster for this log; athletes: maya-okafor, "
        "tom-becker, lena-ruiz, sam-kowalski, jordan-ali, ana-silva"
    ]


def test_the_injury_date_cannot_come_after_the_start(shipped: Path) -> None:
    roster = shipped.read_text().replace("side: left, date: 2026-11-21}", "side: left, date: 2026-12-21}", 1)
    shipped.write_text(roster)
    assert problems_of(shipped) == [
        "sprintback.yaml:15:59: athletes.maya-okafor.injury.date: the injury date 2026-12-21 is after the start "
        "date 2026-11-30; expected the day of the injury"
    ]


def test_the_log_format_is_published_as_json_schema_and_a_log_validates(run: Run, shipped: Path) -> None:
    log = write_log(
        shipped,
        """
        - {date: 2026-12-13, check_in: protect-and-technique, result: pass, values: {pain-free-range: 2}, by: J}
        - {date: 2026-12-15, pain: 3, when: next-morning, session: short-accelerations, note: stiff}
        - {date: 2026-12-16, decision: hold, days: 3}
        """,
    )
    result = run("schema", "log")
    schema = json.loads(result.output)
    data = json.loads(json.dumps(yaml.safe_load(log.read_text()), default=str))
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"records": [{"date": "2026-12-16", "decision": "maybe"}]}, schema)
    gather(shipped, ENVIRONMENT)  # and the build reads it
