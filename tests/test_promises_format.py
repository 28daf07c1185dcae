"""What the format and the command line promise about bad input and private addresses.

- Private addresses are printed only when asked for (`build --show-private`, `links`), and
  never where CI is set: CI logs are readable by everyone with access to the repository.
- Text is one line where one line is meant, and never holds control characters that would
  reach a feed, a page or a terminal.
- A value is taken as meant or refused: no number read as a date or a time of day, no
  true/false read as text or as a number, no date past what a plan can reach.
- Every count has a maximum, named in the error, so no input makes a build run for hours.

Each refused input is checked end to end: exit status, the exact message at its
file:line:column, no traceback, and for a build, the previous site left as it was.
Line numbers are those of tests/fixtures/mini.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from builder import cli
from builder.build import gather
from builder.links import Links
from tests.conftest import SECRET, Run, athlete_dir, files_of

STAFF = Links(SECRET.encode()).staff_dir()
BASE = "https://club.example/rehab/"
GRADE_2 = '  "2": {note: Moderate.}'


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def errors(result: Result) -> list[str]:
    """The problems a refused command printed, after checking how it stopped."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.splitlines()[-1].endswith("nothing was written.")
    return [line.removeprefix("error: ") for line in result.output.splitlines() if line.startswith("error: ")]


@pytest.fixture
def site(run: Run, mini: Path, tmp_path: Path) -> Path:
    """The mini project built once into `site/`, to check that a refused build leaves it as it was."""
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    return out


def refused_build(run: Run, project: Path, site: Path) -> list[str]:
    """Rebuild into `site` with bad input: the problems printed; the site must be left as it was."""
    before = files_of(site)
    result = run("build", "-f", project, "-o", site)
    problems = errors(result)
    assert files_of(site) == before
    return problems


# --- 1. private addresses only when asked, never in CI ------------------------------------


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run on a developer's machine and in CI alike: each that needs CI set says so."""
    monkeypatch.delenv("CI", raising=False)


