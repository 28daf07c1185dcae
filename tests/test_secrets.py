"""A build in CI, or with --strict, never invents a key for private addresses.

A new key moves every athlete's page and feed; a deploy that forgot the secret would
freeze every calendar subscription. Such a build stops (exit 2), writes nothing, and
says how to give CI the key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import build
from builder.errors import SettingError
from builder.load import SECRET_FILE
from tests.conftest import SECRET, Run, files_of

NO_KEY = (
    "Error: no key for private addresses: SPRINTBACK_SECRET is not set and there is no .sprintback-secret beside the "
    "project file. A new key would move every athlete's page and feed to a new address, and calendars subscribed to "
    "the old ones would stop updating, so {why} a build makes none; nothing was written. Put the key the site is "
    "built with (the line in .sprintback-secret on the machine that built it so far) in your CI platform's secret "
    "store as SPRINTBACK_SECRET and pass it to the build: on GitHub Actions "
    "`env: SPRINTBACK_SECRET: ${{{{ secrets.SPRINTBACK_SECRET }}}}`, on GitLab CI a masked CI/CD variable "
    "SPRINTBACK_SECRET. A site never built yet: build it once on your own machine, which makes the key."
)


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run on a developer's machine and in CI alike: each that needs CI set says so."""
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def site(run: Run, mini: Path, tmp_path: Path) -> Path:
    """A site built before, with the key, then the key taken away: a later build must leave it as it was."""
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    return out


def refused(run: Run, project: Path, site: Path, *options: str) -> str:
    """Build without a key; check it stopped with exit 2 and wrote nothing; return its last line."""
    before = files_of(site)
    result = run("build", *options, "-f", project, "-o", site)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert files_of(site) == before
    assert not (project.parent / SECRET_FILE).exists()
    return result.output.splitlines()[-1]


@pytest.mark.parametrize("value", ["true", "1", "yes", "TRUE"])
def test_a_build_in_ci_without_a_key_stops(
    run: Run, mini: Path, site: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    monkeypatch.setenv("CI", value)
    assert refused(run, mini, site) == NO_KEY.format(why=f"in CI (CI={value})")


def test_a_first_build_in_ci_without_a_key_writes_no_site(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    monkeypatch.setenv("CI", "true")
    result = run("build", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == NO_KEY.format(why="in CI (CI=true)")
    assert not (tmp_path / "site").exists()
    assert not (mini.parent / SECRET_FILE).exists()


def test_a_strict_build_without_a_key_stops(run: Run, mini: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    assert refused(run, mini, site, "--strict") == NO_KEY.format(why="with --strict")


def test_ci_is_named_before_strict(run: Run, mini: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    monkeypatch.setenv("CI", "true")
    assert refused(run, mini, site, "--strict") == NO_KEY.format(why="in CI (CI=true)")


def test_the_pipeline_refuses_too(mini: Path, tmp_path: Path) -> None:
    """`build()` decides from the environment it is given, not from the machine's."""
    with pytest.raises(SettingError, match="in CI \\(CI=yes\\) a build makes none"):
        build(mini, {"CI": "yes", "SOURCE_DATE_EPOCH": "0"}, output=tmp_path / "site")
    with pytest.raises(SettingError, match="with --strict a build makes none"):
        build(mini, {"SOURCE_DATE_EPOCH": "0"}, output=tmp_path / "site", strict=True)
    assert not (tmp_path / "site").exists()
    assert not (mini.parent / SECRET_FILE).exists()


@pytest.mark.parametrize("options", [(), ("--strict",)])
def test_in_ci_the_variable_builds(
    run: Run, mini: Path, site: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    monkeypatch.setenv("CI", "true")
    before = files_of(site)
    result = run("build", *options, "-q", "-f", mini, "-o", site)
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert files_of(site) == before  # the same key, the same site
    assert not (mini.parent / SECRET_FILE).exists()


@pytest.mark.parametrize(("ci", "options"), [("true", ()), ("", ("--strict",)), ("true", ("--strict",))])
def test_the_key_file_builds(
    run: Run, mini: Path, site: Path, monkeypatch: pytest.MonkeyPatch, ci: str, options: tuple[str, ...]
) -> None:
    key_file = mini.parent / SECRET_FILE
    key_file.write_text(SECRET + "\n")
    monkeypatch.delenv("SPRINTBACK_SECRET")
    monkeypatch.setenv("CI", ci)
    before = files_of(site)
    result = run("build", *options, "-q", "-f", mini, "-o", site)
    assert result.exit_code == 0, result.output
    assert result.output == ""  # no "Made a new key"
    assert files_of(site) == before  # the key in the file is the one the site was built with
    assert key_file.read_text() == SECRET + "\n"


@pytest.mark.parametrize("value", ["", "false", "0", "no"])
def test_off_ci_a_plain_build_still_makes_the_key(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    monkeypatch.setenv("CI", value)
    result = run("build", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert "Made a new key for private addresses in .sprintback-secret" in result.output
    assert (mini.parent / SECRET_FILE).is_file()


def test_validate_in_ci_needs_no_key(run: Run, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that writes nothing makes no addresses: CI may validate without the secret."""
    monkeypatch.delenv("SPRINTBACK_SECRET")
    monkeypatch.setenv("CI", "true")
    result = run("validate", "--strict", "-f", mini)
    assert result.exit_code == 0, result.output
    assert not (mini.parent / SECRET_FILE).exists()
