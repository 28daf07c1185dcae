"""`sprintback rotate`: new private addresses for an athlete or the staff, the roster edited in place.

The key is raised by editing the project file's text: every other byte stays the coach's.
The next build moves exactly the pages and feeds rotated; the command prints what to send.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from pathlib import Path

import pytest

from builder.links import Links
from builder.roster_edit import CannotEdit, athlete_key, raise_keys, staff_key
from tests.conftest import SECRET, Run, files_of
from tests.test_links import build

BASE = "https://club.example/rehab/"
ANA_LINES = '    training_days: [mon, wed, fri, sat]\n    session_time: "18:00"\n'
SEND_ANA = (
    'Send Ana Example the new addresses above, with: "Your rehab plan has a new private address. Open the new page, '
    "and subscribe to the new calendar feed again (then remove the old calendar): the old address stops updating "
    'after the next build."'
)
BUILD_AND_PUBLISH = (
    "Now build and publish the site (sprintback build, then your usual publish step): until then the new addresses "
    "do not exist and the old ones are still served."
)


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run on a developer's machine and in CI alike: each that needs CI set says so."""
    monkeypatch.delenv("CI", raising=False)


def test_rotate_adds_link_key_under_the_athlete_and_keeps_every_other_byte(run: Run, mini: Path) -> None:
    text = mini.read_text()
    assert text.count(ANA_LINES) == 1 and "link_key" not in text
    result = run("rotate", "ana", "-f", mini)
    assert result.exit_code == 0, result.output
    assert mini.read_text() == text.replace(ANA_LINES, ANA_LINES + "    link_key: 1\n")


def test_rotate_raises_a_link_key_where_it_stands_with_its_comment(run: Run, mini: Path) -> None:
    text = mini.read_text().replace(ANA_LINES, "    link_key: 3   # leaked in March\n" + ANA_LINES)
    mini.write_text(text)
    result = run("rotate", "ana", "-f", mini)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "sprintback.yaml: athletes.ana.link_key 3 -> 4."
    assert mini.read_text() == text.replace("link_key: 3   #", "link_key: 4   #")


def test_the_next_build_moves_only_that_athletes_page_and_feed(run: Run, mini: Path, tmp_path: Path) -> None:
    before = build(run, mini, tmp_path / "before")
    result = run("rotate", "ana", "-f", mini)
    assert result.exit_code == 0, result.output
    after = build(run, mini, tmp_path / "after")
    assert after["ana"] != before["ana"]
    assert (after["ben"], after["staff"]) == (before["ben"], before["staff"])
    ana = f"{BASE}{after['ana']}/"
    assert result.output.splitlines() == [
        "sprintback.yaml: athletes.ana.link_key 0 -> 1.",
        f"Ana Example (ana): page {ana}",
        f"Ana Example (ana): feed {ana}calendar.ics",
        SEND_ANA,
        BUILD_AND_PUBLISH,
    ]
    assert not (tmp_path / "after" / before["ana"]).exists()  # the old address is retired


def test_rotate_several_athletes_at_once_each_once(run: Run, mini: Path, tmp_path: Path) -> None:
    before = build(run, mini, tmp_path / "before")
    result = run("rotate", "ben", "ana", "ben", "-f", mini)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "sprintback.yaml: athletes.ben.link_key 0 -> 1.",
        "sprintback.yaml: athletes.ana.link_key 0 -> 1.",
    ]
    after = build(run, mini, tmp_path / "after")
    assert after["ana"] != before["ana"] and after["ben"] != before["ben"]
    assert after["staff"] == before["staff"]


def test_rotate_staff_moves_only_the_staff_page_and_team_feed(run: Run, mini: Path, tmp_path: Path) -> None:
    before = build(run, mini, tmp_path / "before")
    text = mini.read_text()
    result = run("rotate", "--staff", "-f", mini)
    assert result.exit_code == 0, result.output
    assert mini.read_text() == text.replace("\nathletes:\n", "\n  staff_link_key: 1\nathletes:\n", 1)
    after = build(run, mini, tmp_path / "after")
    assert after["staff"] != before["staff"]
    assert (after["ana"], after["ben"]) == (before["ana"], before["ben"])
    staff = f"{BASE}{after['staff']}/"
    assert result.output.splitlines() == [
        "sprintback.yaml: site.staff_link_key 0 -> 1.",
        f"Staff page (private, share with staff only): {staff}",
        f"Team feed (private): {staff}team.ics",
        f"Upcoming feed (private): {staff}upcoming.ics",
        "Send the staff the new staff page above: they subscribe to the new team and upcoming feeds again (and "
        "remove the old calendars); the old addresses stop updating after the next build.",
        BUILD_AND_PUBLISH,
    ]
    assert (tmp_path / "after" / after["staff"] / "team.ics").is_file()
    assert not (tmp_path / "after" / before["staff"]).exists()


