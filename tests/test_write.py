"""Writing: atomic, byte-identical, and never clearing a folder Sprintback did not make."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.write import _IN_FLIGHT, MARKER, STAGING, WriteError, write_site
from tests.conftest import Run, files_of


def test_two_builds_of_the_same_inputs_are_byte_identical(run: Run, mini: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run("build", "-q", "-f", mini, "-o", first).exit_code == 0
    assert run("build", "-q", "-f", mini, "-o", second).exit_code == 0
    assert files_of(first) == files_of(second)


def test_rebuild_replaces_the_previous_site(run: Run, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("stale.html", b"from an older build")])
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    assert not (out / "stale.html").exists()
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "site"]  # no staging left behind


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


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../b.html", "", "."])
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


def beside(folder: Path) -> list[str]:
    """What sits beside a site: only the site itself, once a build is over."""
    return sorted(p.name for p in folder.parent.iterdir())


def refuse_the_swap(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the disk refuse renaming the finished staging folder onto the output; return the refusals."""
    real_rename = os.rename
    refused: list[str] = []

    def rename(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(source).parent.name == STAGING and Path(source).name.startswith("site.new-"):
            refused.append(Path(source).name)
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(source))
        real_rename(source, target)

    monkeypatch.setattr("builder.write.os.rename", rename)
    return refused


def test_a_refused_swap_puts_the_previous_site_back(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"the previous site")])  # so the new site differs from it
    before = files_of(out)
    refused = refuse_the_swap(monkeypatch)
    result = run("build", "-q", "-f", mini, "-o", out)
    assert refused  # the swap was tried, and refused
    assert result.exit_code == 1
    assert f"Error: cannot write the site to {out}: Permission denied; the previous site is untouched" in result.output
    assert files_of(out) == before
    assert beside(out) == ["mini", "site"]  # neither the new site nor the staging folder is left


def test_a_refused_swap_leaves_no_old_folder_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])
    refuse_the_swap(monkeypatch)
    with pytest.raises(WriteError, match="the previous site is untouched"):
        write_site(out, [("index.html", b"new")])
    assert beside(out) == ["site"]


def test_a_refused_first_swap_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    refuse_the_swap(monkeypatch)
    with pytest.raises(WriteError, match="Permission denied; the previous site is untouched"):
        write_site(out, [("index.html", b"new")])
    assert list(tmp_path.iterdir()) == []


def test_the_built_site_is_readable_by_others(run: Run, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    previous = os.umask(0o022)
    try:
        assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # not mkdtemp's 0o700: a web server must read it
    assert stat.S_IMODE((out / "index.html").stat().st_mode) & stat.S_IROTH
    for path in out.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & stat.S_IROTH, path
        if path.is_dir():
            assert mode & stat.S_IXOTH, path


def test_a_file_the_disk_refuses_is_a_clean_error(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old"), ("a/b.html", b"old b")])
    before = files_of(out)
    with pytest.raises(WriteError, match=r"cannot write the site to .*; the previous site is untouched"):
        write_site(out, [("a", b"x"), ("a/b.html", b"y")])  # "a" is a file, so "a/" cannot be a folder
    assert files_of(out) == before
    assert beside(out) == ["site"]


def test_a_file_refused_early_in_a_large_build_still_fails_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])
    files = [("a", b"x"), ("a/b.html", b"y")] + [(f"page-{i}.html", b"z") for i in range(4 * _IN_FLIGHT)]
    with pytest.raises(WriteError, match="the previous site is untouched"):
        write_site(out, files)
    assert files_of(out) == {"index.html": b"old", MARKER: (out / MARKER).read_bytes()}
    assert beside(out) == ["site"]


def test_a_file_refused_at_the_very_end_still_fails_the_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])
    big = b"x" * (16 << 20)  # keeps the disk busy, so the last file is still in flight when rendering ends
    with pytest.raises(WriteError, match="the previous site is untouched"):
        write_site(out, [("a", b"x"), ("big.bin", big), ("a/b.html", b"y")])
    assert (out / "index.html").read_bytes() == b"old"
    assert beside(out) == ["site"]


