"""`sprintback plan`: block names over their drills, a hypothetical athlete, and the plan as JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, Run, files_of


def test_block_names_head_their_drills_so_choices_read_as_one(run: Run, shipped: Path) -> None:
    # Hamstring cross-training: three 25-minute options under "choose one", not 75 minutes of work.
    lines = run("plan", "-f", shipped, "maya-okafor").output.splitlines()
    first = lines.index("  Mon 30 Nov  Cross-training (bike, pool or elliptical)")
    session = lines[first + 1 : lines.index("  Wed 02 Dec  Technique at low intensity")]
    choice = session.index("      Aerobic work (choose one):")
    assert session[choice + 1 : choice + 5] == [
        "        Stationary cycling: 25 min · RPE 4",
        "        Swimming or pool running: 25 min · RPE 4",
        "        Elliptical trainer: 25 min · RPE 4",
        "      Cool-down and restoration (first phase):",
    ]
    assert session[1] == "      Standard warm-up:"
    # A short note stands beside its block's name.
    assert (
        "      Technique drills: Walking speed or a light skip. Rest until you feel fresh."
        in lines[lines.index("  Wed 02 Dec  Technique at low intensity") :]
    )


PREVIEW = (
    "--injury", "hamstring", "--grade", "2", "--start", "2027-01-04", "--days", "mon,wed,fri,sat",
    "--injury-date", "2026-12-28", "--time", "17:30", "--timezone", "Europe/London",
)  # fmt: skip
TWIN = """
  twin:
    name: Hypothetical athlete
    injury: {type: hamstring, grade: 2, side: left, date: 2026-12-28}
    start: 2027-01-04
    timezone: Europe/London
    training_days: [mon, wed, fri, sat]
    session_time: "17:30"
