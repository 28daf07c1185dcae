"""Build benchmark: how fast does `sprintback build` handle a large roster?

Run from the repository root:

    .venv/bin/python tests/benchmark.py [--athletes N] [--seed S] [--profile]
    python3 tests/benchmark.py

It writes a temporary project (programs/ of the repository, or the fixture
tests/fixtures/mini/programs while that folder has no programs yet; templates/ of the
repository) with a synthetic, deterministic roster of N athletes (default 1000), then
builds it in-process through the functions the CLI uses, timing the gather half (load,
resolve, expand, check) and the render+write half. It prints pages, feed events and
bytes written, their rates, and peak memory (ru_maxrss), and reports against the target
"1,000 athletes in under 10 s" without ever failing on it. --profile runs the build
under cProfile (slower) and prints the top functions. The temporary folder is removed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so that plain `python3 tests/benchmark.py` finds builder/

from builder.build import gather, render_site  # noqa: E402
from builder.errors import InputError  # noqa: E402
from builder.load import load_secret  # noqa: E402
from builder.write import write_site  # noqa: E402

TARGET_ATHLETES, TARGET_SECONDS = 1000, 10.0
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


def programs_folder() -> Path:
    repo = ROOT / "programs"
    if any(repo.glob("*.yaml")) or any(repo.glob("*.yml")):
        return repo
    return ROOT / "tests" / "fixtures" / "mini" / "programs"


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


def build(project_file: Path, output: Path) -> tuple[float, float, int]:
    """Build as the CLI does; return (gather seconds, render+write seconds, warnings)."""
    began = time.perf_counter()
    gathered = gather(project_file, source_date_epoch=int(os.environ["SOURCE_DATE_EPOCH"]))
    gathered_at = time.perf_counter()
    secret = load_secret(gathered.resolution.library.root, dict(os.environ))
    write_site(output, render_site(gathered, secret))
    return gathered_at - began, time.perf_counter() - gathered_at, len(gathered.findings.warnings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--athletes", type=int, default=TARGET_ATHLETES, help="roster size (default 1000)")
    parser.add_argument("--seed", type=int, default=2027, help="seed of the synthetic roster")
    parser.add_argument("--profile", action="store_true", help="run under cProfile and print hotspots")
    args = parser.parse_args()
    os.environ["SPRINTBACK_SECRET"] = "benchmark-secret"
    os.environ["SOURCE_DATE_EPOCH"] = "1798761600"  # 2027-01-01T00:00:00Z

    programs = programs_folder()
    fallback = " (the repository's programs/ has no *.yaml yet)" if programs.parent != ROOT else ""
    print(f"programs:        {programs.relative_to(ROOT)}{fallback}")
    with tempfile.TemporaryDirectory(prefix="sprintback-bench-") as folder:
        project_file, output = Path(folder) / "sprintback.yaml", Path(folder) / "site"
        # A link, not an absolute path: the loader names program files relative to the project.
        (Path(folder) / "programs").symlink_to(programs, target_is_directory=True)
        project = {
            "site": {
                "title": "Benchmark Club",
                "base_url": "https://club.example/rehab/",
                "programs": "programs",
                "templates": str(ROOT / "templates"),
                "output": "site",
            },
            "athletes": roster(args.athletes, programs, args.seed),
        }
        project_file.write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")

        profiler = cProfile.Profile() if args.profile else None
        try:
            if profiler is not None:
                profiler.enable()
            gather_s, render_s, warnings = build(project_file, output)
        except InputError as error:
            sys.exit(f"the synthetic project does not build:\n{error}")
        finally:
            if profiler is not None:
                profiler.disable()

        total = gather_s + render_s
        files = [path for path in output.rglob("*") if path.is_file()]
        pages = sum(path.suffix == ".html" for path in files)
        events = sum(path.read_bytes().count(b"BEGIN:VEVENT") for path in files if path.suffix == ".ics")
        written = sum(path.stat().st_size for path in files)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)

    print(f"athletes:        {args.athletes} (seed {args.seed}; {warnings} warnings)")
    print(f"total:           {total:.2f} s" + (" (under cProfile: inflated)" if profiler else ""))
    print(f"  gather:        {gather_s:.2f} s  (load, resolve, expand, check)")
    print(f"  render+write:  {render_s:.2f} s")
    print(f"HTML pages:      {pages}  ({pages / total:,.0f} pages/s of total)")
    print(f"feed events:     {events}  ({events / total:,.0f} events/s of total)")
    print(f"files, bytes:    {len(files)} files, {written / 2**20:.1f} MiB")
    print(f"peak memory:     {peak:.0f} MiB (ru_maxrss)")
    per_1000 = total * TARGET_ATHLETES / max(args.athletes, 1)
    verdict = "meets" if per_1000 < TARGET_SECONDS else "MISSES"
    scaled = "" if args.athletes == TARGET_ATHLETES else ", scaled linearly"
    print(f"target:          {verdict} '1,000 athletes in under 10 s' ({per_1000:.2f} s per 1,000{scaled})")

    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
        stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(30)
        stats.sort_stats(pstats.SortKey.TIME).print_stats(20)


if __name__ == "__main__":
    main()
