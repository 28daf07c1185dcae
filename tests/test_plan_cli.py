"""`sprintback plan`: block names over their drills, a hypothetical athlete, and the plan as JSON."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run


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