"""


def plan_data(run: Run, *args: str | Path) -> dict[str, Any]:
    result = run("plan", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_a_hypothetical_athlete_gets_the_plan_the_roster_would_give_and_nothing_is_written(
    run: Run, shipped: Path
) -> None:
    before = files_of(shipped.parent)
    preview = run("plan", "-f", shipped, *PREVIEW)
    assert preview.exit_code == 0, preview.output
    as_data = plan_data(run, "-f", shipped, *PREVIEW)
    assert files_of(shipped.parent) == before  # no key, no log, no site: the preview is written nowhere
    assert preview.output.startswith("Hypothetical athlete: Return to sprint after a hamstring strain")

    shipped.write_text(shipped.read_text() + TWIN)
    roster = run("plan", "-f", shipped, "twin")
    assert roster.exit_code == 0, roster.output
    assert preview.output == roster.output
    twin = plan_data(run, "-f", shipped, "twin")
    assert as_data.pop("athlete") == twin["athlete"] | {"id": "hypothetical", "hypothetical": True}
    twin.pop("athlete")
    assert as_data == twin


def test_the_json_plan_holds_the_sessions_and_dates_the_text_shows(run: Run, shipped: Path) -> None:
    text = run("plan", "-f", shipped, *PREVIEW).output.splitlines()
    data = plan_data(run, "-f", shipped, *PREVIEW)
    assert (data["program"]["id"], data["grade"], data["muscle"]) == ("hamstring", "2", None)
    assert (data["start"], data["return_to_play"]) == ("2027-01-04", "2027-02-21")
    assert data["typical_return"] == {"days_after_injury": [11, 33], "from": "2027-01-08", "to": "2027-01-30"}
    assert "Projected return to play, Sun 21 Feb 2027: day 55 after injury." in text

    def day(iso: str) -> str:
        return f"{dt.date.fromisoformat(iso):%a %d %b}"

    weeks = [line.split(" · ")[:2] for line in text if line.startswith("Week ")]
    assert weeks == [
        [f"Week {week['number']}", f"{dt.date.fromisoformat(week['start']):%a %d %b %Y} to "
         f"{dt.date.fromisoformat(week['end']):%a %d %b %Y} (earliest)"]
        for week in data["weeks"]
    ]  # fmt: skip
    days = [line[2:].split("  ", 1) for line in text if re.match(r"  [A-Z][a-z]{2} \d\d [A-Z][a-z]{2}  ", line)]
    sessions = [[day(s["date"]), s["title"]] for week in data["weeks"] for s in week["sessions"]]
    gate = "Check-in: end of "
    assert [pair for pair in days if not pair[1].startswith(gate)] == sessions
    check_ins = [
        [day(week["check_in"]["date"]), f"{gate}{week['check_in']['phase']['title']} (earliest)"]
        for week in data["weeks"]
        if week["check_in"]
    ]
    assert [pair for pair in days if pair[1].startswith(gate)] == check_ins
    assert len(sessions) > 40 and len(check_ins) > 3

    session = data["weeks"][0]["sessions"][0]
    assert {key: session[key] for key in ("date", "title", "kind", "minutes", "load")} == {
        "date": "2027-01-04",
        "title": "Cross-training (bike, pool or elliptical)",
        "kind": "cross-training",
        "minutes": 50,
        "load": 200,
    }
    choice = next(block for block in session["blocks"] if block["name"] == "Aerobic work (choose one)")
    assert choice["items"][0] == {
        "drill": "stationary-cycling",
        "name": "Stationary cycling",
        "dose": {
            "duration_s": 1500,
            "rpe": 4,
            "each_side": False,
            "side": "both",
            "note": "25 minutes steady, then 5 x 1 minute brisk with 1 minute easy.",
        },
    }
    assert data["weeks"][0]["home"][0]["name"] == "Askling Extender"
    gate = next(week["check_in"] for week in data["weeks"] if week["check_in"])
    assert gate["criteria"][0] == {"id": "pain-free-range", "name": "Pain-free hip and knee range"}
    assert (data["pauses"], data["log"]) == ([], [])


def test_the_json_plan_of_a_roster_athlete_holds_their_log_and_pauses(run: Run, shipped: Path) -> None:
    assert run("decide", "-f", shipped, "maya-okafor", "pause", "--date", "2026-12-10", "--by", "Dr Lee").exit_code == 0
    data = plan_data(run, "-f", shipped, "maya-okafor")
    assert data["athlete"]["id"] == "maya-okafor" and data["athlete"]["hypothetical"] is False
    assert data["log"] == [
        {"kind": "decision", "date": "2026-12-10", "decision": "pause", "by": "Dr Lee", "effect": "pause", "rule": None}
    ]
    assert data["pauses"] == [{"start": "2026-12-11", "end": None}]  # the first day without training
    assert data["return_to_play"] is None


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            ("--injury", "knee"),
            "error: --injury knee: no program serves 'knee' injuries; injuries served: calf, hamstring",
        ),
        (
            ("--grade", "5"),
            "error: --grade 5: program 'hamstring' has no variant for grade '5'; it has grades 0, 1, 2, 2c, 3c, 3",
        ),
        (
            ("--start", "2027-02-30"),
            'error: --start 2027-02-30: expected a date as YYYY-MM-DD, got "2027-02-30": February 2027 has 28 days',
        ),
        (
            ("--days", "mon,wed,funday"),
            "error: --days mon,wed,funday: expected one of 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun', "
            'got "funday"',
        ),
        (("--days", "mon,mon,fri"), "error: --days mon,mon,fri: names a day twice"),
        (
            ("--days", "mon,tue"),
            "error: --days mon,tue: week 1 (Protect and rebuild - technique and strength at low intensity) has "
            "4 sessions, but only 2 of the athlete's training days fall in it; expected at least 4 training days",
        ),
        (
            ("--muscle", "soleus"),
            "error: --muscle soleus: program 'hamstring' has no variant for the muscle 'soleus'; its muscles: none",
        ),
        (
            ("--program", "calf"),
            "error: --program calf: program 'calf' serves 'calf' injuries, not 'hamstring'",
        ),
        (
            ("--injury-date", "2027-01-05"),
            "error: --injury-date 2027-01-05: the injury date 2027-01-05 is after the start date 2027-01-04; "
            "expected the day of the injury",
        ),
    ],
)
def test_a_bad_option_of_a_hypothetical_athlete_is_named(
    run: Run, shipped: Path, change: tuple[str, str], error: str
) -> None:
    options = dict(zip(PREVIEW[::2], PREVIEW[1::2], strict=True)) | dict([change])
    result = run("plan", "-f", shipped, *(part for pair in options.items() for part in pair))
    assert result.exit_code == 2
    assert result.output.splitlines() == [error]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("maya-okafor", "--grade", "2"), "give ATHLETE or a hypothetical athlete's options (--grade), not both"),
        ((), "give ATHLETE (an id in the roster), or a hypothetical athlete's --injury, --grade, --start and --days"),
        (("--injury", "hamstring", "--start", "2027-01-04"), "a hypothetical athlete needs --grade, --days too"),
        (("maya-okafor", "--brief", "--format", "json"), "--brief shortens the text; --format json always holds"),
    ],
)
def test_plan_called_wrongly_is_a_usage_error(run: Run, shipped: Path, args: tuple[str, ...], said: str) -> None:
    result = run("plan", "-f", shipped, *args)
    assert result.exit_code == 2
    assert said in result.output


def test_the_readme_shows_the_json_plan_as_it_is(run: Run, shipped: Path) -> None:
    found = re.search(r"```json\n(\{\n  \"format\".*?)```", (REPO / "README.md").read_text(), re.S)
    assert found is not None
    shown = json.loads(found.group(1))
    data = plan_data(run, "-f", shipped, *PREVIEW[:8])

    def keys(shown: Any, real: Any) -> None:
        if isinstance(shown, dict):
            assert list(shown) == list(real)
            for key, value in shown.items():
                keys(value, real[key])
        elif isinstance(shown, list) and shown:
            keys(shown[0], real[0])

    keys(shown, data)
    assert {key: data[key] for key in ("grade", "start", "end", "return_to_play")} == {
        key: shown[key] for key in ("grade", "start", "end", "return_to_play")
    }


def test_a_warning_about_a_hypothetical_athlete_names_its_option(run: Run, shipped: Path) -> None:
    options = dict(zip(PREVIEW[::2], PREVIEW[1::2], strict=True)) | {
        "--time": "01:30",
        "--start": "2027-03-22",
        "--days": "mon,wed,fri,sun",
    }
    result = run("plan", "-f", shipped, *(part for pair in options.items() for part in pair))
    assert result.exit_code == 0
    assert (
        "warning: --time 01:30: 01:30 does not exist in Europe/London on Sun 28 Mar 2027 (the clocks go forward): "
        "calendars will show 02:30; expected a session time that every training day has once"
    ) in result.output.splitlines()