def test_build_prints_no_private_address(run: Run, mini: Path, tmp_path: Path) -> None:
    result = run("build", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 0
    private = [STAFF, athlete_dir(mini, "ana"), athlete_dir(mini, "ben")]
    assert all(folder.split("/")[1] not in result.output for folder in private)
    assert "staff/" not in result.output and "athletes/" not in result.output
    assert result.output.splitlines()[1:] == [
        "Private addresses (the staff page, athletes' pages and feeds): sprintback links"
    ]


def test_build_show_private_prints_the_staff_page_and_team_feed(run: Run, mini: Path, tmp_path: Path) -> None:
    result = run("build", "--show-private", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == [
        f"Staff page (private, share with staff only): {BASE}{STAFF}",
        f"Team feed (private): {BASE}{STAFF}team.ics",
        f"Upcoming feed (private): {BASE}{STAFF}upcoming.ics",
    ]
    assert (tmp_path / "site" / STAFF / "team.ics").is_file()
    assert (tmp_path / "site" / STAFF / "upcoming.ics").is_file()


def test_links_prints_every_private_address(run: Run, mini: Path, tmp_path: Path) -> None:
    result = run("links", "-f", mini)
    assert result.exit_code == 0
    ana, ben = athlete_dir(mini, "ana"), athlete_dir(mini, "ben")
    assert result.output.splitlines() == [
        f"Staff page (private, share with staff only): {BASE}{STAFF}",
        f"Team feed (private): {BASE}{STAFF}team.ics",
        f"Upcoming feed (private): {BASE}{STAFF}upcoming.ics",
        f"Ana Example (ana): page {BASE}{ana}",
        f"Ana Example (ana): feed {BASE}{ana}calendar.ics",
        f"Ben Example (ben): page {BASE}{ben}",
        f"Ben Example (ben): feed {BASE}{ben}calendar.ics",
    ]
    # The addresses are those the build writes.
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    assert (out / ana / "calendar.ics").is_file() and (out / ben / "index.html").is_file()


def test_links_for_named_athletes_prints_only_theirs(run: Run, mini: Path) -> None:
    result = run("links", "-f", mini, "ben")
    assert result.exit_code == 0
    ben = athlete_dir(mini, "ben")
    assert result.output.splitlines() == [
        f"Ben Example (ben): page {BASE}{ben}",
        f"Ben Example (ben): feed {BASE}{ben}calendar.ics",
    ]


def test_links_without_base_url_gives_paths_in_the_output_folder(run: Run, mini: Path) -> None:
    edit(mini, "  base_url: https://club.example/rehab/\n", "")
    result = run("links", "-f", mini, "ana")
    assert result.exit_code == 0
    folder = f"{(mini.parent / 'site').resolve()}/{athlete_dir(mini, 'ana')}"
    assert result.output.splitlines() == [
        f"Ana Example (ana): page {folder}",
        f"Ana Example (ana): feed {folder}calendar.ics",
    ]


def test_links_for_an_unknown_athlete_is_a_usage_error(run: Run, mini: Path) -> None:
    result = run("links", "-f", mini, "ana", "zoe")
    assert result.exit_code == 2
    assert "Error: Invalid value for ATHLETE: no athlete 'zoe' in the roster; athletes: ana, ben" in result.output
    assert "athletes/" not in result.output


def test_links_without_a_key_prints_nothing_and_makes_no_key(
    run: Run, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key made up on the spot would give addresses no build ever wrote.
    monkeypatch.delenv("SPRINTBACK_SECRET")
    result = run("links", "-f", mini)
    assert result.exit_code == 1
    assert result.output == (
        "error: no key for private addresses yet: build once (it saves a new key in .sprintback-secret), "
        "or set SPRINTBACK_SECRET to the key your site is built with\n"
    )
    assert not (mini.parent / ".sprintback-secret").exists()


@pytest.mark.parametrize("value", ["true", "1", "yes", "TRUE"])
@pytest.mark.parametrize(
    ("args", "command"),
    [(["build", "--show-private"], "build --show-private"), (["links"], "links"), (["links", "ana"], "links")],
)
def test_private_addresses_are_refused_in_ci(
    run: Run, mini: Path, site: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], command: str, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    before = files_of(site)
    result = run(*args, "-f", mini, *(["-o", site] if args[0] == "build" else []))
    assert result.exit_code == 2
    assert result.output == (
        f"error: `sprintback {command}` prints private addresses, and CI={value} says this runs in CI, "
        "whose logs are readable by everyone with access to the repository; run it on your own machine\n"
    )
    assert files_of(site) == before  # refused before building


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_ci_set_to_false_allows_private_addresses(
    run: Run, mini: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    result = run("links", "-f", mini)
    assert result.exit_code == 0
    assert STAFF in result.output


def test_plain_build_in_ci_prints_nothing_private(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = run("build", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 0
    assert "staff/" not in result.output and "athletes/" not in result.output


def test_no_progress_label_when_stderr_is_not_a_terminal(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # click writes a progress bar's label even where it draws no bar, e.g. into a CI log.
    monkeypatch.setattr(cli, "PROGRESS_FROM", 0)
    result = run("build", "-f", mini, "-o", tmp_path / "log")
    assert result.exit_code == 0
    assert "Building" not in result.output
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    shown = run("build", "-f", mini, "-o", tmp_path / "terminal")
    assert shown.exit_code == 0
    assert "Building" in shown.output


def test_record_dates_past_the_format_range_are_refused_before_writing(run: Run, mini: Path) -> None:
    for day in ("3000-01-01", "1899-12-31"):
        result = run("pain", "-f", mini, "ana", "3", "--date", day)
        assert result.exit_code == 1
        assert result.output == f"error: --date: expected a date from 1900-01-01 to 2999-12-31, got '{day}'\n"
    assert not (mini.parent / "log").exists()
    status = run("status", "-f", mini, "--today", "9999-12-31")
    assert status.exit_code == 1
    assert status.output == "error: --today: expected a date from 1900-01-01 to 2999-12-31, got '9999-12-31'\n"


# --- 2. control characters ------------------------------------------------------------------

ONE_LINE = "expected one line of text without control characters, got"
MARKDOWN = "expected text without control characters other than line feeds and tabs, got"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (  # a line feed in a display name would inject lines into the feeds
            "sprintback.yaml",
            "name: Ana Example",
            'name: "Ana\\nBEGIN:VEVENT"',
            f"sprintback.yaml:7:11: athletes.ana.name: {ONE_LINE} a line feed at character 4",
        ),
        (  # ANSI escapes would reach the terminal through `sprintback plan`
            "sprintback.yaml",
            "name: Ana Example",
            'name: "Ana \\e[2J\\e[31mExample"',
            f"sprintback.yaml:7:11: athletes.ana.name: {ONE_LINE} an escape character (ESC) at character 5",
        ),
        (
            "sprintback.yaml",
            "title: Mini Rehab Club",
            'title: "Mini\\rRehab"',
            f"sprintback.yaml:2:10: site.title: {ONE_LINE} a carriage return at character 5",
        ),
        (  # NUL breaks libical
            "programs/adductor.yaml",
            "title: Return to sprint after an adductor strain",
            'title: "Return\\0"',
            f"programs/adductor.yaml:2:8: title: {ONE_LINE} a NUL character at character 7",
        ),
        (
            "programs/adductor.yaml",
            "    title: Accelerations",
            '    title: "Accel\\u202Eerations"',
            f"programs/adductor.yaml:55:12: sessions.sprint.title: {ONE_LINE} a bidirectional override (U+202E) "
            "at character 6",
        ),
        (
            "programs/adductor.yaml",
            "    title: Speed\n",
            '    title: "Speed\\u2066"\n',
            f"programs/adductor.yaml:91:12: phases[1].title: {ONE_LINE} a bidirectional override (U+2066) "
            "at character 6",
        ),
        (
            "programs/adductor.yaml",
            "      when: pain above 3/10 during a drill",
            '      when: "pain above\\t3/10"',
            f"programs/adductor.yaml:15:13: monitoring.rules.stop.when: {ONE_LINE} a tab at character 11",
        ),
        (
            "programs/adductor.yaml",
            "    citation: Example A. A test source. J Test. 2020.",
            '    citation: "Example A.\\LA test source."',
            f"programs/adductor.yaml:9:15: sources[0].citation: {ONE_LINE} a line separator (U+2028) at character 11",
        ),
        (
            "programs/adductor.yaml",
            "  log: [RPE, pain 0-10]",
            '  log: [RPE, "pain\\x850-10"]',
            f"programs/adductor.yaml:22:14: monitoring.log[1]: {ONE_LINE} a control character (U+0085) at character 5",
        ),
        (
            "programs/adductor.yaml",
            "    name: Pain-free squeeze test",
            '    name: "Pain-free\\u200Bsqueeze test"',
            f"programs/adductor.yaml:25:11: criteria.squeeze.name: {ONE_LINE} an invisible formatting character "
            "(U+200B) at character 10",
        ),
        (
            "programs/adductor.yaml",
            "      - name: Main\n        note",
            '      - name: "Main\\x7F"\n        note',
            f"programs/adductor.yaml:45:15: sessions.technique.blocks[1].name: {ONE_LINE} a delete character (DEL) "
            "at character 5",
        ),
        (
            "programs/adductor.yaml",
            "    milestones: [Four pain-free accelerations]",
            '    milestones: ["Four\\x9b31m"]',
            f"programs/adductor.yaml:97:18: phases[1].milestones[0]: {ONE_LINE} a control character (U+009B) "
            "at character 5",
        ),
        (  # Markdown keeps line feeds and tabs, nothing else
            "programs/adductor.yaml",
            "summary: |\n  A short **test** protocol. Progression is gated by criteria.",
            'summary: "A short\\n\\t**test**\\e[0m protocol."',
            f"programs/adductor.yaml:5:10: summary: {MARKDOWN} an escape character (ESC) on line 2 of the text, "
            "at character 10",
        ),
        (
            "programs/adductor.yaml",
            "    goal: Build to fast running.",
            '    goal: "Build to\\r\\nfast running."',
            f"programs/adductor.yaml:92:11: phases[1].goal: {MARKDOWN} a carriage return at character 9",
        ),
        (
            "programs/adductor.yaml",
            "      advice: Stop the drill and walk it off.",
            '      advice: "Stop the drill\\0"',
            f"programs/adductor.yaml:17:15: monitoring.rules.stop.advice: {MARKDOWN} a NUL character at character 15",
        ),
        (
            "programs/drills/strides.md",
            "name: Strides",
            'name: "Str\\nides"',
            f"programs/drills/strides.md:2:7: name: {ONE_LINE} a line feed at character 4",
        ),
        (
            "programs/drills/strides.md",
            "cues: [Relaxed jaw, Soft midfoot landing]",
            'cues: [Relaxed jaw, "Soft\\vmidfoot"]',
            f"programs/drills/strides.md:5:21: cues[1]: {ONE_LINE} a control character (U+000B) at character 5",
        ),
        (
            "programs/drills/strides.md",
            "  adductor: Keep the stride short.",
            '  adductor: "Keep the\\x1b]8;;https://evil.example\\x07stride"',
            f"programs/drills/strides.md:8:13: cautions.adductor: {MARKDOWN} an escape character (ESC) at character 9",
        ),
    ],
)
def test_control_characters_are_refused_where_they_stand(
    run: Run, mini: Path, site: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(mini.parent / file, old, new)
    assert refused_build(run, mini, site) == [expected]
    assert errors(run("plan", "-f", mini, "ana")) == [expected]


def test_a_control_character_deep_in_markdown_is_found_by_its_line(run: Run, mini: Path) -> None:
    # A YAML file cannot hold a raw control character; a quoted value can, as an escape.
    program = mini.parent / "programs" / "adductor.yaml"
    edit(program, "    notes: Quality over quantity.", '    notes: "Quality over quantity.\\n\\nThen \\x7f speed."')
    assert errors(run("validate", "-f", mini)) == [
        f"programs/adductor.yaml:42:12: sessions.technique.notes: {MARKDOWN} a delete character (DEL) on line 3 "
        "of the text, at character 6"
    ]


def test_text_keeps_line_feeds_and_tabs_where_markdown_is_meant(run: Run, mini: Path) -> None:
    program = mini.parent / "programs" / "adductor.yaml"
    edit(
        program,
        "summary: |\n  A short **test** protocol. Progression is gated by criteria.",
        'summary: "A short\\n\\t**test**  protocol."',
    )
    edit(program, "    notes: Quality over quantity.", '    notes: "Quality\\n\\nover quantity."')
    edit(mini, "name: Ana Example", 'name: "  Ana Example\\n"')  # around the text, a line feed does no harm
    assert run("validate", "-f", mini).exit_code == 0
    assert run("plan", "-f", mini, "ana").output.startswith("Ana Example: ")


def test_control_characters_in_a_log_are_refused(run: Run, mini: Path) -> None:
    logs = mini.parent / "log"
    logs.mkdir()
    (logs / "ana.yaml").write_text(
        "records:\n"
        '  - {date: 2027-01-10, pain: 2, note: "sore\\x1b[8m"}\n'
        '  - {date: 2027-01-11, decision: hold, by: "Dr\\nLee"}\n'
    )
    assert errors(run("validate", "-f", mini)) == [
        f"log/ana.yaml:2:39: records[0].note: {MARKDOWN} an escape character (ESC) at character 5",
        f"log/ana.yaml:3:44: records[1].by: {ONE_LINE} a line feed at character 3",
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["pain", "ana", "2", "--note", "sore\x1b[2J"],
            f"--note: {MARKDOWN} an escape character (ESC) at character 5",
        ),
        (  # bytes of the command line that are not UTF-8 (the log could not be written as UTF-8)
            ["pain", "ana", "2", "--note", "sore\udcff"],
            f"--note: {MARKDOWN} a lone surrogate (U+DCFF) at character 5",
        ),
        (["decide", "ana", "hold", "--by", "Dr\nLee"], f"--by: {ONE_LINE} a line feed at character 3"),
        (
            ["checkin", "ana", "--pass", "--value", "squeeze=pain\r-free"],
            f"--value squeeze: {ONE_LINE} a carriage return at character 5",
        ),
    ],
)
def test_text_from_the_command_line_with_a_control_character_is_not_recorded(
    run: Run, mini: Path, args: list[str], expected: str
) -> None:
    result = run(args[0], "-f", mini, *args[1:], "--date", "2027-01-19")
    assert result.exit_code == 1
    assert result.output == f"error: {expected}\n"
    assert not (mini.parent / "log").exists()


# --- 3. values YAML or pydantic would reinterpret --------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (  # pydantic reads a number as seconds: 1730 would be 00:28:50
            "sprintback.yaml",
            'session_time: "18:00"',
            "session_time: 1730",
            "sprintback.yaml:12:19: athletes.ana.session_time: expected a time of day as HH:MM, got the number 1730: "
            'write it as "17:30"',
        ),
        (
            "sprintback.yaml",
            'session_time: "18:00"',
            "session_time: 17.30",
            "sprintback.yaml:12:19: athletes.ana.session_time: expected a time of day as HH:MM, got the number 17.3: "
            'write it with a colon, e.g. "17:30"',
        ),
        (
            "sprintback.yaml",
            'session_time: "18:00"',
            'session_time: "25:00"',
            "sprintback.yaml:12:19: athletes.ana.session_time: expected a time of day as HH:MM, from 00:00 to 23:59, "
            'got "25:00"',
        ),
        (
            "sprintback.yaml",
            'session_time: "18:00"',
            "session_time: 18:60",
            "sprintback.yaml:12:19: athletes.ana.session_time: expected a time of day as HH:MM, from 00:00 to 23:59, "
            'got "18:60"',
        ),
        (  # a time zone offset would move every session
            "sprintback.yaml",
            'session_time: "18:00"',
            'session_time: "18:00+02:00"',
            'sprintback.yaml:12:19: athletes.ana.session_time: expected a time of day as HH:MM, got "18:00+02:00"',
        ),
        (  # pydantic reads a number as seconds since 1970: 0 would be 1970-01-01
            "sprintback.yaml",
            "start: 2027-01-06",
            "start: 0",
            "sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got the number 0",
        ),
        (
            "sprintback.yaml",
            "start: 2027-01-06",
            "start: 1799193600",
            "sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got the number 1799193600",
        ),
        (
            "sprintback.yaml",
            "start: 2027-01-06",
            'start: "20270106"',
            'sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got "20270106"',
        ),
        (
            "sprintback.yaml",
            "start: 2027-01-06",
            "start: 2027-02-30",
            'sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got "2027-02-30": '
            "February 2027 has 28 days",
        ),
        (
            "sprintback.yaml",
            "start: 2027-01-06",
            'start: "2028-13-01"',
            'sprintback.yaml:9:12: athletes.ana.start: expected a date as YYYY-MM-DD, got "2028-13-01": '
            "there is no month 13",
        ),
        (  # weeks added to a start in 9999 overflow Python's dates
            "sprintback.yaml",
            "start: 2027-01-06",
            "start: 9999-12-01",
            "sprintback.yaml:9:12: athletes.ana.start: expected a date from 1900-01-01 to 2999-12-31, got 9999-12-01",
        ),
        (
            "sprintback.yaml",
            "type: adductor, grade: 2, side: left}",
            "type: adductor, grade: 2, side: left, date: 0001-01-01}",
            "sprintback.yaml:8:58: athletes.ana.injury.date: expected a date from 1900-01-01 to 2999-12-31, "
            "got 0001-01-01",
        ),
        (  # "Europe" is a folder of the time zone database, not a zone
            "sprintback.yaml",
            "timezone: Europe/Madrid",
            "timezone: Europe",
            "sprintback.yaml:10:15: athletes.ana.timezone: unknown time zone 'Europe', expected an IANA name "
            "such as Europe/London",
        ),
        (
            "sprintback.yaml",
            "name: Ana Example",
            "name: true",
            "sprintback.yaml:7:11: athletes.ana.name: expected text, got true: YAML reads an unquoted true or false "
            "as a yes-or-no value; put the text in quotes",
        ),
        (  # the version is named on every page: 1.10 must not become 1.1
            "programs/adductor.yaml",
            'version: "1.0"',
            "version: 1.10",
            "programs/adductor.yaml:4:10: version: expected text, got the number 1.1: put the text in quotes, "
            "as YAML reads an unquoted 1.10 as the number 1.1",
        ),
        (
            "programs/adductor.yaml",
            "    note: Full rest between efforts.",
            "    note: 2027-01-06",
            "programs/adductor.yaml:46:15: sessions.technique.blocks[1].note: expected text, got the date 2027-01-06; "
            "put the text in quotes",
        ),
        (  # true is not one set
            "programs/adductor.yaml",
            "            sets: 3\n",
            "            sets: true\n",
            "programs/adductor.yaml:49:19: sessions.technique.blocks[1].items[0].sets: "
            "expected a whole number, got true",
        ),
        (
            "programs/adductor.yaml",
            "  allowed_pain: 3",
            "  allowed_pain: false",
            "programs/adductor.yaml:12:17: monitoring.allowed_pain: expected a whole number, got false",
        ),
        (
            "programs/adductor.yaml",
            "    rpe: 4",
            "    rpe: true",
            "programs/adductor.yaml:41:10: sessions.technique.rpe: expected a number, got true",
        ),
        (  # links are made by appending paths: without the slash, ".../rehabathletes/..."
            "sprintback.yaml",
            "base_url: https://club.example/rehab/",
            "base_url: https://club.example/rehab",
            "sprintback.yaml:3:13: site.base_url: expected the address of a folder, ending in /: "
            "https://club.example/rehab/",
        ),
        (
            "sprintback.yaml",
            "base_url: https://club.example/rehab/",
            "base_url: https://coach:hunter2@club.example/rehab/",
            "sprintback.yaml:3:13: site.base_url: expected an address without a user name or password: "
            "it is written on every page",
        ),
        (
            "sprintback.yaml",
            "base_url: https://club.example/rehab/",
            "base_url: https://club.example/rehab/?utm=x",
            "sprintback.yaml:3:13: site.base_url: expected an address without ?query or #fragment: "
            "page addresses are appended to it",
        ),
        (  # URL parsing drops tabs and line feeds silently
            "sprintback.yaml",
            "base_url: https://club.example/rehab/",
            'base_url: "https://club.example/re\\nhab/"',
            f"sprintback.yaml:3:13: site.base_url: {ONE_LINE} a line feed at character 24",
        ),
    ],
)
def test_values_are_taken_as_meant_or_refused(
    run: Run, mini: Path, site: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(mini.parent / file, old, new)
    assert refused_build(run, mini, site) == [expected]


def test_keys_with_spaces_around_do_not_replace_other_keys(run: Run, mini: Path) -> None:
    # Stripped, `"ana "` was `ana`: it silently replaced ana's whole roster entry.
    other = (
        '  "ana ": {name: X, injury: {type: adductor, grade: 1, side: right}, start: 2027-01-04, timezone: UTC, '
        "training_days: [tue, thu, sat]}\n"
    )
    edit(mini, "  ben:\n", other + "  ben:\n")
    edit(mini.parent / "programs" / "adductor.yaml", '  "1": {scale', '  "2 ": {note: Other.}\n  "1": {scale')
    assert errors(run("validate", "-f", mini)) == [
        'programs/adductor.yaml:101:3: grades.2 : bad id "2 ": expected lower-case letters, digits and hyphens',
        'sprintback.yaml:13:3: athletes.ana : bad id "ana ": expected lower-case letters, digits and hyphens',
    ]


def test_a_grade_given_as_a_number_and_as_text_is_refused(run: Run, mini: Path) -> None:
    edit(mini.parent / "programs" / "adductor.yaml", '  "1": {scale', '  1: {note: Other.}\n  "1": {scale')
    assert errors(run("validate", "-f", mini)) == [
        "programs/adductor.yaml:101:3: grades: grade '1' is given twice, once in quotes and once without"
    ]


def test_a_log_date_past_the_range_is_refused(run: Run, mini: Path) -> None:
    logs = mini.parent / "log"
    logs.mkdir()
    (logs / "ana.yaml").write_text("records:\n  - {date: 3000-01-01, pain: 2}\n  - {date: 20270110, pain: 2}\n")
    assert errors(run("validate", "-f", mini)) == [
        "log/ana.yaml:2:12: records[0].date: expected a date from 1900-01-01 to 2999-12-31, got 3000-01-01",
        "log/ana.yaml:3:12: records[1].date: expected a date as YYYY-MM-DD, got the number 20270110",
    ]


def test_a_whole_number_stays_text_where_text_is_meant(run: Run, mini: Path) -> None:
    edit(mini.parent / "programs" / "adductor.yaml", 'version: "1.0"', "version: 3")
    edit(mini, "name: Ana Example", "name: 2027")
    assert run("validate", "-f", mini).exit_code == 0
    assert run("plan", "-f", mini, "ana").output.startswith(
        "2027: Return to sprint after an adductor strain (version 3)"
    )


# --- 4. every count has a maximum ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "            sets: 3\n",
            "            sets: 101\n",
            "blocks[1].items[0].sets: expected a number at most 100, got 101",
        ),
        (
            "            reps: 4\n",
            "            reps: 1001\n",
            "blocks[1].items[0].reps: expected a number at most 1000, got 1001",
        ),
        (
            "            distance_m: 40\n",
            "            distance_m: 100001\n",
            "blocks[1].items[0].distance_m: expected a number at most 100000, got 100001",
        ),
        (
            "            rest_s: 90\n",
            "            rest_s: 3601\n",
            "blocks[1].items[0].rest_s: expected a number at most 3600, got 3601",
        ),
        (
            "            rest_s: 90\n",
            "            rest_s: 90\n            duration_s: 86401\n",
            "blocks[1].items[0].duration_s: expected a number at most 86400, got 86401",
        ),
        ("    minutes: 40\n", "    minutes: 301\n", "minutes: expected a number at most 300, got 301"),
    ],
)
def test_a_dose_past_its_maximum_names_the_limit(run: Run, mini: Path, old: str, new: str, expected: str) -> None:
    edit(mini.parent / "programs" / "adductor.yaml", old, new)
    [problem] = errors(run("validate", "-f", mini))
    assert problem.startswith("programs/adductor.yaml:") and problem.endswith(f" sessions.technique.{expected}")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    weeks: 2\n",
            "    weeks: 53\n",
            "programs/adductor.yaml:86:12: phases[0].weeks: expected a number at most 52, got 53",
        ),
        (
            "    deload_weeks: [3]",
            "    deload_weeks: [53]",
            "programs/adductor.yaml:96:20: phases[1].deload_weeks[0]: expected a number at most 52, got 53",
        ),
        (
            "    progression: {reps: 1}",
            "    progression: {reps: 1001}",
            "programs/adductor.yaml:89:25: phases[0].progression.reps: expected a number at most 1000, got 1001",
        ),
        (
            "    progression: {reps: 1}",
            "    progression: {sets: -101}",
            "programs/adductor.yaml:89:25: phases[0].progression.sets: expected a number at least -100, got -101",
        ),
        (
            "deload:\n  volume: 0.5\n",
            "deload:\n  volume: 0.5\n  every: 53\n",
            "programs/adductor.yaml:100:10: deload.every: expected a number at most 52, got 53",
        ),
        (
            GRADE_2,
            '  "2": {typical_return_days: [14, 3651]}',
            "programs/adductor.yaml:102:35: grades.2.typical_return_days[1]: expected a number at most 3650, got 3651",
        ),
        (
            "    pattern: [technique, strength, technique]",
            "    pattern: [" + ", ".join(["technique"] * 15) + "]",
            "programs/adductor.yaml:88:14: phases[0].pattern: expected at most 14 item(s)",
        ),
    ],
)
def test_program_counts_past_their_maximum_name_the_limit(
    run: Run, mini: Path, site: Path, old: str, new: str, expected: str
) -> None:
    edit(mini.parent / "programs" / "adductor.yaml", old, new)
    assert refused_build(run, mini, site) == [expected]


