"""Projected return to play against the published range, for every grade and muscle of the shipped protocols.

Run from the repository root:

    .venv/bin/python tests/return_days.py

For each program, grade and muscle (and no muscle), an athlete injured on the day the plan
starts, on the training days of the shipped athlete of that injury, with no log: the day of
the projected return to play (the last gated check-in, as the athlete's page counts it)
after the injury, and the typical range the program states (`typical_return_days`). It
prints a table; it checks nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so that plain `python3 tests/return_days.py` finds builder/

from builder.build import gather  # noqa: E402
from builder.views import return_to_play  # noqa: E402
from tests.conftest import ENVIRONMENT, copy_shipped  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = copy_shipped(Path(folder) / "project")
        roster = yaml.safe_load(project.read_text())
        athletes: dict[str, Any] = {}
        for program_file in sorted((project.parent / "programs").glob("*.yaml")):
            program = yaml.safe_load(program_file.read_text())
            base = next(a for a in roster["athletes"].values() if a["injury"]["type"] == program["injury"])
            for grade in program["grades"]:
                for muscle in (None, *program.get("muscles", {})):
                    injury = {**base["injury"], "grade": str(grade), "date": str(base["start"])}
                    injury.pop("muscle", None)
                    if muscle is not None:
                        injury["muscle"] = muscle
                    name = "-".join(part for part in (program["id"], str(grade).lower(), muscle) if part)
                    athletes[name] = {**base, "name": name, "injury": injury}
        roster["athletes"] = athletes
        project.write_text(yaml.safe_dump(roster, sort_keys=False))
        for log in (project.parent / "log").glob("*.yaml"):
            log.unlink()
        gathered = gather(project, ENVIRONMENT)
    print(f"{'program':10} {'grade':6} {'muscle':14} {'return day':>10}  typical range (days)")
    for plan in gathered.plans:
        back = return_to_play(plan)
        injured = plan.athlete.injury.date
        assert back is not None and injured is not None
        graded = plan.graded
        muscle = graded.muscle_variant
        typical = graded.variant.typical_return_days or (muscle.typical_return_days if muscle else None)
        shown = f"{typical[0]} to {typical[1]}" if typical else "none stated"
        print(f"{graded.program.id:10} {graded.grade:6} {graded.muscle or '-':14} {(back - injured).days:>10}  {shown}")


if __name__ == "__main__":
    main()
