"""Variants that change content: a grade's or a muscle's own sessions, added exit criteria, pain limit.

The mini fixture's `adductor` program has grades "1" (ben) and "2" (ana); its `strength`
session (Copenhagen 3 x 6) is in both phases. Each test changes one of those and reads what
the athletes get: their plans, their pages, the session pages and their feeds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar

from tests.conftest import Run, athlete_dir, edit
from tests.parsers import read_by_all
from tests.test_resolve import GRADE_1, errors_of, plan_of, program_file

ISOMETRIC = """{title: Adductor holds, kind: strength, minutes: 25, rpe: 3,
      blocks: [{name: Holds, items: [{drill: copenhagen, sets: 4, duration_s: 20, each_side: true}]}]}"""


def titles(project: Path, athlete: str) -> list[str]:
    return [s.dose.session.spec.title for week in plan_of(project, athlete).weeks for s in week.sessions]


def build(run: Run, project: Path, out: Path) -> None:
    result = run("build", "-q", "-f", project, "-o", out)
    assert result.exit_code == 0, result.output


def test_a_grades_own_session_reaches_only_its_athletes_on_a_page_of_its_own(
    run: Run, mini: Path, tmp_path: Path
) -> None:
    edit(program_file(mini), GRADE_1, GRADE_1[:-1] + ", sessions: {strength: " + ISOMETRIC + "}}")
    assert "Adductor holds" in titles(mini, "ben") and "Copenhagen strength" not in titles(mini, "ben")
    assert "Copenhagen strength" in titles(mini, "ana") and "Adductor holds" not in titles(mini, "ana")

    out = tmp_path / "site"
    build(run, mini, out)
    own = out / "programs/adductor/sessions/early/strength/grade-1/week-1/index.html"
    assert "Adductor holds" in own.read_text() and "4 × 20 s each side" in own.read_text()
    # Ana's week 1 still links the program's own session page, which the grade did not change.
    written = (out / "programs/adductor/sessions/early/strength/week-1/index.html").read_text()
    assert "Copenhagen strength" in written and "Adductor holds" not in written
    # Ben's calendar carries the grade's session, on the day the program's would have been.
    feed = icalendar.Calendar.from_ical((out / athlete_dir(mini, "ben") / "calendar.ics").read_bytes())
    assert [str(e["summary"]) for e in feed.events][:3] == [
        "Technique and strides (week 1)",
        "Adductor holds (week 1)",
        "Technique and strides (week 1)",
    ]


def test_a_grades_pain_limit_is_on_its_sessions_and_holds_at_its_level(run: Run, mini: Path, tmp_path: Path) -> None:
    edit(program_file(mini), GRADE_1, GRADE_1[:-1] + ", allowed_pain: 1}")
    out = tmp_path / "site"
    build(run, mini, out)
    ben = (out / athlete_dir(mini, "ben") / "index.html").read_text()
    ana = (out / athlete_dir(mini, "ana") / "index.html").read_text()
    assert "Pain allowed: up to 1/10" in ben and "Pain allowed: up to 3/10" not in ben
    assert "Pain allowed: up to 3/10" in ana and "Pain allowed: up to 1/10" not in ana
    assert (
        "Pain allowed: up to 1/10"
        in (out / "programs/adductor/sessions/early/strength/pain-1/week-1/index.html").read_text()
    )

    # A pain report of 2/10 is within ana's limit and above ben's: only ben's plan holds.
    for athlete, start in (("ana", "2027-01-06"), ("ben", "2027-01-04")):
        (mini.parent / "log").mkdir(exist_ok=True)
        (mini.parent / "log" / f"{athlete}.yaml").write_text(
            f"records:\n  - {{date: {start}, pain: 2, session: technique, when: during}}\n"
        )
    assert plan_of(mini, "ben").entries[0].effect == "hold"
    assert plan_of(mini, "ana").entries[0].effect != "hold"


def test_a_grade_adds_a_criterion_to_a_gate_for_its_athletes_only(mini: Path) -> None:
    edit(
        program_file(mini),
        "criteria:\n",
        "criteria:\n  hop:\n    name: Single-leg hop\n    how: Hop.\n    passes: Equal.\n",
    )
    edit(program_file(mini), GRADE_1, GRADE_1[:-1] + ", add_exit: {early: [hop]}}")

    def gate(athlete: str) -> list[str]:
        check_in = next(week.check_in for week in plan_of(mini, athlete).weeks if week.check_in)
        return [criterion.spec.name for criterion in check_in.criteria]

    assert gate("ben") == ["Pain-free squeeze test", "Single-leg hop"]
    assert gate("ana") == ["Pain-free squeeze test"]


def test_the_roster_names_the_muscle_and_its_sessions_win_over_the_grades(mini: Path) -> None:
    program = program_file(mini)
    edit(program, GRADE_1, GRADE_1[:-1] + ", sessions: {strength: " + ISOMETRIC + "}}")
    muscle = ISOMETRIC.replace("Adductor holds", "Long-adductor holds")
    edit(program, "grades:\n", f"muscles:\n  adductor-longus:\n    sessions: {{strength: {muscle}}}\ngrades:\n")
    edit(mini, "grade: 1, side: right", "grade: 1, side: right, muscle: adductor-longus")
    edit(mini, "grade: 2, side: left", "grade: 2, side: left, muscle: adductor-longus")
    assert "Long-adductor holds" in titles(mini, "ben") and "Adductor holds" not in titles(mini, "ben")
    assert "Long-adductor holds" in titles(mini, "ana")


def test_a_muscle_the_program_has_no_variant_for_is_an_error_naming_its_muscles(run: Run, mini: Path) -> None:
    edit(program_file(mini), "grades:\n", "muscles:\n  adductor-longus: {note: The long adductor.}\ngrades:\n")
    edit(mini, "grade: 2, side: left", "grade: 2, side: left, muscle: gracilis")
    assert errors_of(run, mini) == [
        "sprintback.yaml:8:60: athletes.ana.injury.muscle: program 'adductor' has no variant for the muscle "
        "'gracilis'; its muscles: adductor-longus"
    ]


def test_a_variant_may_only_replace_a_session_the_program_has_and_add_criteria_it_has(run: Run, mini: Path) -> None:
    edit(
        program_file(mini),
        GRADE_1,
        GRADE_1[:-1] + ", sessions: {holds: " + ISOMETRIC + "}, add_exit: {early: [hop]}}",
    )
    assert errors_of(run, mini) == [
        "programs/adductor.yaml:101:91: grades.1.sessions.holds: no session 'holds' to do this variant's way; "
        "a variant replaces one of the program's sessions: sprint, strength, technique",
        "programs/adductor.yaml:102:125: grades.1.add_exit.early[0]: no criterion 'hop'; expected one of: squeeze",
    ]


HOME = """    home:
      - {drill: copenhagen, sets: 2, reps: 6, each_side: true, times_a_day: 2}
      - {drill: leg-swings, sets: 1, reps: 10, every_days: 2}
