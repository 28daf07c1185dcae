"""What the athlete, the staff and the terminal show once a log exists: history, where the athlete
stands, moved dates, repeats and pauses; and that an athlete without a log sees exactly the plan as before."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder import wording
from builder.build import build
from tests.conftest import ENVIRONMENT, Run, athlete_dir, copy_shipped

MAYA_LOG = """\
# Maya's log, oldest first
records:
  - date: 2026-12-13
    check_in: protect-and-technique
    result: pass
  - date: 2026-12-20
    check_in: short-accelerations
    result: fail
    values: {half-speed-running: "tightness at 50%"}
    by: J. Doe
  - date: 2026-12-22
    pain: 2
    when: after
    session: short-accelerations
  - date: 2026-12-23
    decision: pause
    by: Dr. Ng
  - date: 2026-12-28
    decision: resume
"""
"""A failed check-in on Sun 20 Dec, a pain report, then a pause from Thu 24 Dec until a resume on Mon 28 Dec."""

LENA_LOG = """\
records:
  - date: 2026-12-09
    pain: 5
    when: during
    rule: pain-while-running
"""
"""A pain report whose rule calls the clinician: the plan is paused, with no resume yet."""

JORDAN_LOG = """\
records:
  - date: 2026-12-03
    decision: hold
    days: 10
"""

SAM_LOG = """\
records:
  - date: 2026-12-12
    decision: hold
    days: 10
  - date: 2026-12-12
    decision: pause
  - date: 2026-12-17
    decision: resume
"""
"""A hold, then a pause the same day: training resumes with the interrupted week, and the hold is over."""

ANA_LOG = """\
records:
  - date: 2027-01-19
    check_in: protect-and-technique
    result: pass
"""
"""A pass on the day of the check-in: the next check-in is the next phase's."""


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


class Elements(HTMLParser):
    """Every element of a page with the text a reader sees in it, in document order."""

    VOID = frozenset({"br", "meta", "link", "img", "input", "hr", "source"})
    BREAKS = frozenset({"br", "p", "li", "ul", "ol", "div", "h1", "h2", "h3", "h4", "tr", "td", "th", "aside"})
    """Elements a reader sees apart from the text around them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.all: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs}, self._open[-1] if self._open else None)
        if tag in self.BREAKS:
            self.handle_data(" ")
        self.all.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.handle_data(" ")
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)

    def by_id(self, anchor: str) -> Element:
        [found] = [element for element in self.all if element.attrs.get("id") == anchor]
        return found

    def having(self, tag: str, css_class: str) -> list[Element]:
        return [element for element in self.all if element.tag == tag and css_class in element.classes]

    def inside(self, outer: Element, tag: str) -> list[Element]:
        """The `tag` elements within `outer`, in document order."""
        found = []
        for element in self.all:
            parent = element.parent
            while parent is not None and parent is not outer:
                parent = parent.parent
            if parent is outer and element.tag == tag:
                found.append(element)
        return found


def write_logs(project: Path, logs: dict[str, str]) -> None:
    folder = project.parent / "log"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for athlete, text in logs.items():
        (folder / f"{athlete}.yaml").write_text(text)


def set_injury_date(project: Path, athlete: str, day: str | None) -> None:
    """Give an athlete of the shipped roster an injury date (or none)."""
    lines = project.read_text().splitlines()
    start = lines.index(f"  {athlete}:")
    at = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("injury:"))
    injury = re.sub(r", date: [\d-]+", "", lines[at])
    lines[at] = injury.replace("}", f", date: {day}}}") if day else injury
    project.write_text("\n".join(lines) + "\n")


@dataclass(frozen=True)
class Built:
    project: Path
    site: Path

    def page(self, athlete: str) -> str:
        return (self.site / athlete_dir(self.project, athlete) / "index.html").read_text()

    def staff(self) -> str:
        [staff] = self.site.glob("staff/*/index.html")
        return staff.read_text()


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The shipped project with logs for Maya (a retest, a pause), Lena (paused), Jordan (held), Sam and Ana."""
    folder = tmp_path_factory.mktemp("logged")
    project = copy_shipped(folder / "project")
    logs = {"maya-okafor": MAYA_LOG, "lena-ruiz": LENA_LOG, "jordan-ali": JORDAN_LOG}
    write_logs(project, {**logs, "sam-kowalski": SAM_LOG, "ana-silva": ANA_LOG})
    set_injury_date(project, "maya-okafor", "2026-11-16")
    build(project, ENVIRONMENT, output=folder / "site")
    return Built(project, folder / "site")