def test_a_grade_may_not_make_a_plan_longer_than_two_years(run: Run, mini: Path, site: Path) -> None:
    program = mini.parent / "programs" / "adductor.yaml"
    edit(program, "    weeks: 2\n", "    weeks: 52\n")
    edit(program, GRADE_2, '  "2": {weeks: {speed: 52}}')
    assert run("validate", "-f", mini).exit_code == 0  # 52 + 52 weeks: the most there may be
    edit(program, '  "2": {weeks: {speed: 52}}', '  "2": {scale: 2, note: Moderate.}')
    assert refused_build(run, mini, site) == [
        "programs/adductor.yaml:102:8: grades.2: grade '2' makes a plan of 110 weeks; expected at most 104 weeks"
    ]


def test_text_past_its_maximum_length_names_the_limit(run: Run, mini: Path) -> None:
    # A title is on every page and every event of every athlete: its length multiplies.
    edit(mini, "title: Mini Rehab Club", "title: " + "x" * 1001)
    edit(mini.parent / "programs" / "adductor.yaml", "    goal: Build to fast running.", "    goal: " + "y" * 20_001)
    assert errors(run("validate", "-f", mini)) == [
        "programs/adductor.yaml:92:11: phases[1].goal: expected at most 20,000 characters of text, got 20,001",
        "sprintback.yaml:2:10: site.title: expected at most 1,000 characters of text, got 1,001",
    ]