"""


def add_home(project: Path) -> None:
    pattern = "    pattern: [technique, strength, technique]\n"
    edit(program_file(project), pattern, pattern + HOME)


def test_home_exercises_are_listed_with_each_week_and_span_the_week_in_every_parser(
    run: Run, mini: Path, tmp_path: Path
) -> None:
    """The early phase's home exercises: on each of its weeks on the page, one all-day event a week."""
    edit(
        program_file(mini),
        "    pattern: [technique, strength, technique]\n",
        "    pattern: [technique, strength, technique]\n" + HOME,
    )
    out = tmp_path / "site"
    build(run, mini, out)
    folder = out / athlete_dir(mini, "ana")
    page = (folder / "index.html").read_text()
    for week in (1, 2):  # ana's two weeks of the early phase; none in the speed phase
        assert f'id="w{week}-home"' in page
    assert 'id="w3-home"' not in page
    assert 'Copenhagen plank</a>: <span class="dose">2 × 6 reps each side · twice a day</span>' in page
    assert 'Leg swings</a>: <span class="dose">1 × 10 reps · every other day</span>' in page

    feed = folder / "calendar.ics"
    home = [event for event in icalendar.Calendar.from_ical(feed.read_bytes()).events if event.categories == ["home"]]
    assert [(str(e["summary"]), e.start, e.end) for e in home] == [
        ("Home exercises (week 1)", dt.date(2027, 1, 6), dt.date(2027, 1, 13)),
        ("Home exercises (week 2)", dt.date(2027, 1, 13), dt.date(2027, 1, 20)),
    ]
    assert all(str(e["transp"]) == "TRANSPARENT" for e in home)
    description = str(home[0]["description"])
    assert "Copenhagen plank: 2 × 6 reps each side · twice a day" in description and "clinician" in description
    assert str(home[0]["url"]).endswith("#w1-home")
    # Calendar apps read the same week: Thunderbird's and GNOME's parsers, and vobject.
    for parser, feeds in read_by_all([feed]).items():
        spans = [(start, end) for uid, start, end in feeds[feed] if uid.endswith(".home@club.example")]
        assert spans == [(e.start, e.end) for e in home], parser
    # Home exercises are the athlete's own: not busy time, not in the staff's feeds.
    for other in (folder / "busy.ics", *out.glob("staff/*/*.ics")):
        assert "Home exercises" not in other.read_text()


def test_a_grade_does_its_own_home_exercises(mini: Path) -> None:
    edit(
        program_file(mini),
        "    pattern: [technique, strength, technique]\n",
        "    pattern: [technique, strength, technique]\n" + HOME,
    )
    edit(program_file(mini), GRADE_1, GRADE_1[:-1] + ", home: {early: [{drill: copenhagen, sets: 1, reps: 4}]}}")

    def home(athlete: str) -> list[tuple[str, int | None]]:
        week = plan_of(mini, athlete).weeks[0]
        return [(item.drill.id, item.spec.times_a_day) for item in week.phase.linked.home]

    assert home("ben") == [("copenhagen", 1)]
    assert home("ana") == [("copenhagen", 2), ("leg-swings", 1)]
