"""Recording check-ins, pain reports and decisions from the terminal: `checkin`, `pain`, `decide`.

Each command appends to the athlete's log as a physio would by hand, leaves what is
already written byte for byte, and the next build follows the new record.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from builder.build import gather
from builder.models import CheckInRecord, DecisionRecord, PainRecord
from builder.plan import Plan
from builder.wording import day_text
from tests.conftest import ENVIRONMENT, Run

WEEK = dt.timedelta(days=7)

MAYA_LOG = """\
# Maya's log, kept by J. Doe.
records:
    # Four spaces here: the file's own layout.
    - date: 2026-12-13   # on the day
      check_in: protect-and-technique
      result: pass
      values: {pain-free-range: "full, no pain"}
# The next check-in is Sunday's.
"""


def write_log(project: Path, athlete_id: str, text: str) -> Path:
    """Give the athlete this log (replacing any the shipped project has)."""
    path = project.parent / "log" / f"{athlete_id}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def no_log(project: Path, athlete_id: str) -> Path:
    """Make sure the athlete has no log; return where it would be."""
    path = project.parent / "log" / f"{athlete_id}.yaml"
    path.unlink(missing_ok=True)
    return path


def plan_of(project: Path, athlete_id: str) -> Plan:
    return next(plan for plan in gather(project, ENVIRONMENT).plans if plan.athlete_id == athlete_id)


def test_a_failed_check_in_on_its_day_extends_the_phase_and_moves_the_check_in(run: Run, shipped: Path) -> None:
    log = write_log(shipped, "maya-okafor", MAYA_LOG)
    before = plan_of(shipped, "maya-okafor")
    result = run(
        "checkin", "maya-okafor", "--fail", "-f", shipped, "--date", "2026-12-20",
        "--value", "half-speed-running=tight at 50%", "--by", "J. Doe",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Recorded in log/maya-okafor.yaml for Sun 20 Dec 2026: Check-in (end of Short accelerations): not passed. "
        "Pain-free running at half speed: tight at 50%. By J. Doe."
    )
    assert "Phase 2, Short accelerations: extended by one week." in lines
    assert "Next check-in: end of Short accelerations, Sun 27 Dec (was Sun 20 Dec)." in lines
    # Every later session is the same event a week later; the week done again is new.
    later = [session for session in before.sessions() if session.date > dt.date(2026, 12, 20)]
    assert f"{len(later)} sessions moved one week later; 4 sessions added." in lines
    assert f"Projected end: {day_text(before.end + WEEK)} (was {day_text(before.end)})." in lines
    # The next build reads the record, and the plan moved.
    plan = plan_of(shipped, "maya-okafor")
    entry = plan.entries[-1]
    assert entry.record == CheckInRecord(
        date=dt.date(2026, 12, 20),
        check_in="short-accelerations",
        result="fail",
        values={"half-speed-running": "tight at 50%"},
        by="J. Doe",
    )
    assert entry.effect == "repeat-week"
    short = [check_in.date for check_in in plan.check_ins() if check_in.phase.id == "short-accelerations"]
    assert short == [dt.date(2026, 12, 20), dt.date(2026, 12, 27)]
    assert log.read_text().startswith(MAYA_LOG)


def test_an_early_pass_shortens_the_phase_and_pulls_the_plan_forward(run: Run, shipped: Path) -> None:
    no_log(shipped, "maya-okafor")
    before = plan_of(shipped, "maya-okafor")
    # Protect and rebuild may pass early, from the end of its first week (due Sun 13 Dec).
    result = run("checkin", "maya-okafor", "--pass", "-f", shipped, "--date", "2026-12-06")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Check-in (end of Protect and rebuild - technique and strength at low intensity): passed." in lines[0]
    assert "Phase 1, Protect and rebuild - technique and strength at low intensity: shortened by one week." in lines
    assert "Next check-in: end of Short accelerations, Sun 13 Dec (was Sun 20 Dec)." in lines
    assert f"Projected end: {day_text(before.end - WEEK)} (was {day_text(before.end)})." in lines
    entry = plan_of(shipped, "maya-okafor").entries[-1]
    assert (entry.effect, entry.record.date) == ("early", dt.date(2026, 12, 6))


def test_a_record_is_appended_leaving_comments_and_records_byte_for_byte(run: Run, shipped: Path) -> None:
    log = write_log(shipped, "maya-okafor", MAYA_LOG)
    before = log.read_bytes()
    result = run(
        "pain", "maya-okafor", "4", "-f", shipped, "--date", "2026-12-15", "--when", "next-morning",
        "--session", "short-accelerations", "--note", "sore: left # hamstring",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = log.read_bytes()
    assert after[: len(before)] == before
    # Indented like the file's own items; text that YAML would misread is quoted.
    assert after[len(before) :].decode() == (
        "    - date: 2026-12-15\n"
        "      pain: 4\n"
        "      when: next-morning\n"
        "      session: short-accelerations\n"
        "      note: 'sore: left # hamstring'\n"
    )
    assert (
        "Progression held for 7 days (rule: The hamstring is more sore or stiffer the next morning than before "
        "the session)"
    ) in result.output
    entry = plan_of(shipped, "maya-okafor").entries[-1]
    assert entry.record == PainRecord(
        date=dt.date(2026, 12, 15),
        pain=4,
        when="next-morning",
        session="short-accelerations",
        note="sore: left # hamstring",
    )
    assert entry.effect == "hold"


def test_values_and_notes_read_back_as_written(run: Run, shipped: Path) -> None:
    write_log(shipped, "maya-okafor", MAYA_LOG)
    result = run(
        "checkin", "maya-okafor", "--pass", "-f", shipped, "--date", "2026-12-20",
        "--value", "half-speed-running=1.62", "--note", "yes", "--by", "- Dr. Lee: physio",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    record = plan_of(shipped, "maya-okafor").entries[-1].record
    assert isinstance(record, CheckInRecord)
    # "1.62" and "yes" stay text, a leading dash is not a list.
    assert (record.values, record.note, record.by) == ({"half-speed-running": "1.62"}, "yes", "- Dr. Lee: physio")


def test_a_pain_report_can_name_the_rule_the_score_cannot_tell(run: Run, shipped: Path) -> None:
    log = no_log(shipped, "maya-okafor")
    result = run("pain", "maya-okafor", "2", "--rule", "pain-while-running", "-f", shipped, "--date", "2026-12-16")
    assert result.exit_code == 0, result.output
    assert log.read_text().endswith(
        "  - date: 2026-12-16\n    pain: 2\n    when: during\n    rule: pain-while-running\n"
    )
    assert (
        "All training paused (rule: Any sharp, pulling or cramping pain in the back of the thigh while running "
        "or sprinting): see your clinician."
    ) in result.output
    assert "Paused from Thu 17 Dec 2026: no training until a resume is recorded." in result.output


def test_the_first_record_creates_the_log_with_its_header(run: Run, shipped: Path) -> None:
    log = no_log(shipped, "tom-becker")
    result = run("pain", "tom-becker", "2", "-f", shipped, "--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert log.read_text() == (
        "# Tom Becker's log: check-ins, pain reports and clinician decisions, oldest first.\n"
        "records:\n"
        "  - date: 2026-12-03\n"
        "    pain: 2\n"
        "    when: during\n"
    )
    assert "No change to the plan." in result.output


def test_logs_go_to_the_folder_the_project_names(run: Run, shipped: Path) -> None:
    text = shipped.read_text()
    shipped.write_text(text.replace("site:\n", "site:\n  logs: records/athletes\n", 1))
    result = run(
        "decide", "tom-becker", "hold", "--days", "10", "-f", shipped, "--date", "2026-12-04", "--by", "Dr. Lee"
    )
    assert result.exit_code == 0, result.output
    log = shipped.parent / "records" / "athletes" / "tom-becker.yaml"
    assert log.read_text().endswith("  - date: 2026-12-04\n    decision: hold\n    days: 10\n    by: Dr. Lee\n")
    assert "Progression held for 10 days: the current dose again, no step up." in result.output
    entry = plan_of(shipped, "tom-becker").entries[-1]
    assert entry.record == DecisionRecord(date=dt.date(2026, 12, 4), decision="hold", days=10, by="Dr. Lee")


def test_a_late_result_is_for_the_check_in_that_was_due(run: Run, shipped: Path) -> None:
    log = no_log(shipped, "maya-okafor")
    # Nothing recorded: on Tue 22 Dec, Protect and rebuild (13 Dec) and Short accelerations (20 Dec)
    # have no result; a result now is for the latest, as the plan projects the phase after it.
    result = run("checkin", "maya-okafor", "--not-done", "-f", shipped, "--date", "2026-12-22")
    assert result.exit_code == 0, result.output
    assert log.read_text().endswith("\n  - date: 2026-12-22\n    check_in: short-accelerations\n    result: not-done\n")
    assert plan_of(shipped, "maya-okafor").entries[-1].effect == "repeat-week"


def test_a_pause_says_from_when_and_takes_sessions_off_the_calendar(run: Run, shipped: Path) -> None:
    no_log(shipped, "maya-okafor")
    result = run("decide", "maya-okafor", "pause", "-f", shipped, "--date", "2026-12-16", "--by", "Dr. Lee")
    assert result.exit_code == 0, result.output
    assert "Paused from Thu 17 Dec 2026: no training until a resume is recorded." in result.output
    assert "sessions taken off the calendar" in result.output
    assert plan_of(shipped, "maya-okafor").paused is not None


REFUSALS = [
    (("pain", "zoe", "3", "--date", "2026-12-15"), "error: no athlete 'zoe' in the roster; athletes: ana-silva,"),
    (
        ("pain", "tom-becker", "11", "--date", "2026-12-15"),
        "error: SCORE: expected a whole number from 0 to 10, got '11'",
    ),
    (
        ("pain", "tom-becker", "3", "--date", "2026-12-32"),
        "error: --date: expected a date as YYYY-MM-DD, got '2026-12-32'",
    ),
    (
        ("pain", "tom-becker", "3", "--date", "15/12/2026"),
        "error: --date: expected a date as YYYY-MM-DD, got '15/12/2026'",
    ),
    (
        ("checkin", "tom-becker", "--pass", "--date", "2026-12-08", "--value", "hop-distance=1.5 m"),
        "error: --value: no criterion 'hop-distance' in check-in 'load-the-calf'; "
        "its criteria: pain-free-ankle-range, calf-raise-25",
    ),
    (
        ("checkin", "tom-becker", "--pass", "--date", "2026-12-08", "--value", "calf-raise-25"),
        "error: --value: expected NAME=VALUE",
    ),
    # Records the log itself rejects: written, read back, then put back as they were.
    (
        ("pain", "tom-becker", "3", "--date", "2026-11-01"),
        "].date: 2026-11-01 is before the plan's start date 2026-12-02",
    ),
    (("decide", "tom-becker", "resume", "--date", "2026-12-10"), "resume without a pause before it"),
    (("decide", "tom-becker", "pause", "--date", "2026-12-10", "--note", ""), "].note:"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS)
def test_bad_input_is_refused_and_no_log_is_made(run: Run, shipped: Path, args: tuple[str, ...], message: str) -> None:
    folder = shipped.parent / "log"
    shutil.rmtree(folder, ignore_errors=True)
    result = run(*args, "-f", shipped)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not folder.exists()


@pytest.mark.parametrize(("args", "message"), REFUSALS)
def test_bad_input_leaves_an_existing_log_byte_for_byte(
    run: Run, shipped: Path, args: tuple[str, ...], message: str
) -> None:
    text = "# Tom's log\nrecords:\n  - date: 2026-12-03  # his first day\n    pain: 1\n"
    log = write_log(shipped, "tom-becker", text)
    result = run(*args, "-f", shipped)
    assert result.exit_code == 1
    assert message in result.output
    assert log.read_text() == text


def test_a_refused_record_names_the_problem_and_says_nothing_was_written(run: Run, shipped: Path) -> None:
    log = write_log(shipped, "maya-okafor", MAYA_LOG)
    # A second result for a check-in that already has one.
    result = run("checkin", "maya-okafor", "--fail", "-f", shipped, "--date", "2026-12-13")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "The log does not accept this record, so it was not added:"
    assert "error: log/maya-okafor.yaml:" in result.output
    assert "nothing was written" in result.output
    assert log.read_text() == MAYA_LOG


@pytest.mark.parametrize(
    "text",
    [
        "records: []\n",  # a flow list: no line to add an item on
        "records:\n  - date: 2026-12-03\n    pain: 1\n...\n",  # the document ends before the end of the file
    ],
)
def test_a_log_laid_out_otherwise_is_refused_not_rewritten(run: Run, shipped: Path, text: str) -> None:
    log = write_log(shipped, "tom-becker", text)
    result = run("pain", "tom-becker", "2", "-f", shipped, "--date", "2026-12-04")
    assert result.exit_code == 1
    assert "error: log/tom-becker.yaml: cannot add the record safely:" in result.output
    assert log.read_text() == text


def test_a_log_with_windows_line_ends_and_no_final_newline_keeps_them(run: Run, shipped: Path) -> None:
    text = b"# Tom\r\nrecords:\r\n  - date: 2026-12-03\r\n    pain: 1"
    log = write_log(shipped, "tom-becker", "")
    log.write_bytes(text)
    result = run("pain", "tom-becker", "2", "-f", shipped, "--date", "2026-12-04")
    assert result.exit_code == 0, result.output
    assert log.read_bytes() == text + b"\r\n  - date: 2026-12-04\r\n    pain: 2\r\n    when: during\r\n"


def test_check_in_needs_exactly_one_result(run: Run, shipped: Path) -> None:
    for flags in ((), ("--pass", "--fail")):
        result = run("checkin", "maya-okafor", *flags, "-f", shipped, "--date", "2026-12-13")
        assert result.exit_code == 2
        assert "give one of --pass, --fail or --not-done" in result.output
