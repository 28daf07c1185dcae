# ruff: noqa: E501  (the expected reports are quoted line for line, as printed)
"""`sprintback diff`: what an edit of the working tree does to every athlete's plan, against a git revision.

Each test commits the shipped project in a fresh git repository, edits one thing and reads
the report a physio would read, in the formats a terminal, a pull request and a tool read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, copy_shipped, edit

GIT_ENVIRONMENT = {
    "GIT_AUTHOR_NAME": "Physio",
    "GIT_AUTHOR_EMAIL": "physio@club.example",
    "GIT_COMMITTER_NAME": "Physio",
    "GIT_COMMITTER_EMAIL": "physio@club.example",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
NORDIC = """          - drill: nordic-hamstring
            sets: 2
            reps: 5
            rest_s: 120
"""

LOG = """records:
  - date: 2026-12-13
    check_in: protect-and-technique
    result: pass
"""
"""Maya Okafor's log as committed: her first check-in passed."""
NEW_RECORD = """  - date: 2026-12-16
    pain: 4
    when: next-morning
    session: short-accelerations
"""


GRADE_3 = '  "3":\n    weeks:\n      protect-and-technique: 3\n'


def program(project: Path) -> Path:
    return project.parent / "programs" / "hamstring.yaml"


EDITS: dict[str, Callable[[Path], None]] = {
    "dose": lambda p: edit(program(p), NORDIC, NORDIC.replace("sets: 2", "sets: 3")),
    "phase": lambda p: edit(
        program(p), "    weeks: 1\n    exit: [running-above-70]\n", "    weeks: 2\n    exit: [running-above-70]\n"
    ),
    "scale": lambda p: edit(program(p), "    scale: 1.0\n", "    scale: 1.5\n"),
    "criterion": lambda p: edit(
        program(p), "    exit: [running-above-70]\n", "    exit: [running-above-70, hop-tests]\n"
    ),
    "rename": lambda p: edit(
        program(p),
        "    title: Hamstring strength (L-protocol and first Nordics)\n",
        "    title: Hamstring strength (first Nordics)\n",
    ),
    "drill": lambda p: edit(program(p), NORDIC, ""),
    "roster": lambda p: edit(p, "start: 2026-12-02", "start: 2026-12-09"),
    "log": lambda p: edit(p.parent / "log" / "maya-okafor.yaml", LOG, LOG + NEW_RECORD),
}
"""One edit of each kind a physio or a coach makes, to the project as committed."""


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=folder, env={**os.environ, **GIT_ENVIRONMENT}, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped project, committed in a git repository of its own; returns its project file."""
    project = copy_shipped(tmp_path / "club")
    (project.parent / "log").mkdir(exist_ok=True)
    (project.parent / "log" / "maya-okafor.yaml").write_text(LOG)
    git(project.parent, "init", "-q", "-b", "main")
    git(project.parent, "add", "-A")
    git(project.parent, "commit", "-q", "-m", "The squad as it stands")
    return project


def diff(run: Run, project: Path, *args: str) -> tuple[int, str]:
    result = run("diff", "-f", project, *args)
    return result.exit_code, result.output


def test_no_edit_no_change(run: Run, repo: Path) -> None:
    assert diff(run, repo) == (0, "No athlete's plan changes (6 athletes).\n")


EXPECTED = {
    "dose": (
        "3 of 6 athletes change.\n"
        "\n"
        "Maya Okafor (maya-okafor), program hamstring\n"
        "  Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): 2 × 5 reps · rest 2 min → 3 × 5 reps · rest 2 min (1 session: Sat 19 Dec).\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:747: sessions.strength-build.blocks[2].items[0].sets 2 → 3\n"
        "\n"
        "Lena Ruiz (lena-ruiz), program hamstring\n"
        "  Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): 2 × 5 reps · rest 2 min → 3 × 5 reps · rest 2 min (2 sessions: Thu 31 Dec, Thu 07 Jan).\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:747: sessions.strength-build.blocks[2].items[0].sets 2 → 3\n"
        "\n"
        "Jordan Ali (jordan-ali), program hamstring\n"
        "  Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): 2 × 5 reps · rest 2 min → 3 × 5 reps · rest 2 min (1 session: Sun 13 Dec).\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:747: sessions.strength-build.blocks[2].items[0].sets 2 → 3\n"
    ),
    "phase": (
        "1 of 6 athletes changes; Maya Okafor's return moves from Sun 17 Jan to Sun 24 Jan.\n"
        "\n"
        "Maya Okafor (maya-okafor), program hamstring\n"
        "  Return to play: Sun 24 Jan 2027 (was Sun 17 Jan 2027).\n"
        "  Phase Longer accelerations and fly-ins: 1 → 2 weeks (lengthened).\n"
        "  5 check-ins move:\n"
        "    Longer accelerations and fly-ins: Sun 27 Dec → Sun 03 Jan.\n"
        "    Fly-ins and repeated runs up to 90%: Sat 02 Jan → Sat 09 Jan.\n"
        "    Maximal sprint: Sat 09 Jan → Sat 16 Jan.\n"
        "    Return to team training: Sun 17 Jan → Sun 24 Jan.\n"
        "    Beyond rehab - the season: Sun 14 Feb → Sun 21 Feb.\n"
        "  28 sessions move:\n"
        "    Balance, hops and reactions: Mon 28 Dec → Mon 04 Jan.\n"
        "    Fly-ins (flying sprints) and repeated runs: Wed 30 Dec → Wed 06 Jan.\n"
        "    Mobility and restoration: Fri 01 Jan → Fri 08 Jan.\n"
        "    Check-in tests: H-test, hops and strength: Sat 02 Jan → Sat 09 Jan.\n"
        "    Tempo runs and strides: Mon 04 Jan → Mon 11 Jan.\n"
        "    Maximal sprint: Wed 06 Jan → Wed 13 Jan.\n"
        "    Mobility and restoration: Fri 08 Jan → Fri 15 Jan.\n"
        "    Check-in tests: maximal sprint and repeated sprints: Sat 09 Jan → Sat 16 Jan.\n"
        "    Mobility and restoration: Mon 11 Jan → Mon 18 Jan.\n"
        "    Team training (graded): Wed 13 Jan → Wed 20 Jan.\n"
        "    … and 18 more\n"
        "  4 sessions added:\n"
        "    Tempo runs and strides: Mon 28 Dec.\n"
        "    Longer accelerations: Wed 30 Dec.\n"
        "    Hamstring strength (Glider and single-leg work): Fri 01 Jan.\n"
        "    Hops, skips and reactive starts: Sat 02 Jan.\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:1444: phases[2].weeks 1 → 2\n"
        "\n"
        "Every change is listed with --format json or --format markdown.\n"
    ),
    "scale": (
        "1 of 6 athletes changes; Maya Okafor's return moves from Sun 17 Jan to Sun 21 Feb.\n"
        "\n"
        "Maya Okafor (maya-okafor), program hamstring\n"
        "  Return to play: Sun 21 Feb 2027 (was Sun 17 Jan 2027).\n"
        "  Phase Short accelerations: 1 → 2 weeks (lengthened).\n"
        "  Phase Longer accelerations and fly-ins: 1 → 2 weeks (lengthened).\n"
        "  Phase Fly-ins and repeated runs up to 90%: 1 → 2 weeks (lengthened).\n"
        "  Phase Maximal sprint: 1 → 2 weeks (lengthened).\n"
        "  Phase Return to team training: 1 → 2 weeks (lengthened).\n"
        "  Phase Beyond rehab - the season: 4 → 6 weeks (lengthened).\n"
        "  6 check-ins move:\n"
        "    Short accelerations: Sun 20 Dec → Sun 27 Dec.\n"
        "    Longer accelerations and fly-ins: Sun 27 Dec → Sun 10 Jan.\n"
        "    Fly-ins and repeated runs up to 90%: Sat 02 Jan → Sat 23 Jan.\n"
        "    Maximal sprint: Sat 09 Jan → Sat 06 Feb.\n"
        "    Return to team training: Sun 17 Jan → Sun 21 Feb.\n"
        "    Beyond rehab - the season: Sun 14 Feb → Sun 04 Apr.\n"
        "  1 check-in removed:\n"
        "    Protect and rebuild - technique and strength at low intensity: Sun 13 Dec.\n"
        "  30 sessions move:\n"
        "    Tempo runs and strides: Mon 21 Dec → Mon 28 Dec.\n"
        "    Longer accelerations: Wed 23 Dec → Wed 30 Dec.\n"
        "    Hamstring strength (Glider and single-leg work): Fri 25 Dec → Fri 01 Jan.\n"
        "    Hops, skips and reactive starts: Sat 26 Dec → Sat 02 Jan.\n"
        "    Balance, hops and reactions: Mon 28 Dec → Mon 11 Jan.\n"
        "    Fly-ins (flying sprints) and repeated runs: Wed 30 Dec → Wed 13 Jan.\n"
        "    Mobility and restoration: Fri 01 Jan → Sat 16 Jan.\n"
        "    Tempo runs and strides: Mon 04 Jan → Mon 25 Jan.\n"
        "    Maximal sprint: Wed 06 Jan → Wed 27 Jan.\n"
        "    Mobility and restoration: Fri 08 Jan → Sat 30 Jan.\n"
        "    … and 20 more\n"
        "  28 sessions added:\n"
        "    Gentle accelerations and light-stance starts: Mon 21 Dec.\n"
        "    Balance, hops and reactions: Wed 23 Dec.\n"
        "    Short accelerations: Fri 25 Dec.\n"
        "    Hamstring strength (L-protocol and first Nordics): Sat 26 Dec.\n"
        "    Tempo runs and strides: Mon 04 Jan.\n"
        "    Longer accelerations: Wed 06 Jan.\n"
        "    Hamstring strength (Glider and single-leg work): Fri 08 Jan.\n"
        "    Hops, skips and reactive starts: Sat 09 Jan.\n"
        "    Balance, hops and reactions: Mon 18 Jan.\n"
        "    Fly-ins (flying sprints) and repeated runs: Wed 20 Jan.\n"
        "    … and 18 more\n"
        "  2 sessions removed:\n"
        "    Check-in tests: H-test, hops and strength: Sat 02 Jan.\n"
        "    Check-in tests: maximal sprint and repeated sprints: Sat 09 Jan.\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:1597: grades.2.scale 1.0 → 1.5\n"
        "\n"
        "Every change is listed with --format json or --format markdown.\n"
    ),
    "criterion": (
        "4 of 6 athletes change.\n"
        "\n"
        "Maya Okafor (maya-okafor), program hamstring\n"
        "  Check-in of Longer accelerations and fly-ins, criteria added: Single-leg hop tests.\n"
        "  Edits behind it:\n"
        '    programs/hamstring.yaml:1445: phases[2].exit[1] added ("hop-tests")\n'
        "\n"
        "Lena Ruiz (lena-ruiz), program hamstring\n"
        "  Check-in of Longer accelerations and fly-ins, criteria added: Single-leg hop tests.\n"
        "  Edits behind it:\n"
        '    programs/hamstring.yaml:1445: phases[2].exit[1] added ("hop-tests")\n'
        "\n"
        "Jordan Ali (jordan-ali), program hamstring\n"
        "  Check-in of Longer accelerations and fly-ins, criteria added: Single-leg hop tests.\n"
        "  Edits behind it:\n"
        '    programs/hamstring.yaml:1445: phases[2].exit[1] added ("hop-tests")\n'
        "\n"
        "Ana Silva (ana-silva), program hamstring\n"
        "  Check-in of Longer accelerations and fly-ins, criteria added: Single-leg hop tests.\n"
        "  Edits behind it:\n"
        '    programs/hamstring.yaml:1445: phases[2].exit[1] added ("hop-tests")\n'
    ),
    "rename": (
        "3 of 6 athletes change.\n"
        "\n"
        "Maya Okafor (maya-okafor), program hamstring\n"
        "  Session renamed: Hamstring strength (L-protocol and first Nordics) → Hamstring strength (first Nordics) (1 session: Sat 19 Dec).\n"
        "  Edits behind it:\n"
        '    programs/hamstring.yaml:723: sessions.strength-build.title "Hamstring strength (L-protocol and first…" → "Hamstring strength (first Nordics)"\n'
        "\n"
        "Lena Ruiz (lena-ruiz), program hamstring\n"
        "  Session renamed: Hamstring strength (L-protocol and first Nordics) → Hamstring strength (first Nordics) (2 sessions: Thu 31 Dec, Thu 07 Jan).\n"
        "  Edits behind it:\n"
        '    programs/hamstring.yaml:723: sessions.strength-build.title "Hamstring strength (L-protocol and first…" → "Hamstring strength (first Nordics)"\n'
        "\n"
        "Jordan Ali (jordan-ali), program hamstring\n"
        "  Session renamed: Hamstring strength (L-protocol and first Nordics) → Hamstring strength (first Nordics) (1 session: Sun 13 Dec).\n"
        "  Edits behind it:\n"
        '    programs/hamstring.yaml:723: sessions.strength-build.title "Hamstring strength (L-protocol and first…" → "Hamstring strength (first Nordics)"\n'
    ),
    "drill": (
        "3 of 6 athletes change.\n"
        "\n"
        "Maya Okafor (maya-okafor), program hamstring\n"
        "  Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): removed (was 2 × 5 reps · rest 2 min) (1 session: Sat 19 Dec).\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:746: sessions.strength-build.blocks[2].items[0] removed\n"
        "\n"
        "Lena Ruiz (lena-ruiz), program hamstring\n"
        "  Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): removed (was 2 × 5 reps · rest 2 min) (2 sessions: Thu 31 Dec, Thu 07 Jan).\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:746: sessions.strength-build.blocks[2].items[0] removed\n"
        "\n"
        "Jordan Ali (jordan-ali), program hamstring\n"
        "  Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): removed (was 2 × 5 reps · rest 2 min) (1 session: Sun 13 Dec).\n"
        "  Edits behind it:\n"
        "    programs/hamstring.yaml:746: sessions.strength-build.blocks[2].items[0] removed\n"
    ),
    "roster": (
        "1 of 6 athletes changes; Tom Becker's return moves from Tue 16 Feb to Tue 23 Feb.\n"
        "\n"
        "Tom Becker (tom-becker), program calf\n"
        "  Return to play: Tue 23 Feb 2027 (was Tue 16 Feb 2027).\n"
        "  10 check-ins move:\n"
        "    Load the calf - holds and raises: Tue 08 Dec → Tue 15 Dec.\n"
        "    Walk-run ladder, step 1: walk 4, run 1: Tue 15 Dec → Tue 22 Dec.\n"
        "    Walk-run ladder, step 2: walk 3, run 2: Tue 22 Dec → Tue 29 Dec.\n"
        "    Walk-run ladder, step 3: walk 2, run 3: Tue 29 Dec → Tue 05 Jan.\n"
        "    Walk-run ladder, step 4: walk 1, run 4: Tue 05 Jan → Tue 12 Jan.\n"
        "    Walk-run ladder, step 5: continuous running: Tue 12 Jan → Tue 19 Jan.\n"
        "    Pogos, hops and accelerations: Tue 26 Jan → Tue 02 Feb.\n"
        "    Fast running and sprint: Tue 09 Feb → Tue 16 Feb.\n"
        "    Return to team training and play: Tue 16 Feb → Tue 23 Feb.\n"
        "    Beyond rehab - the season: Tue 16 Mar → Tue 23 Mar.\n"
        "  53 sessions move:\n"
        "    Cross-training (bike, pool or elliptical): Thu 03 Dec → Thu 10 Dec.\n"
        "    Calf holds and first raises (soleus): Sat 05 Dec → Sat 12 Dec.\n"
        "    Calf raises, two legs to one (soleus): Sun 06 Dec → Sun 13 Dec.\n"
        "    Tests: calf raises, ankle range and walking: Tue 08 Dec → Tue 15 Dec.\n"
        "    Step 1 of the ladder: walk-run 4:1, then calf strength: Thu 10 Dec → Thu 17 Dec.\n"
        "    Cross-training (bike, pool or elliptical): Sat 12 Dec → Sat 19 Dec.\n"
        "    Test: step 1 of the ladder, six repeats of walk-run 4:1: Tue 15 Dec → Tue 22 Dec.\n"
        "    Step 2 of the ladder: walk-run 3:2, then calf strength: Thu 17 Dec → Thu 24 Dec.\n"
        "    Cross-training (bike, pool or elliptical): Sat 19 Dec → Sat 26 Dec.\n"
        "    Test: step 2 of the ladder, six repeats of walk-run 3:2: Tue 22 Dec → Tue 29 Dec.\n"
        "    … and 43 more\n"
        "  Edits behind it:\n"
        "    sprintback.yaml:24: athletes.tom-becker.start 2026-12-02 → 2026-12-09\n"
        "\n"
        "Every change is listed with --format json or --format markdown.\n"
    ),
    "log": (
        "1 of 6 athletes changes; Maya Okafor's return moves from Sun 17 Jan to Sun 24 Jan.\n"
        "\n"
        "Maya Okafor (maya-okafor), program hamstring\n"
        "  Return to play: Sun 24 Jan 2027 (was Sun 17 Jan 2027).\n"
        "  Phase Short accelerations: 1 → 2 weeks (lengthened).\n"
        "  6 check-ins move:\n"
        "    Short accelerations: Sun 20 Dec → Sun 27 Dec.\n"
        "    Longer accelerations and fly-ins: Sun 27 Dec → Sun 03 Jan.\n"
        "    Fly-ins and repeated runs up to 90%: Sat 02 Jan → Sat 09 Jan.\n"
        "    Maximal sprint: Sat 09 Jan → Sat 16 Jan.\n"
        "    Return to team training: Sun 17 Jan → Sun 24 Jan.\n"
        "    Beyond rehab - the season: Sun 14 Feb → Sun 21 Feb.\n"
        "  32 sessions move:\n"
        "    Tempo runs and strides: Mon 21 Dec → Mon 28 Dec.\n"
        "    Longer accelerations: Wed 23 Dec → Wed 30 Dec.\n"
        "    Hamstring strength (Glider and single-leg work): Fri 25 Dec → Fri 01 Jan.\n"
        "    Hops, skips and reactive starts: Sat 26 Dec → Sat 02 Jan.\n"
        "    Balance, hops and reactions: Mon 28 Dec → Mon 04 Jan.\n"
        "    Fly-ins (flying sprints) and repeated runs: Wed 30 Dec → Wed 06 Jan.\n"
        "    Mobility and restoration: Fri 01 Jan → Fri 08 Jan.\n"
        "    Check-in tests: H-test, hops and strength: Sat 02 Jan → Sat 09 Jan.\n"
        "    Tempo runs and strides: Mon 04 Jan → Mon 11 Jan.\n"
        "    Maximal sprint: Wed 06 Jan → Wed 13 Jan.\n"
        "    … and 22 more\n"
        "  4 sessions added:\n"
        "    Gentle accelerations and light-stance starts: Mon 21 Dec.\n"
        "    Balance, hops and reactions: Wed 23 Dec.\n"
        "    Short accelerations: Fri 25 Dec.\n"
        "    Hamstring strength (L-protocol and first Nordics): Sat 26 Dec.\n"
        "  2 sessions removed:\n"
        "    Short accelerations: Fri 18 Dec.\n"
        "    Hamstring strength (L-protocol and first Nordics): Sat 19 Dec.\n"
        "  Edits behind it:\n"
        "    log/maya-okafor.yaml:5: records[1] added\n"
        "\n"
        "Every change is listed with --format json or --format markdown.\n"
    ),
}
"""The text report of each edit, exactly as the terminal shows it."""


@pytest.mark.parametrize("kind", EDITS)
def test_each_kind_of_edit_in_text(run: Run, repo: Path, kind: str) -> None:
    EDITS[kind](repo)
    assert diff(run, repo) == (3, EXPECTED[kind])


@pytest.mark.parametrize("kind", EDITS)
def test_each_kind_of_edit_in_json_says_the_same(run: Run, repo: Path, kind: str) -> None:
    EDITS[kind](repo)
    status, output = diff(run, repo, "--format", "json")
    assert status == 3
    data = json.loads(output)
    text = EXPECTED[kind]
    assert data["summary"] == text.splitlines()[0]
    assert data["athletes_total"] == 6
    names = [
        line.split(" (")[0]
        for line in text.splitlines()
        if line.endswith(", program hamstring") or "program calf" in line
    ]
    assert [athlete["name"] for athlete in data["athletes"]] == names
    for athlete in data["athletes"]:
        for edit_line in athlete["edits"]:
            assert f"{edit_line['file']}:{edit_line['line']}: {edit_line['path']}" in text
        # The same counts as the text says: "7 check-ins move", "50 sessions move", "4 sessions added".
        said = text[text.index(f"{athlete['name']} (") :].split("\n\n")[0]
        for key, words in (
            ("check_ins_moved", "check-in"),
            ("sessions_moved", "session"),
            ("sessions_added", "session"),
            ("sessions_removed", "session"),
        ):
            verb = {"check_ins_moved": "move", "sessions_moved": "move"}.get(key, key.rsplit("_", 1)[1])
            count = len(athlete[key])
            if count > 1:
                assert f"{count} {words}s {verb}" in said, (key, said)
        moved = athlete["return_to_play"]  # null where the return did not move
        assert (moved is not None) == ("Return to play:" in said)


@pytest.mark.parametrize("kind", EDITS)
def test_each_kind_of_edit_in_markdown(run: Run, repo: Path, kind: str) -> None:
    EDITS[kind](repo)
    status, output = diff(run, repo, "--format", "markdown", "main")
    assert status == 3
    lines = output.splitlines()
    assert lines[:3] == [
        "### Sprintback: what this change does to the athletes' plans",
        "",
        "Plans built from this tree, against `main`. Athletes whose plan does not change are counted only.",
    ]
    assert lines[4] == f"**{EXPECTED[kind].splitlines()[0]}**"
    headings = [line.removeprefix("#### ") for line in lines if line.startswith("#### ")]
    athletes = [line for line in EXPECTED[kind].splitlines() if ", program " in line]
    assert headings == athletes
    assert "… and" not in output, "Markdown lists everything, folding long lists"
    assert output.count("<details>") == output.count("</details>")
    # Every change the text says, the Markdown says too, word for word (its escapes undone).
    plain = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|])", r"\1", output)
    for line in EXPECTED[kind].splitlines()[1:]:
        said = line.strip()
        if said and not said.startswith(("… and", "Every change is listed")) and ", program " not in said:
            assert said in plain, said


def test_a_dose_change_exactly_in_every_format(run: Run, repo: Path) -> None:
    EDITS["dose"](repo)
    status, output = diff(run, repo, "--format", "markdown", "--athlete", "lena-ruiz")
    assert (status, output) == (
        3,
        "### Sprintback: what this change does to the athletes' plans\n"
        "\n"
        "Plans built from this tree, against `HEAD`. Athletes whose plan does not change are counted only.\n"
        "\n"
        "**1 of 1 athlete changes.**\n"
        "\n"
        "#### Lena Ruiz (lena-ruiz), program hamstring\n"
        "\n"
        "- Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): "
        "2 × 5 reps · rest 2 min → 3 × 5 reps · rest 2 min (2 sessions: Thu 31 Dec, Thu 07 Jan).\n"
        "- Edits behind it:\n"
        "  - programs/hamstring.yaml:747: sessions.strength-build.blocks\\[2\\].items\\[0\\].sets 2 → 3\n",
    )
    status, output = diff(run, repo, "--format", "json", "--athlete", "lena-ruiz")
    athlete = json.loads(output)["athletes"][0]
    assert athlete["doses"] == [
        {
            "session": "Hamstring strength (L-protocol and first Nordics)",
            "drill": "Nordic hamstring exercise",
            "before": "2 × 5 reps · rest 2 min",
            "after": "3 × 5 reps · rest 2 min",
            "dates": ["2026-12-31", "2027-01-07"],
        }
    ]
    assert athlete["edits"] == [
        {
            "file": "programs/hamstring.yaml",
            "line": 747,
            "path": "sessions.strength-build.blocks[2].items[0].sets",
            "change": "changed",
            "before": "2",
            "after": "3",
        }
    ]


def test_the_working_tree_and_the_site_stay_untouched(run: Run, repo: Path) -> None:
    EDITS["phase"](repo)
    before = git(repo.parent, "status", "--porcelain", "--ignored")
    assert diff(run, repo)[0] == 3
    assert git(repo.parent, "status", "--porcelain", "--ignored") == before
    assert not (repo.parent / "site").exists()


def test_no_private_address_and_no_key_in_any_format(run: Run, repo: Path) -> None:
    EDITS["roster"](repo)
    for shape in ("text", "markdown", "json"):
        output = diff(run, repo, "--format", shape)[1]
        assert "athletes/" not in output and "staff/" not in output
        assert os.environ["SPRINTBACK_SECRET"] not in output


def test_markdown_shows_names_as_text(run: Run, repo: Path) -> None:
    edit(repo, "name: Tom Becker", 'name: "Tom <b>[Becker](https://evil.example) @coach"')
    EDITS["roster"](repo)
    output = diff(run, repo, "--format", "markdown")[1]
    assert "#### Tom &lt;b&gt;\\[Becker\\](https://evil.example) &#64;coach (tom-becker), program calf" in output


def test_a_removed_drill_file_still_used_is_an_error_of_the_new_tree(run: Run, repo: Path) -> None:
    (repo.parent / "programs" / "drills" / "nordic-hamstring.md").unlink()
    status, output = diff(run, repo)
    assert status == 1
    assert "error: programs/hamstring.yaml:" in output and "nordic-hamstring" in output


def test_an_unknown_revision_is_a_clear_error(run: Run, repo: Path) -> None:
    status, output = diff(run, repo, "nope")
    assert (status, output) == (1, f"error: git revision 'nope' not found in {repo.parent.resolve()}\n")


def test_outside_a_repository_is_a_clear_error(run: Run, shipped: Path) -> None:
    status, output = diff(run, shipped)
    assert status == 1
    assert output.startswith(f"error: {shipped.parent.resolve()} is not in a git repository: ")
    assert len(output.splitlines()) == 1


def test_invalid_yaml_in_the_old_revision_names_the_revision_and_the_place(run: Run, repo: Path) -> None:
    text = program(repo).read_text()
    program(repo).write_text(text.replace("    scale: 1.0\n", "    scale: [1.0\n"))
    git(repo.parent, "commit", "-q", "-am", "A slip")
    program(repo).write_text(text)
    status, output = diff(run, repo, "HEAD")
    assert status == 1
    first = output.splitlines()[0]
    assert first.startswith("error: in revision HEAD: programs/hamstring.yaml:1598:")
    assert diff(run, repo, "HEAD~1") == (0, "No athlete's plan changes (6 athletes).\n")


def test_a_project_in_a_subfolder_of_the_repository(run: Run, tmp_path: Path) -> None:
    project = copy_shipped(tmp_path / "club" / "rehab")
    git(project.parent.parent, "init", "-q", "-b", "main")
    git(project.parent.parent, "add", "-A")
    git(project.parent.parent, "commit", "-q", "-m", "The squad")
    EDITS["roster"](project)
    assert diff(run, project) == (3, EXPECTED["roster"].replace("sprintback.yaml:24", "sprintback.yaml:24"))


def test_one_athlete_and_an_unknown_one(run: Run, repo: Path) -> None:
    EDITS["dose"](repo)
    status, output = diff(run, repo, "--athlete", "tom-becker")
    assert (status, output) == (0, "No athlete's plan changes (1 athlete).\n")
    status, output = diff(run, repo, "--athlete", "nobody")
    assert (status, output) == (1, "error: no athlete 'nobody' in the roster of either revision\n")


def test_build_says_what_reaches_the_athletes_calendars(run: Run, shipped: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("build", "-q", "-f", shipped, "-o", site).exit_code == 0
    result = run("build", "--changes", "-f", shipped, "-o", site)
    assert result.output.splitlines()[-1] == "Calendar events: none changed since the last build (feeds.lock)."
    EDITS["roster"](shipped)
    EDITS["dose"](shipped)
    result = run("build", "--changes", "-f", shipped, "-o", site)
    assert result.exit_code == 0
    assert result.output.splitlines()[2:] == [
        "Calendar events against the last build (feeds.lock): 4 athletes' feeds change.",
        "  Maya Okafor: 1 event changes.",
        "  Tom Becker: 63 events change.",
        "  Lena Ruiz: 2 events change.",
        "  Jordan Ali: 1 event changes.",
    ]
    # One athlete's grade made longer: one athlete's feed.
    edit(program(shipped), GRADE_3, GRADE_3.replace("protect-and-technique: 3", "protect-and-technique: 4"))
    lines = run("build", "--changes", "-f", shipped, "-o", site).output.splitlines()[2:]
    assert lines == [
        "Calendar events against the last build (feeds.lock): 1 athlete's feed changes.",
        "  Lena Ruiz: 58 events change, 6 new, 1 gone.",
    ]


def test_a_grades_edit_stands_under_that_grades_athletes_only_and_a_moved_session_keeps_its_dose_change(
    run: Run, repo: Path
) -> None:
    edit(program(repo), GRADE_3, GRADE_3.replace("protect-and-technique: 3", "protect-and-technique: 4"))
    EDITS["dose"](repo)
    status, output = diff(run, repo)
    assert status == 3
    lena = output[output.index("Lena Ruiz (lena-ruiz)") : output.index("\n\n", output.index("Lena Ruiz (lena-ruiz)"))]
    maya = output[output.index("Maya Okafor (maya-okafor)") :].split("\n\n")[0]
    grade_edit = "programs/hamstring.yaml:1773: grades.3.weeks.protect-and-technique 3 → 4"
    assert grade_edit in lena and grade_edit not in maya  # Maya is grade 2
    # Lena's strength sessions move a week later and take the new dose: both are said.
    assert "Hamstring strength (L-protocol and first Nordics): Thu 31 Dec → Thu 07 Jan." in lena
    assert (
        "Nordic hamstring exercise in Hamstring strength (L-protocol and first Nordics): 2 × 5 reps · rest 2 min → "
        "3 × 5 reps · rest 2 min (2 sessions: Thu 07 Jan, Thu 14 Jan)." in lena
    )


def test_a_load_safety_warning_the_edit_brings_is_named(run: Run, repo: Path) -> None:
    # A 90-minute session in the first phase: far above the sessions before it (Frandsen 2025).
    edit(
        program(repo),
        "    title: Hamstring holds and hip strength\n    kind: strength\n    minutes: 40\n",
        "    title: Hamstring holds and hip strength\n    kind: strength\n    minutes: 90\n",
    )
    status, output = diff(run, repo, "--format", "json")
    assert status == 3
    report = json.loads(output)
    added = report["protocols"]["warnings_added"]
    appeared = [w for w in added if "session early-strength" in w and "Frandsen 2025" in w]
    assert len(appeared) == 6, added  # once per grade of the program
    status, text = diff(run, repo)
    assert f"New warning: {appeared[0]}" in text
    # And the session itself, longer for every hamstring athlete in the first phase.
    assert text.startswith("4 of 6 athletes change")
    assert (
        "The session as a whole in Hamstring holds and hip strength: about 40 min · RPE 4 · load 160 → "
        "about 90 min · RPE 4 · load 360" in text
    )


def test_an_athlete_joining_or_leaving_the_roster(run: Run, repo: Path) -> None:
    roster = repo.read_text()
    repo.write_text(
        roster
        + "\n  new-runner:\n    name: New Runner\n    injury: {type: calf, grade: 1, side: left, muscle: soleus}\n"
        "    start: 2027-01-04\n    timezone: Europe/London\n    training_days: [mon, wed, fri, sat]\n"
    )
    status, output = diff(run, repo)
    assert status == 3
    assert output.splitlines()[:4] == [
        "1 of 7 athletes changes; New Runner's return is now projected for Sat 20 Mar.",
        "",
        "New Runner (new-runner), program calf",
        "  New in the roster: the whole plan is new.",
    ]
    start = roster.index("  jordan-ali:")
    repo.write_text(roster[:start] + roster[roster.index("\n\n  ", start) + 2 :])
    status, output = diff(run, repo)
    assert status == 3
    assert output.splitlines()[:4] == [
        "1 of 6 athletes changes; Jordan Ali's return is no longer projected (was Mon 11 Jan).",
        "",
        "Jordan Ali (jordan-ali), program hamstring",
        "  Left the roster: no plan any more.",
    ]