def test_history_lists_every_record_with_its_values_and_what_it_did(logged: Built) -> None:
    page = Elements(logged.page("maya-okafor"))
    items = page.inside(page.by_id("history"), "li")
    assert [item.text for item in items] == [
        "Sun 13 Dec 2026: Check-in (end of Protect and rebuild - technique and strength at low intensity): passed. "
        "The next phase starts as planned.",
        "Sun 20 Dec 2026: Check-in (end of Short accelerations): not passed. "
        "Pain-free running at half speed: tightness at 50%. By J. Doe. "
        "The last week of Short accelerations is done again, then the check-in comes again; "
        "every later date moves back.",
        "Tue 22 Dec 2026: Pain 2/10 after the session (Short accelerations). Noted; the plan goes on as it was.",
        "Wed 23 Dec 2026: Clinician's decision: pause all training. By Dr. Ng. "
        "All training paused: see your clinician.",
        "Mon 28 Dec 2026: Clinician's decision: resume training. Training resumes with the week that was interrupted.",
    ]


def test_where_the_athlete_stands_after_the_last_record(logged: Built) -> None:
    page = Elements(logged.page("maya-okafor"))
    now = page.by_id("now")
    assert now.text == (
        "Where you stand As of Mon 28 Dec 2026, the day of the last record in the log. "
        "Short accelerations, week 1 of 1, done again, 3rd time "
        "Week 5 of the plan: Mon 28 Dec 2026 to Sun 03 Jan 2027 "
        "Next check-in: end of Short accelerations, Sun 03 Jan 2027 (was Sun 20 Dec)."
    )
    # Near the top, after today: before the plan, the phase table and the calendar links.
    ids = [element.attrs.get("id") for element in page.all]
    assert ids.index("today") < ids.index("now") < ids.index("plan") < ids.index("phases") < ids.index("calendar")


def test_the_retest_shows_where_the_check_in_was(logged: Built) -> None:
    page = Elements(logged.page("maya-okafor"))
    check_ins = {item.text.split(" Check-in at the end")[0] for item in page.having("li", "check-in")}
    assert "Sun 20 Dec Check-in: end of Short accelerations (earliest)" in check_ins  # as it happened
    assert "Sun 03 Jan Check-in: end of Short accelerations (earliest) (was Sun 20 Dec)" in check_ins
    assert "Sun 10 Jan Check-in: end of Longer accelerations and fly-ins (earliest) (was Sun 27 Dec)" in check_ins
    # Each check-in keeps an anchor of its own when it comes again.
    anchors = [item.attrs["id"] for item in page.having("li", "check-in")]
    assert len(anchors) == len(set(anchors))


def test_phase_table_and_plan_end_show_their_moved_dates(logged: Built) -> None:
    page = Elements(logged.page("maya-okafor"))
    rows = [row.text for row in page.inside(page.by_id("phases"), "tr")]
    assert (
        "Short accelerations 3 Mon 14 Dec 2026 Sun 03 Jan 2027 (was Sun 20 Dec) Pain-free running at half speed" in rows
    )
    assert (
        "Protect and rebuild - technique and strength at low intensity 2 Mon 30 Nov 2026 Sun 13 Dec 2026"
        in " ".join(rows)
    )  # unmoved dates say nothing more
    [longer] = [row for row in rows if row.startswith("Longer accelerations")]
    assert longer.startswith(
        "Longer accelerations and fly-ins 1 Mon 04 Jan 2027 (was Mon 21 Dec) Sun 10 Jan 2027 (was Sun 27 Dec)"
    )
    assert "Earliest dates: Mon 30 Nov 2026 to Sun 28 Feb 2027 (was Sun 14 Feb)." in _words(logged.page("maya-okafor"))


