"""Writing: atomic, byte-identical, and never clearing a folder Sprintback did not make."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.write import MARKER, WriteError, write_site
from tests.conftest import Run, files_of


def test_two_builds_of_the_same_inputs_are_byte_identical(run: Run, mini: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run("build", "-q", "-f", mini, "-o", first).exit_code == 0
    assert run("build", "-q", "-f", mini, "-o", second).exit_code == 0
    assert files_of(first) == files_of(second)


def test_rebuild_replaces_the_previous_site(run: Run, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    (out / "stale.html").write_text("from an older build")
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    assert not (out / "stale.html").exists()
    assert (out / MARKER).is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # no staging left behind


def test_failed_build_leaves_the_previous_site_untouched(run: Run, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    before = files_of(out)
    mini.write_text(mini.read_text().replace("America/New_York", "Mars/Olympus"))
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 1
    assert files_of(out) == before


def test_a_failure_while_writing_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])

    def files() -> Iterator[tuple[str, bytes]]:
        yield "index.html", b"new"
        raise RuntimeError("disk trouble")

    with pytest.raises(RuntimeError):
        write_site(out, files())
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_refuses_to_replace_a_folder_it_did_not_make(run: Run, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    result = run("build", "-f", mini, "-o", out)
    assert result.exit_code == 1
    assert "refusing to replace it" in result.output
    assert (out / "thesis.docx").read_text() == "years of work"


def test_builds_into_an_empty_existing_folder(run: Run, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../b.html"])
def test_writer_keeps_every_file_inside_the_output(tmp_path: Path, name: str) -> None:
    with pytest.raises(WriteError, match="outside the output folder"):
        write_site(tmp_path / "site", [(name, b"x")])
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "escape.html").exists()


def test_writer_refuses_the_same_path_twice(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"same path 'index\.html'"):
        write_site(tmp_path / "site", [("index.html", b"a"), ("index.html", b"b")])


def test_an_output_that_cannot_be_made_is_a_clean_error(run: Run, mini: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("build", "-f", mini, "-o", blocker / "site")
    assert result.exit_code == 1
    assert f"Error: cannot write the site to {blocker / 'site'}: " in result.output
    assert blocker.read_text() == "not a folder"
