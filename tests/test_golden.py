"""Golden output: the small fixture project must build to exactly the committed tree.

When a change to the output is meant, regenerate the tree and review the diff in git:

    SPRINTBACK_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from tests.conftest import MINI, Run, files_of

GOLDEN = Path(__file__).parent / "golden" / "mini"


def test_fixture_site_matches_the_golden_copy(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    # Built in place, as a user would: the fixture's own templates path, read-only inputs.
    assert run("build", "-q", "-f", MINI / "sprintback.yaml", "-o", out).exit_code == 0
    if os.environ.get("SPRINTBACK_REGENERATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    built, golden = files_of(out), files_of(GOLDEN)
    assert sorted(built) == sorted(golden), "the set of files changed"
    for name, data in golden.items():
        if built[name] != data:
            diff = difflib.unified_diff(
                data.decode().splitlines(), built[name].decode().splitlines(), "golden", "built", lineterm="", n=1
            )
            raise AssertionError(f"{name} changed:\n" + "\n".join(list(diff)[:40]))