def test_weeks_before_the_last_record_are_history_with_their_records(logged: Built) -> None:
    page = Elements(logged.page("maya-okafor"))
    weeks = {week.attrs["id"]: week for week in page.having("article", "week")}
    assert [anchor for anchor, week in weeks.items() if "past" in week.classes] == ["w1", "w2", "w3", "w4"]
    assert "Week 1 Mon 30 Nov 2026 to Sun 06 Dec 2026 past" in weeks["w1"].text  # happened: not "earliest"
    assert "Week 5 Mon 28 Dec 2026 to Sun 03 Jan 2027 (earliest) done again, 3rd time" in weeks["w5"].text
    # The week the pause cut short ends on its real last day, and says why.
    assert weeks["w4"].text.startswith(
        "Week 4 Mon 21 Dec 2026 to Wed 23 Dec 2026 done again past "
        "Short accelerations, week 1 of 1 · planned load 300 "
        "Ended early on Wed 23 Dec 2026: a record changed the plan."
    )
    # Each record sits beside the week it falls in.
    assert "Sun 20 Dec 2026: Check-in (end of Short accelerations): not passed." in weeks["w3"].text
    assert "Tue 22 Dec 2026: Pain 2/10 after the session" in weeks["w4"].text
    assert "not passed" not in weeks["w4"].text


def test_a_pause_appears_between_the_weeks_it_separates(logged: Built) -> None:
    html = logged.page("maya-okafor")
    page = Elements(html)
    pause = page.by_id("pause-1")
    assert pause.text.startswith(
        "Paused: see your clinician No training from Thu 24 Dec 2026 until Mon 28 Dec 2026. See your clinician;"
    )
    assert pause.text.endswith(
        "Mon 28 Dec 2026: Clinician's decision: resume training. Training resumes with the week that was interrupted."
    )
    assert html.index('id="w4"') < html.index('id="pause-1"') < html.index('id="w5"')


def test_days_after_injury_and_the_typical_return(logged: Built) -> None:
    words = _words(logged.page("maya-okafor"))
    assert "Plan start, Mon 30 Nov 2026: day 14 after injury." in words
    # Return to play: the last check-in with exit criteria, Return to team training's, moved two weeks by the log.
    assert "Projected return to play, Sun 31 Jan 2027 (was Sun 17 Jan): day 76 after injury." in words
    assert (
        "Typical return to play at this grade: 11 to 33 days after injury (Fri 27 Nov 2026 to Sat 19 Dec 2026)."
        in words
    )


def test_a_pause_in_force_says_to_see_the_clinician(logged: Built) -> None:
    page = Elements(logged.page("lena-ruiz"))
    now = page.by_id("now").text
    assert "Paused: see your clinician" in now
    assert wording.paused_text(dt.date(2026, 12, 10), None) in now
    assert "No check-in until training resumes." in now
    assert "Earliest dates: Sat 05 Dec 2026 to not known until training resumes" in _words(logged.page("lena-ruiz"))


