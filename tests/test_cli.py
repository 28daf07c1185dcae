"""The command line: build, validate, plan, schema, and their exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import ENVIRONMENT, REPO, Run


def test_plan_prints_the_weeks_in_the_terminal(run: Run, mini: Path) -> None:
    result = run("plan", "-f", mini, "ana")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Ana Example: Return to sprint after an adductor strain (version 1.0)"
    # The same wording as the athlete's page and feed: one view, two layouts.
    assert "Week 3 · Wed 20 Jan 2027 to Tue 26 Jan 2027 (earliest) · Speed, week 1 of 3 · planned load 498" in lines
    week = lines[
        lines.index("Week 3 · Wed 20 Jan 2027 to Tue 26 Jan 2027 (earliest) · Speed, week 1 of 3 · planned load 498") :
    ]
    assert week[1:7] == [
        "  Wed 20 Jan  Accelerations",
        "      acceleration · about 29 min · RPE 6 · load 174",
        "      Warm-up:",
        "        Leg swings: 2 × 10 reps each side",
        "      Main:",
        "        Strides: 4 × 20 m · 75% of max speed · rest 2 min",
    ]
    check_in = lines.index("  Tue 19 Jan  Check-in: end of Early loading (earliest)")
    assert lines[check_in + 1] == "      Pain-free squeeze test"
    assert "Pain rules come first." in result.output


def test_plan_brief_leaves_out_drills(run: Run, mini: Path) -> None:
    result = run("plan", "-f", mini, "ana", "--brief")
    assert result.exit_code == 0
    assert "Strides:" not in result.output
    assert "Accelerations" in result.output


def test_plan_for_an_unknown_athlete_is_a_usage_error(run: Run, mini: Path) -> None:
    result = run("plan", "-f", mini, "zoe")
    assert result.exit_code == 2
    assert "no athlete 'zoe' in the roster; athletes: ana, ben" in result.output


def test_validate_reports_counts_and_writes_nothing(run: Run, mini: Path) -> None:
    before = sorted(p.name for p in mini.parent.iterdir())
    result = run("validate", "-f", mini)
    assert result.exit_code == 0
    assert result.output == "OK: 1 programs, 3 drills, 2 athletes, 24 sessions planned.\n"
    assert sorted(p.name for p in mini.parent.iterdir()) == before


def test_warnings_pass_but_strict_fails(run: Run, mini: Path, tmp_path: Path) -> None:
    drill = mini.parent / "programs" / "drills" / "skipping.md"
    drill.write_text("---\nname: Skipping\ncategory: technique\n---\nSkip.\n")
    result = run("build", "-q", "-f", mini, "-o", tmp_path / "site")
    assert result.exit_code == 0
    assert (
        "warning: programs/drills/skipping.md:2:1: drill 'skipping' is used by no program "
        "and is no drill's regression or progression"
    ) in result.output
    strict = run("build", "--strict", "-f", mini, "-o", tmp_path / "strict")
    assert strict.exit_code == 1
    assert "1 warning with --strict; nothing was written." in strict.output
    assert not (tmp_path / "strict").exists()


def test_schema_prints_json_schema_for_each_document(run: Run) -> None:
    for document, key in (("program", "phases"), ("project", "athletes"), ("drill", "cues")):
        result = run("schema", document)
        assert result.exit_code == 0
        schema = json.loads(result.output)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert key in schema["properties"]
        assert schema["properties"][key]["description"]


def test_schema_accepts_the_shipped_files_and_rejects_a_typo(run: Run) -> None:
    program_schema = json.loads(run("schema", "program").output)
    project_schema = json.loads(run("schema", "project").output)
    for path in sorted((REPO / "programs").glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text()), program_schema)
    roster = yaml.safe_load((REPO / "sprintback.yaml").read_text())
    jsonschema.validate(json.loads(json.dumps(roster, default=str)), project_schema)
    broken = yaml.safe_load(next((REPO / "programs").glob("*.yaml")).read_text()) | {"phasez": []}
    assert list(jsonschema.Draft202012Validator(program_schema).iter_errors(broken))


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    # tests/run installs the package into the same environment as the Python running the tests.
    script = Path(sys.executable).parent / "sprintback"
    module = subprocess.run([sys.executable, "-m", "builder", "--version"], capture_output=True, text=True)
    console = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert module.returncode == console.returncode == 0
    assert module.stdout.startswith("sprintback, version ")
    assert console.stdout == module.stdout


def test_bad_source_date_epoch_is_a_usage_error(run: Run, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run("validate", "-f", mini)
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970, got 'yesterday'" in result.output


def test_first_build_makes_a_key_that_later_builds_reuse(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPRINTBACK_SECRET")
    key = mini.parent / ".sprintback-secret"
    first = run("build", "-f", mini, "-o", tmp_path / "one")
    assert first.exit_code == 0
    assert "Made a new key for private addresses in .sprintback-secret" in first.output
    assert key.stat().st_mode & 0o777 == 0o600
    second = run("build", "-f", mini, "-o", tmp_path / "two")
    assert "Made a new key" not in second.output
    assert sorted(p.name for p in (tmp_path / "one" / "athletes").iterdir()) == sorted(
        p.name for p in (tmp_path / "two" / "athletes").iterdir()
    )


def test_progress_total_matches_the_files_written(mini: Path, tmp_path: Path) -> None:
    from builder.build import build

    totals: list[int] = []
    ticks: list[int] = []

    def progress(total: int) -> Callable[[], None]:
        totals.append(total)
        return lambda: ticks.append(1)

    out = tmp_path / "site"
    built = build(mini, ENVIRONMENT, output=out, progress=progress)
    written = [p for p in out.rglob("*") if p.is_file() and p.name != ".sprintback-site"]
    assert totals == [len(written)] == [built.files] == [len(ticks)]


def test_monotonous_weeks_are_a_warning(run: Run, mini: Path) -> None:
    program = mini.parent / "programs" / "adductor.yaml"
    program.write_text(
        program.read_text().replace(
            "pattern: [technique, strength, technique]",
            "pattern: [technique, technique, technique, technique, technique, technique, strength]",
        )
    )
    # Ben runs the early phase too (a week of it): he gets the seven days as well.
    every_day = "training_days: [mon, tue, wed, thu, fri, sat, sun]"
    mini.write_text(
        mini.read_text()
        .replace("training_days: [mon, wed, fri, sat]", every_day)
        .replace("training_days: [tue, thu, sat, sun]", every_day)
    )
    result = run("validate", "-f", mini)
    assert result.exit_code == 0, result.output
    for line, athlete in ((11, "ana"), (18, "ben")):
        assert (
            f"warning: sprintback.yaml:{line}:20: athletes.{athlete}.training_days: week 1: monotony 45.32, above "
            "the 2.0 limit of daily-load monotony; expected more variation between hard, easy and rest days"
        ) in result.output
    assert run("validate", "--strict", "-f", mini).exit_code == 1
