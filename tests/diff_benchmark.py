"""Diff benchmark: how long does `sprintback diff` take on a large roster, against two `validate` runs?

Run from the repository root:

    .venv/bin/python tests/diff_benchmark.py [--athletes N] [--seed S] [--runs R]

It writes a temporary git repository holding a project with the synthetic roster of
tests/benchmark.py (the repository's programs, N athletes, a log for every third one),
commits it, lengthens one phase of the hamstring program by a week, and times the real
command in a subprocess: `sprintback diff` against HEAD, and `sprintback validate`, each
R times (the best run is reported). The issue's yardstick: a diff should take about as
long as two validate runs (it gathers the project twice, once from git). Nothing is
asserted; the temporary folder is removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.benchmark import roster, write_logs  # noqa: E402

EDIT = ("    weeks: 1\n    exit: [running-above-70]\n", "    weeks: 2\n    exit: [running-above-70]\n")
"""One edit of one protocol: the hamstring program's third phase a week longer."""


def best(command: list[str], folder: Path, environment: dict[str, str], runs: int) -> tuple[float, int]:
    """The fastest of `runs` runs of the command, in seconds, and its exit status."""
    times, status = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, cwd=folder, env=environment, capture_output=True, check=False)
        times.append(time.perf_counter() - began)
        status = done.returncode
        if status not in (0, 3):
            sys.exit(f"{' '.join(command)} failed ({status}):\n{done.stderr.decode()}")
    return min(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--athletes", type=int, default=1000, help="roster size (default 1000)")
    parser.add_argument("--seed", type=int, default=2027, help="seed of the synthetic roster")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the best counts (default 3)")
    args = parser.parse_args()
    environment = {
        **os.environ,
        "SPRINTBACK_SECRET": "benchmark-key-behind-the-private-addresses-0123456789",
        "SOURCE_DATE_EPOCH": "1798761600",
        "PYTHONPATH": str(ROOT),
        "GIT_AUTHOR_NAME": "Benchmark",
        "GIT_AUTHOR_EMAIL": "benchmark@club.example",
        "GIT_COMMITTER_NAME": "Benchmark",
        "GIT_COMMITTER_EMAIL": "benchmark@club.example",
    }
    sprintback = [sys.executable, "-m", "builder"]
    with tempfile.TemporaryDirectory(prefix="sprintback-diff-bench-") as name:
        folder = Path(name)
        shutil.copytree(ROOT / "programs", folder / "programs")
        athletes = roster(args.athletes, folder / "programs", args.seed)
        project = {"site": {"title": "Benchmark Club", "templates": str(ROOT / "templates")}, "athletes": athletes}
        (folder / "sprintback.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
        logged = write_logs(folder / "log", athletes)
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "The squad"]):
            subprocess.run(["git", *command], cwd=folder, env=environment, check=True)
        program = folder / "programs" / "hamstring.yaml"
        text = program.read_text(encoding="utf-8")
        assert text.count(EDIT[0]) == 1
        program.write_text(text.replace(*EDIT), encoding="utf-8")

        validate_s, _ = best([*sprintback, "validate"], folder, environment, args.runs)
        diff_s, status = best([*sprintback, "diff"], folder, environment, args.runs)
        report = subprocess.run([*sprintback, "diff"], cwd=folder, env=environment, capture_output=True, check=False)
    print(f"athletes:        {args.athletes} (seed {args.seed}; {logged} with a log)")
    print("edit:            programs/hamstring.yaml: phases[2].weeks 1 → 2")
    print(f"diff:            exit {status}; {report.stdout.decode().splitlines()[0]}")
    print(f"validate:        {validate_s:.2f} s (best of {args.runs})")
    print(f"diff:            {diff_s:.2f} s (best of {args.runs})")
    print(f"diff / validate: {diff_s / validate_s:.2f} (the yardstick: about 2)")


if __name__ == "__main__":
    main()