def test_staff_link_key_zero_keeps_the_staff_address() -> None:
    """The setting's default hashes as before it existed: no published staff page moved with it."""
    key = SECRET.encode()
    token = base64.b32encode(hmac.new(key, b"staff", hashlib.sha256).digest()).decode().lower()[:26]
    assert Links(key).staff_dir() == Links(key, 0).staff_dir() == f"staff/{token}/"
    assert Links(key, 1).staff_dir() != Links(key).staff_dir()


@pytest.mark.parametrize("athletes", [["zed"], ["ana", "zed"]])
def test_an_unknown_athlete_changes_nothing(run: Run, mini: Path, athletes: list[str]) -> None:
    folder = files_of(mini.parent)
    result = run("rotate", *athletes, "-f", mini)
    assert result.exit_code == 1
    assert result.output == "error: no athlete 'zed' in the roster; athletes: ana, ben\n"
    assert files_of(mini.parent) == folder


@pytest.mark.parametrize("args", [[], ["ana", "--staff"]])
def test_rotate_needs_athletes_or_staff(run: Run, mini: Path, args: list[str]) -> None:
    text = mini.read_bytes()
    result = run("rotate", *args, "-f", mini)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: name the athletes to give new addresses, or --staff for the staff page, not both"
    )
    assert mini.read_bytes() == text


@pytest.mark.parametrize("args", [["ana"], ["--staff"]])
def test_rotate_is_refused_in_ci(run: Run, mini: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.setenv("CI", "true")
    text = mini.read_bytes()
    result = run("rotate", *args, "-f", mini)
    assert result.exit_code == 2
    assert result.output == (
        "error: `sprintback rotate` prints private addresses, and CI=true says this runs in CI, whose logs are "
        "readable by everyone with access to the repository; run it on your own machine\n"
    )
    assert mini.read_bytes() == text


def test_rotate_without_a_key_is_refused(run: Run, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    folder = files_of(mini.parent)
    result = run("rotate", "ana", "-f", mini)
    assert result.exit_code == 1
    assert result.output == (
        "error: no key for private addresses yet: build once (it saves a new key in .sprintback-secret), "
        "or set SPRINTBACK_SECRET to the key your site is built with\n"
    )
    assert files_of(mini.parent) == folder


BEN = """\
  ben:
    name: Ben Example
    injury: {type: adductor, grade: 1, side: right}
    start: 2027-01-04          # a Monday
    timezone: America/New_York
    training_days: [tue, thu, sat, sun]
"""
BEN_FLOW = """\
  ben: {name: Ben Example, injury: {type: adductor, grade: 1, side: right}, start: 2027-01-04,
        timezone: America/New_York, training_days: [tue, thu, sat, sun]}
"""


@pytest.mark.parametrize(
    ("ben", "reason"),
    [
        (BEN_FLOW, "expected athletes.ben as a block of `key: value` lines, one a line"),
        (BEN + "    link_key: 0x1\n", "expected athletes.ben.link_key to be a plain whole number"),
        (BEN + "    link_key: 1000\n", "athletes.ben.link_key is already 1,000, the highest it can be"),
    ],
)
def test_a_roster_it_cannot_edit_safely_is_left_as_it_was(run: Run, mini: Path, ben: str, reason: str) -> None:
    text = mini.read_text()
    assert text.endswith(BEN)
    text = text.removesuffix(BEN) + ben
    mini.write_text(text)
    if "0x1" not in ben:
        assert run("validate", "-f", mini).exit_code == 0
    result = run("rotate", "ben", "-f", mini)
    assert result.exit_code == 1
    assert result.output == (
        f"error: sprintback.yaml was left as it was: {reason}; raise the key by one by hand, then build\n"
    )
    assert mini.read_text() == text


def test_the_edit_keeps_line_endings_and_the_byte_order_mark() -> None:
    text = "\ufeffsite:\r\n  title: T\r\nathletes:\r\n  a:\r\n    name: A   # first\r\n# end\r\n"
    edited, raised = raise_keys(text, [athlete_key("a"), staff_key()], "sprintback.yaml")
    assert edited == (
        "\ufeffsite:\r\n  title: T\r\n  staff_link_key: 1\r\nathletes:\r\n  a:\r\n    name: A   # first\r\n"
        "    link_key: 1\r\n# end\r\n"
    )
    assert [(one.where, one.old, one.new) for one in raised] == [
        ("athletes.a.link_key", 0, 1),
        ("site.staff_link_key", 0, 1),
    ]


def test_the_edit_is_read_back_before_it_is_kept() -> None:
    """An athlete that is an alias of another: raising one key would change both, so it is refused."""
    text = "site:\n  title: T\nathletes:\n  a: &a\n    name: A\n  b: *a\n"
    with pytest.raises(CannotEdit, match=re.escape("the edit would have changed more than athletes.b.link_key")):
        raise_keys(text, [athlete_key("b")], "sprintback.yaml")
    text = "site:\n  title: T\nathletes:\n  a: &a\n    name: A\n  b:\n    <<: *a\n"
    with pytest.raises(CannotEdit, match=re.escape("the edit would have changed more than athletes.a.link_key")):
        raise_keys(text, [athlete_key("a")], "sprintback.yaml")