def test_too_many_phases_items_and_grades(run: Run, mini: Path) -> None:
    program = mini.parent / "programs" / "adductor.yaml"
    text = program.read_text()
    phase = "  - {{id: extra-{}, title: Extra, goal: More., weeks: 1, pattern: [technique]}}\n"
    edit(program, "deload:\n", "".join(phase.format(n) for n in range(19)) + "deload:\n")
    assert errors(run("validate", "-f", mini)) == ["programs/adductor.yaml:83:3: phases: expected at most 20 item(s)"]
    program.write_text(text)
    items = "".join("          - {drill: strides, sets: 1}\n" for _ in range(50))
    edit(program, "            rest_s: 90\n", "            rest_s: 90\n" + items)
    assert errors(run("validate", "-f", mini)) == [
        "programs/adductor.yaml:48:11: sessions.technique.blocks[1].items: expected at most 50 item(s)"
    ]
    program.write_text(text + "".join(f'  "g{n}": {{}}\n' for n in range(19)))
    assert errors(run("validate", "-f", mini)) == ["programs/adductor.yaml:101:3: grades: expected at most 20 item(s)"]


def test_too_many_athletes(run: Run, mini: Path) -> None:
    athlete = (
        "  a{}: {{name: A, injury: {{type: adductor, grade: 1, side: left}}, start: 2027-01-04, "
        "timezone: UTC, training_days: [tue, thu, sat, sun]}}\n"
    )
    mini.write_text(mini.read_text() + "".join(athlete.format(n) for n in range(9_999)))
    assert errors(run("validate", "-f", mini)) == ["sprintback.yaml:6:3: athletes: expected at most 10000 item(s)"]


