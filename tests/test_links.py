"""Private addresses: keyed by the secret, stable from build to build, moved by `link_key`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Run

NAMES = {"Ana Example": "ana", "Ben Example": "ben"}


def private_folders(site: Path) -> dict[str, str]:
    """The built site's private folders, by whose they are: each athlete (named on their page) and staff."""
    folders: dict[str, str] = {}
    for page in sorted(site.glob("athletes/*/index.html")):
        [name] = re.findall(r"<h1>(.*?)</h1>", page.read_text())
        folders[NAMES[name]] = page.parent.relative_to(site).as_posix()
        assert (page.parent / "calendar.ics").is_file()
    [staff] = site.glob("staff/*/index.html")
    folders["staff"] = staff.parent.relative_to(site).as_posix()
    assert (staff.parent / "team.ics").is_file()
    assert sorted(folders) == ["ana", "ben", "staff"]
    return folders


def build(run: Run, project: Path, out: Path) -> dict[str, str]:
    result = run("build", "-q", "-f", project, "-o", out)
    assert result.exit_code == 0, result.output
    return private_folders(out)


def test_the_secret_decides_the_private_addresses(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPRINTBACK_SECRET", "first key behind the private addresses 0123456789")
    first = build(run, mini, tmp_path / "first")
    again = build(run, mini, tmp_path / "again")
    monkeypatch.setenv("SPRINTBACK_SECRET", "second key behind the private addresses 0123456789")
    second = build(run, mini, tmp_path / "second")
    assert again == first
    for whose in ("ana", "ben", "staff"):
        assert first[whose] != second[whose], whose
    assert not (mini.parent / ".sprintback-secret").exists()  # a set variable writes no key file


def test_raising_link_key_moves_only_that_athletes_address(run: Run, mini: Path, tmp_path: Path) -> None:
    before = build(run, mini, tmp_path / "before")
    text = mini.read_text()
    mini.write_text(
        text.replace(
            "    training_days: [tue, thu, sat, sun]\n", "    training_days: [tue, thu, sat, sun]\n    link_key: 1\n"
        )
    )
    assert mini.read_text() != text
    after = build(run, mini, tmp_path / "after")
    assert after["ben"] != before["ben"]
    assert (after["ana"], after["staff"]) == (before["ana"], before["staff"])
    assert not (tmp_path / "after" / before["ben"]).exists()


@pytest.mark.parametrize("value", ["", "   "], ids=["empty", "blank"])
def test_an_empty_secret_is_refused(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SPRINTBACK_SECRET", value)
    result = run("build", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 2, result.output
    assert "SPRINTBACK_SECRET" in result.output
    assert not (mini.parent / ".sprintback-secret").exists()
    assert not (tmp_path / "site").exists()


def test_without_a_secret_the_first_build_makes_a_key_file_that_later_builds_reuse(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    key_file = mini.parent / ".sprintback-secret"
    assert not key_file.exists()
    first = run("build", "-f", mini, "-o", tmp_path / "first")
    assert first.exit_code == 0, first.output
    assert ".sprintback-secret" in first.output
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_bytes()
    assert key.strip()
    second = run("build", "-f", mini, "-o", tmp_path / "second")
    assert second.exit_code == 0, second.output
    assert ".sprintback-secret" not in second.output  # no new key made, none announced
    assert key_file.read_bytes() == key
    assert private_folders(tmp_path / "second") == private_folders(tmp_path / "first")
    # The file holds the key: the same key given as SPRINTBACK_SECRET gives the same addresses.
    monkeypatch.setenv("SPRINTBACK_SECRET", key.decode().strip())
    assert build(run, mini, tmp_path / "third") == private_folders(tmp_path / "first")
