"""Golden output: each fixture project must build to exactly its committed tree.

The test only compares; it never writes the tree. When a change to the output is
meant, regenerate the trees in a separate step and review the diff in git:

    .venv/bin/python tests/regenerate_golden.py
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from builder.ledger import LEDGER_FILE
from tests.conftest import FIXTURES, GOLDEN, Run, files_of


@pytest.mark.parametrize("fixture", ["mini", "full"])
def test_fixture_site_matches_the_golden_copy(run: Run, tmp_path: Path, fixture: str) -> None:
    out = tmp_path / "site"
    ledger = FIXTURES / fixture / LEDGER_FILE
    committed = ledger.read_bytes()
    # Built in place, as a user would: the fixture's own templates path and its committed ledger,
    # which a build of unchanged inputs leaves as it is.
    assert run("build", "-q", "-f", FIXTURES / fixture / "sprintback.yaml", "-o", out).exit_code == 0
    assert ledger.read_bytes() == committed, "the build rewrote the committed feed ledger"
    built, golden = files_of(out), files_of(GOLDEN / fixture)
    assert sorted(built) == sorted(golden), "the set of files changed"
    for name, data in golden.items():
        if built[name] != data:
            diff = difflib.unified_diff(
                data.decode().splitlines(), built[name].decode().splitlines(), "golden", "built", lineterm="", n=1
            )
            raise AssertionError(f"{name} changed:\n" + "\n".join(list(diff)[:40]))