def test_plan_in_the_terminal_has_the_history_and_moved_dates(run: Run, logged: Built) -> None:
    result = run("plan", "-f", logged.project, "maya-okafor", "--brief")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "Left hamstring strain, grade 2; earliest dates Mon 30 Nov 2026 to Sun 28 Feb 2027 (was Sun 14 Feb)." in lines
    )
    assert "Next check-in: end of Short accelerations, Sun 03 Jan 2027 (was Sun 20 Dec)." in lines
    history = lines[lines.index("HISTORY") + 1 : lines.index("HISTORY") + 6]
    assert history[1] == (
        "- Sun 20 Dec 2026: Check-in (end of Short accelerations): not passed. "
        "Pain-free running at half speed: tightness at 50%. By J. Doe. "
        "The last week of Short accelerations is done again, then the check-in comes again; "
        "every later date moves back."
    )
    assert "  Sun 03 Jan  Check-in: end of Short accelerations (earliest) (was Sun 20 Dec)" in lines
    week_four = lines.index(
        "Week 4 · Mon 21 Dec 2026 to Wed 23 Dec 2026 · Short accelerations, week 1 of 1 · planned load 300"
        " · done again · past"
    )
    pause = lines.index("Paused: see your clinician", week_four)
    assert lines[pause - 2] == (
        "  * Wed 23 Dec 2026: Clinician's decision: pause all training. By Dr. Ng. "
        "All training paused: see your clinician."
    )
    assert lines[pause + 1].startswith("  No training from Thu 24 Dec 2026 until Mon 28 Dec 2026.")
    assert lines[pause + 4].startswith("Week 5 · Mon 28 Dec 2026 to Sun 03 Jan 2027 (earliest)")


def test_staff_see_where_each_athlete_stands(logged: Built) -> None:
    page = Elements(logged.staff())
    [table] = page.having("table", "standing")
    rows = {" ".join(row.text.split()[:2]): row for row in page.inside(table, "tr")}
    maya = rows["Maya Okafor"].text
    assert "As of Mon 28 Dec 2026, the day of the last record in the log." in maya
    assert "Short accelerations, week 1 of 1, done again, 3rd time" in maya
    assert "Sun 03 Jan 2027 (was Sun 20 Dec)" in maya
    assert "Tue 22 Dec 2026: Pain 2/10 after the session (Short accelerations)." in maya
    [due] = [cell for cell in page.inside(rows["Maya Okafor"], "td") if "data-due" in cell.attrs]
    assert due.attrs["data-due"] == "2027-01-03"
    assert "Paused: see your clinician (no training since Thu 10 Dec 2026)." in rows["Lena Ruiz"].text
    assert "Progression held until Sun 13 Dec 2026: the current dose again, no step up." in rows["Jordan Ali"].text
    # Without a log: from the plan's start, the first check-in next.
    tom = rows["Tom Becker"].text
    assert "From the plan's start, Wed 02 Dec 2026: nothing recorded yet." in tom
    assert "Load the calf - holds and raises, week 1 of 1" in tom
    # The overdue mark waits for the browser's script, which loads from the site itself.
    assert all(label.attrs.get("hidden") is not None for label in page.having("strong", "overdue-label"))
    [script] = [element for element in page.all if element.tag == "script"]
    assert script.attrs["src"] == "../../static/overdue.js"
    assert (logged.site / "static" / "overdue.js").is_file()


def test_a_result_on_the_check_ins_day_moves_on_to_the_next_check_in(logged: Built) -> None:
    page = Elements(logged.page("ana-silva"))
    assert "Next check-in: end of Short accelerations, Tue 26 Jan 2027." in page.by_id("now").text
    staff = Elements(logged.staff())
    [ana] = [row for row in staff.inside(staff.having("table", "standing")[0], "tr") if "Ana Silva" in row.text]
    assert [cell.attrs["data-due"] for cell in staff.inside(ana, "td") if "data-due" in cell.attrs] == ["2027-01-26"]


def test_a_resume_ends_a_hold_recorded_before_the_pause(logged: Built) -> None:
    now = Elements(logged.page("sam-kowalski")).by_id("now").text
    assert "As of Thu 17 Dec 2026" in now
    assert "Progression held" not in now
    staff = Elements(logged.staff())
    [sam] = [row for row in staff.inside(staff.having("table", "standing")[0], "tr") if "Sam Kowalski" in row.text]
    assert staff.inside(sam, "td")[-1].text == ""