def test_too_many_log_records_and_link_keys(run: Run, mini: Path) -> None:
    logs = mini.parent / "log"
    logs.mkdir()
    (logs / "ana.yaml").write_text("records:\n" + "  - {date: 2027-01-10, pain: 1}\n" * 5001)
    assert errors(run("validate", "-f", mini)) == ["log/ana.yaml:2:3: records: expected at most 5000 item(s)"]
    edit(mini, "    timezone: America/New_York\n", "    timezone: America/New_York\n    link_key: 1001\n")
    assert errors(run("validate", "-f", mini)) == [
        "sprintback.yaml:18:15: athletes.ben.link_key: expected a number at most 1000, got 1001"
    ]


@pytest.mark.parametrize(("weeks", "got"), [("0", "0"), ("-3", "-3")])
def test_a_grade_cannot_set_a_phase_to_no_weeks(run: Run, mini: Path, site: Path, weeks: str, got: str) -> None:
    """A phase at 0 or fewer weeks would vanish from the plan, and its check-in with it."""
    edit(mini.parent / "programs" / "adductor.yaml", GRADE_2, f'  "2": {{weeks: {{speed: {weeks}}}}}')
    [problem] = refused_build(run, mini, site)
    assert problem.endswith(f"grades.2.weeks.speed: expected a number at least 1, got {got}"), problem


def test_a_tiny_scale_still_keeps_every_phase_at_least_a_week(run: Run, mini: Path) -> None:
    edit(mini.parent / "programs" / "adductor.yaml", GRADE_2, '  "2": {scale: 0.01, deload_weeks: {speed: []}}')
    assert run("validate", "-f", mini).exit_code == 0
    plans = {plan.athlete_id: plan for plan in gather(mini, {"SPRINTBACK_SECRET": SECRET}).plans}
    assert [dates.weeks for dates in plans["ana"].phases] == [1, 1]