def test_a_successful_rebuild_removes_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("old.html", b"old")])
    write_site(out, [("new.html", b"new")])
    assert sorted(files_of(out)) == [MARKER, "new.html"]
    assert beside(out) == ["site"]  # no .site.old-* folder holding the previous site


def test_every_site_carries_the_marker_that_lets_the_next_build_replace_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert write_site(out, [("index.html", b"one")]) == 1  # the marker is not counted as a page
    assert "Sprintback" in (out / MARKER).read_text()
    assert write_site(out, [("index.html", b"two")]) == 1
    assert (out / "index.html").read_bytes() == b"two"
    assert (out / MARKER).is_file()


def test_refuses_to_replace_a_file_at_the_output_path(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.write_text("my notes")
    with pytest.raises(WriteError, match=r"is a file, not a folder; refusing to replace it"):
        write_site(out, [("index.html", b"x")])
    assert out.read_text() == "my notes"
    assert beside(out) == ["site"]


def test_builds_into_an_output_whose_parent_folders_do_not_exist_yet(tmp_path: Path) -> None:
    out = tmp_path / "deploy" / "www" / "site"
    assert write_site(out, [("index.html", b"x")]) == 1
    assert (out / "index.html").read_bytes() == b"x"


def test_a_large_build_writes_every_file_with_its_bytes(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {f"section-{i % 7}/part-{i % 3}/page-{i}.html": f"page {i}".encode() * (i + 1) for i in range(200)}
    assert write_site(out, files.items()) == 200
    assert files_of(out) == {**files, MARKER: (out / MARKER).read_bytes()}


def test_rendering_never_runs_far_ahead_of_the_disk(tmp_path: Path) -> None:
    out = tmp_path / "site"
    page = b"x" * (1 << 20)  # one object, yielded many times: the memory held is the writer's alone

    def files() -> Iterator[tuple[str, bytes]]:
        for i in range(3 * _IN_FLIGHT):
            staging = list((tmp_path / STAGING).glob("site.new-*"))
            assert len(staging) == 1
            for done in range(i - _IN_FLIGHT):  # every file rendered more than _IN_FLIGHT files ago
                assert (staging[0] / f"{done}.bin").stat().st_size == len(page), done
            yield f"{i}.bin", page

    assert write_site(out, files()) == 3 * _IN_FLIGHT


def test_the_old_site_stays_whole_while_the_new_one_is_written_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")])
    before = files_of(out)

    def files() -> Iterator[tuple[str, bytes]]:
        yield "index.html", b"new"
        yield "about.html", b"new"
        assert files_of(out) == before  # visitors still get the whole previous site
        assert [p.name for p in tmp_path.iterdir() if p.name != "site"] == [STAGING]  # which git ignores
        ignore, lock, staging = sorted(p.name for p in (tmp_path / STAGING).iterdir())
        assert (ignore, lock, staging.startswith("site.new-")) == (".gitignore", "site.lock", True)
        yield "last.html", b"new"

    write_site(out, files())
    assert sorted(files_of(out)) == [MARKER, "about.html", "index.html", "last.html"]


def test_an_output_reached_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "releases" / "site"
    write_site(real, [("index.html", b"old")])
    link = tmp_path / "www"
    link.symlink_to(real, target_is_directory=True)
    write_site(link, [("index.html", b"new")])
    assert link.is_symlink()  # the web server's path still points where the admin set it
    assert (real / "index.html").read_bytes() == b"new"


def test_staging_and_the_old_site_stay_beside_the_output(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Renames only work within one filesystem: nothing may be parked in the system's temporary folder.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-temporary-folder"))
    out = tmp_path / "site"
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    assert run("build", "-q", "-f", mini, "-o", out).exit_code == 0
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "site"]