def test_a_hold_is_over_once_its_days_have_passed(tmp_path: Path) -> None:
    project = copy_shipped(tmp_path / "project")
    write_logs(project, {"jordan-ali": JORDAN_LOG + "  - date: 2026-12-14\n    pain: 1\n    when: after\n"})
    build(project, ENVIRONMENT, output=tmp_path / "site")
    now = Elements(Built(project, tmp_path / "site").page("jordan-ali")).by_id("now").text
    assert "As of Mon 14 Dec 2026" in now
    assert "Progression held" not in now


def test_a_phase_done_twice_keeps_anchors_of_its_own(tmp_path: Path) -> None:
    """Failing the maximal sprint steps back to the fly-ins and repeated runs: both phases come twice."""
    project = copy_shipped(tmp_path / "project")
    passes = "".join(
        f"  - {{date: {day}, check_in: {phase}, result: pass}}\n"
        for day, phase in (
            ("2026-12-13", "protect-and-technique"),
            ("2026-12-20", "short-accelerations"),
            ("2026-12-27", "long-accelerations"),
            ("2027-01-02", "fast-running"),
        )
    )
    write_logs(
        project, {"maya-okafor": f"records:\n{passes}  - {{date: 2027-01-09, check_in: max-sprint, result: fail}}\n"}
    )
    build(project, ENVIRONMENT, output=tmp_path / "site")
    page = Elements(Built(project, tmp_path / "site").page("maya-okafor"))
    ids = [element.attrs["id"] for element in page.all if "id" in element.attrs]
    assert len(ids) == len(set(ids))
    phases = [element.text for element in page.having("h3", "phase")]
    assert phases.count("Phase 4: Fly-ins and repeated runs up to 90%") == 2
    links = [a.attrs["href"] for a in page.inside(page.by_id("phases"), "a")]
    assert links.count("#phase-fast-running") == 1
    assert "#phase-fast-running-2" in links and "phase-fast-running-2" in ids


def test_while_paused_no_return_to_play_is_projected(tmp_path: Path) -> None:
    project = copy_shipped(tmp_path / "project")
    set_injury_date(project, "jordan-ali", "2026-11-27")
    log = "records:\n  - {date: 2026-12-07, check_in: protect-and-technique, result: pass}\n"
    write_logs(project, {"jordan-ali": log + "  - {date: 2026-12-09, decision: pause}\n"})
    build(project, ENVIRONMENT, output=tmp_path / "site")
    words = _words(Built(project, tmp_path / "site").page("jordan-ali"))
    assert "Plan start, Tue 01 Dec 2026: day 4 after injury." in words
    assert "Projected return to play" not in words


def test_an_athlete_without_a_log_gets_exactly_the_plan_without_logs(logged: Built, tmp_path: Path, run: Run) -> None:
    project = copy_shipped(tmp_path / "project")
    shutil.rmtree(project.parent / "log", ignore_errors=True)
    set_injury_date(project, "maya-okafor", "2026-11-16")
    build(project, ENVIRONMENT, output=tmp_path / "site")
    without = Built(project, tmp_path / "site")
    assert logged.page("tom-becker") == without.page("tom-becker")
    assert run("plan", "-f", logged.project, "tom-becker").output == run("plan", "-f", project, "tom-becker").output
    # And nothing of the log's sections shows on a page without one.
    tom = Elements(without.page("maya-okafor"))
    assert not [element for element in tom.all if element.attrs.get("id") in ("now", "history")]
    assert "was " not in _words(without.page("maya-okafor"))
    assert not tom.having("article", "past")


def test_without_an_injury_date_no_day_is_counted(tmp_path: Path) -> None:
    project = copy_shipped(tmp_path / "project")
    set_injury_date(project, "tom-becker", None)
    build(project, ENVIRONMENT, output=tmp_path / "site")
    words = _words(Built(project, tmp_path / "site").page("tom-becker"))
    assert "after injury" not in words
    assert "Projected return to play" not in words


def _words(html: str) -> str:
    """The page's text as a reader sees it."""
    [page] = [element for element in Elements(html).all if element.tag == "html"]
    return page.text
