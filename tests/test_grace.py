"""A retired private address in its grace period: `sprintback rotate --grace` keeps the old key in
`old_link_keys`, and each build serves one event there saying the calendar has moved (no health data)."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
import vobject

from tests.conftest import Run, athlete_dir, files_of

ANA_LINES = '    training_days: [mon, wed, fri, sat]\n    session_time: "18:00"\n'
HEALTH_WORDS = ("injury", "adductor", "grade", "left", "program", "session", "drill", "ana example", "week", "check-in")


def build(run: Run, project: Path, out: Path) -> dict[str, str]:
    """Build the project; the folders of ana's current address and of the staff page."""
    result = run("build", "-q", "-f", project, "-o", out)
    assert result.exit_code == 0, result.output
    [staff] = out.glob("staff/*/index.html")
    return {"ana": athlete_dir(project, "ana").rstrip("/"), "staff": staff.parent.relative_to(out).as_posix()}


def uids(feed: bytes) -> list[str]:
    return [str(event["UID"]) for event in icalendar.Calendar.from_ical(feed).walk("VEVENT")]


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def test_rotate_with_grace_keeps_the_retired_key(run: Run, mini: Path) -> None:
    text = mini.read_text()
    result = run("rotate", "ana", "--grace", "-f", mini)
    assert result.exit_code == 0, result.output
    assert mini.read_text() == text.replace(ANA_LINES, ANA_LINES + "    link_key: 1\n    old_link_keys: [0]\n")
    assert "sprintback.yaml: athletes.ana.old_link_keys keeps 0" in result.output
    again = run("rotate", "ana", "--grace", "-f", mini)
    assert again.exit_code == 0, again.output
    assert mini.read_text() == text.replace(ANA_LINES, ANA_LINES + "    link_key: 2\n    old_link_keys: [0, 1]\n")


def test_rotate_with_grace_refuses_a_list_it_cannot_edit_safely(run: Run, mini: Path) -> None:
    text = mini.read_text().replace(ANA_LINES, ANA_LINES + "    link_key: 2\n    old_link_keys:\n      - 1\n")
    mini.write_text(text)
    result = run("rotate", "ana", "--grace", "-f", mini)
    assert result.exit_code != 0
    assert "athletes.ana.old_link_keys is not a list on one line" in result.output
    assert "Traceback" not in result.output
    assert mini.read_text() == text


def test_the_old_address_says_the_calendar_moved_and_nothing_else(run: Run, mini: Path, tmp_path: Path) -> None:
    before = build(run, mini, tmp_path / "before")
    assert run("rotate", "ana", "--grace", "-f", mini).exit_code == 0
    after = build(run, mini, tmp_path / "after")
    assert after["ana"] != before["ana"]
    new_feed = (tmp_path / "after" / after["ana"] / "calendar.ics").read_bytes()
    old_feed = (tmp_path / "before" / before["ana"] / "calendar.ics").read_bytes()
    assert uids(new_feed) == uids(old_feed) and len(uids(new_feed)) > 10  # the full feed, at the new address
    old = tmp_path / "after" / before["ana"]
    assert sorted(files_of(old)) == ["calendar.ics", "index.html"]
    feed = (old / "calendar.ics").read_bytes()
    [event] = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["SUMMARY"]) == "This calendar has moved"
    assert str(event["UID"]) == "ana.moved.0@club.example"
    assert "Ask your staff for the new address" in str(event["DESCRIPTION"])
    parsed = vobject.readOne(feed.decode())
    assert [str(one.summary.value) for one in parsed.vevent_list] == ["This calendar has moved"]
    page = (old / "index.html").read_text()
    assert "This calendar has moved" in page and 'name="robots" content="noindex' in page
    for text in (feed.decode().lower(), page.lower().split("<main>")[1].split("</main>")[0]):
        for word in HEALTH_WORDS:
            assert word not in text, word
        assert after["ana"] not in text  # not the new address
    ledger = (mini.parent / "feeds.lock").read_text()
    assert "ana.moved.0@club.example 0 " in ledger
    again = build(run, mini, tmp_path / "after")  # a second build keeps the moved event's bytes
    assert again == after and (old / "calendar.ics").read_bytes() == feed


def test_deleting_old_link_keys_removes_the_old_address(run: Run, mini: Path, tmp_path: Path) -> None:
    before = build(run, mini, tmp_path / "before")
    assert run("rotate", "ana", "--grace", "-f", mini).exit_code == 0
    out = tmp_path / "site"
    build(run, mini, out)
    assert (out / before["ana"] / "calendar.ics").is_file()
    mini.write_text(mini.read_text().replace("    old_link_keys: [0]\n", ""))
    build(run, mini, out)
    assert not (out / before["ana"]).exists()


@pytest.mark.parametrize("keys", ["[3]", "[0, 4]"])
def test_an_old_key_not_below_link_key_is_an_error(run: Run, mini: Path, keys: str) -> None:
    mini.write_text(mini.read_text().replace(ANA_LINES, ANA_LINES + f"    link_key: 3\n    old_link_keys: {keys}\n"))
    result = run("build", "-q", "-f", mini, "-o", mini.parent / "site")
    assert result.exit_code == 1
    bad = keys.strip("[]").split(", ")[-1]
    assert result.output == (
        f"error: sprintback.yaml:14:20: athletes.ana.old_link_keys: old link key {bad} is not below link_key 3: "
        "expected retired keys only\nStopped: 1 problem found; nothing was written.\n"
    )
    assert "Traceback" not in result.output
    assert not (mini.parent / "site").exists()
