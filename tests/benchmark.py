"""Build benchmark: how fast does `sprintback build` handle a large roster?

Run from the repository root:

    .venv/bin/python tests/benchmark.py [--athletes N [N ...]] [--seed S] [--profile]

For each roster size (default: 1,000 and 10,000), it writes a temporary project (the
repository's programs/ and templates/) with a synthetic, deterministic roster of N
athletes, then builds it in-process through `builder.build.build`, the function the
command line calls, timing the gather half (load, resolve, dose, schedule, check) and
the render+write half (and, of it, the feeds'). It prints pages, feed events and bytes
written, their rates, and peak memory (ru_maxrss, which never goes down: run one size
at a time to read its own peak), and reports each size against its target ("1,000 athletes in under 10 s") as
measured, never scaled. It never fails on a target. --profile runs under cProfile
(slower) and prints the top functions. The temporary folders are removed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so that plain `python3 tests/benchmark.py` finds builder/

from builder.build import Built, build  # noqa: E402
from builder.errors import InputError  # noqa: E402

TARGETS = {1000: 10.0}
"""Seconds a build of that many athletes should take at most on the 2-core reference machine."""
ZONES = [
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Australia/Melbourne",
    "Africa/Nairobi",
]
DAY_SETS = [
    ["mon", "wed", "fri", "sat"],
    ["tue", "thu", "sat", "sun"],
    ["mon", "tue", "thu", "sat"],
    ["mon", "wed", "thu", "sat"],
    ["tue", "wed", "fri", "sun"],
]
FIRST = ["Ana", "Ben", "Chidi", "Dana", "Eitan", "Fatima", "Goran", "Hana", "Ivo", "Jun", "Kemi", "Lars"]
LAST = ["Okafor", "Becker", "Ruiz", "Kowalski", "Ali", "Silva", "Tanaka", "Novak", "Mensah", "Larsen"]


def roster(count: int, programs: Path, seed: int) -> dict[str, dict[str, object]]:
    """N athletes over the programs' injuries and grades, the same for the same seed."""
    rng = random.Random(seed)
    served: list[tuple[str, str, list[str]]] = []  # (program id, injury, grades)
    for path in sorted([*programs.glob("*.yaml"), *programs.glob("*.yml")]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        served.append((str(data["id"]), str(data["injury"]), [str(grade) for grade in data["grades"]]))
    shared = {injury for _, injury, _ in served if sum(i == injury for _, i, _ in served) > 1}
    first_day = dt.date(2027, 1, 4)
    athletes: dict[str, dict[str, object]] = {}
    for number in range(1, count + 1):
        program, injury, grades = rng.choice(served)
        athlete: dict[str, object] = {
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "injury": {"type": injury, "grade": rng.choice(grades), "side": rng.choice(["left", "right", "both"])},
            "start": first_day + dt.timedelta(days=rng.randrange(365)),
            "timezone": rng.choice(ZONES),
            "training_days": rng.choice(DAY_SETS),
        }
        if number % 2:
            athlete["session_time"] = f"{rng.randrange(6, 21):02d}:{rng.choice([0, 15, 30, 45]):02d}"
        if injury in shared:
            athlete["program"] = program
        athletes[f"athlete-{number:05d}"] = athlete
    return athletes


def write_logs(folder: Path, athletes: dict[str, dict[str, object]]) -> int:
    """A log for every third athlete: a next-morning pain report that holds the dose in week 2,
    then a pause and a resume, so the build re-plans them as a physio's records would."""
    folder.mkdir()
    count = 0
    for number, (athlete_id, athlete) in enumerate(athletes.items(), start=1):
        if number % 3:
            continue
        start = athlete["start"]
        assert isinstance(start, dt.date)
        records = [
            {"date": start + dt.timedelta(days=9), "pain": 4, "when": "next-morning"},
            {"date": start + dt.timedelta(days=24), "decision": "pause"},
            {"date": start + dt.timedelta(days=31), "decision": "resume"},
        ]
        (folder / f"{athlete_id}.yaml").write_text(yaml.safe_dump({"records": records}), encoding="utf-8")
        count += 1
    return count


def measure(athletes: int, seed: int, profiler: cProfile.Profile | None) -> None:
    """Build a synthetic roster of `athletes` and print what it took."""
    programs = ROOT / "programs"
    environment = {
        "SPRINTBACK_SECRET": "benchmark-key-behind-the-private-addresses-0123456789",
        "SOURCE_DATE_EPOCH": "1798761600",
    }
    with tempfile.TemporaryDirectory(prefix="sprintback-bench-") as folder:
        project_file, output = Path(folder) / "sprintback.yaml", Path(folder) / "site"
        # A link, not an absolute path: the loader names program files relative to the project.
        (Path(folder) / "programs").symlink_to(programs, target_is_directory=True)
        athletes_of = roster(athletes, programs, seed)
        project = {
            "site": {
                "title": "Benchmark Club",
                "base_url": "https://club.example/rehab/",
                "programs": "programs",
                "templates": str(ROOT / "templates"),
                "output": "site",
            },
            "athletes": athletes_of,
        }
        project_file.write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
        logged = write_logs(Path(folder) / "log", athletes_of)

        marks: list[float] = []
        began = time.perf_counter()
        try:
            if profiler is not None:
                profiler.enable()
            # The progress hook is called once the gather half is done: it marks the split.
            built: Built = build(project_file, environment, progress=lambda total: _mark(marks))
        except InputError as error:
            sys.exit(f"the synthetic project does not build:\n{error}")
        finally:
            if profiler is not None:
                profiler.disable()
        total = time.perf_counter() - began
        gather_s = marks[0] - began
        files = [path for path in output.rglob("*") if path.is_file()]
        pages = sum(path.suffix == ".html" for path in files)
        feeds = sum(path.suffix == ".ics" for path in files)
        # The site is written pages first, then feeds: the ticks between are the feeds'.
        feeds_s = marks[pages + feeds] - marks[pages]
        events = sum(path.read_bytes().count(b"BEGIN:VEVENT") for path in files if path.suffix == ".ics")
        written = sum(path.stat().st_size for path in files)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)

    print(f"athletes:        {athletes} (seed {seed}; {len(built.gathered.findings.warnings)} warnings)")
    print(f"logs:            {logged} athletes re-planned (a hold, then a pause and a resume each)")
    print(f"total:           {total:.2f} s" + (" (under cProfile: inflated)" if profiler else ""))
    print(f"  gather:        {gather_s:.2f} s  (load, resolve, dose, schedule, check)")
    print(f"  render+write:  {total - gather_s:.2f} s")
    print(f"    of it feeds: {feeds_s:.2f} s  ({feeds} feeds made and written)")
    print(f"HTML pages:      {pages}  ({pages / total:,.0f} pages/s of total)")
    print(f"feed events:     {events}  ({events / total:,.0f} events/s of total)")
    print(f"files, bytes:    {len(files)} files, {written / 2**20:.1f} MiB")
    print(f"peak memory:     {peak:.0f} MiB (ru_maxrss of the whole run so far)")
    if athletes in TARGETS:
        verdict = "meets" if total < TARGETS[athletes] else "MISSES"
        print(f"target:          {verdict} '{athletes:,} athletes in under {TARGETS[athletes]:g} s' ({total:.2f} s)")
    else:
        print("target:          none set for this size")
    print()


def _mark(marks: list[float]) -> Callable[[], None]:
    """Mark the end of the gather half, then the time each file is made and written."""
    marks.append(time.perf_counter())
    return lambda: marks.append(time.perf_counter())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--athletes", type=int, nargs="+", default=[1000, 10000], help="roster sizes (default 1000 10000)"
    )
    parser.add_argument("--seed", type=int, default=2027, help="seed of the synthetic roster")
    parser.add_argument("--profile", action="store_true", help="run under cProfile and print hotspots")
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None
    for athletes in args.athletes:
        measure(athletes, args.seed, profiler)
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
        stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(30)
        stats.sort_stats(pstats.SortKey.TIME).print_stats(20)


if __name__ == "__main__":
    main()
