"""Rebuild the golden copies of the fixture sites (tests/golden/<fixture>/) after a meant change.

    .venv/bin/python tests/regenerate_golden.py

Review the result with `git diff tests/golden` before committing it: the golden test
compares against these trees and never writes them itself. Each fixture's feed ledger
(`feeds.lock`) is made anew too, so every event of the golden feeds is at sequence 0.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder.build import build
from builder.ledger import LEDGER_FILE
from tests.conftest import EPOCH, FIXTURES, GOLDEN, SECRET


def main() -> None:
    environment = {"SPRINTBACK_SECRET": SECRET, "SOURCE_DATE_EPOCH": EPOCH}
    for fixture in ("mini", "full"):
        target = GOLDEN / fixture
        shutil.rmtree(target, ignore_errors=True)
        (FIXTURES / fixture / LEDGER_FILE).unlink(missing_ok=True)
        built = build(FIXTURES / fixture / "sprintback.yaml", environment, output=target)
        print(f"{target.relative_to(GOLDEN.parent.parent)}: {built.files} files")


if __name__ == "__main__":
    main()
