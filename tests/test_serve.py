"""`sprintback serve`: the real command in a subprocess, its pages fetched over HTTP and opened in Chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from tests.browsing import CHROMIUM_FLAGS, chromium_path
from tests.conftest import REPO, Run, athlete_dir, edit, files_of

DEADLINE = 20.0
"""Seconds a test waits for the preview to show an edit before it fails (it takes well under one)."""
TITLE = "Return to sprint after an adductor strain"


@dataclass
class Served:
    """A running `sprintback serve` and what it printed so far."""

    process: subprocess.Popen[str]
    workspace: Path
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    url: str = ""
    origin: str = ""
    readers: list[threading.Thread] = field(default_factory=list)

    def output(self) -> str:
        return "".join(self.stdout) + "".join(self.stderr)

    def stop(self) -> int:
        """Ctrl-C, as a person stops it; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=DEADLINE)
        for reader in self.readers:
            reader.join(timeout=DEADLINE)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return code


def _read(stream: IO[str], into: list[str]) -> None:
    for line in stream:
        into.append(line)


def until(check: Callable[[], object], what: str) -> None:
    """Poll `check` until it is true, failing after DEADLINE seconds."""
    end = time.monotonic() + DEADLINE
    while not check():
        if time.monotonic() > end:
            pytest.fail(f"the preview did not {what} within {DEADLINE} s")
        time.sleep(0.05)


def start(project: Path, tmp_path: Path, *arguments: str, environment: dict[str, str] | None = None) -> Served:
    workspace = tmp_path / "tmp"
    workspace.mkdir()
    env = {**os.environ, **(environment or {}), "TMPDIR": str(workspace), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "-f", str(project), "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={key: value for key, value in env.items() if value},
        cwd=tmp_path,
    )
    served = Served(process, workspace)
    for stream, into in ((process.stdout, served.stdout), (process.stderr, served.stderr)):
        served.readers.append(threading.Thread(target=_read, args=(stream, into), daemon=True))
        served.readers[-1].start()

    def address() -> str | None:
        found = re.search(r"at (http://\S+/) \(Ctrl-C", "".join(served.stdout))
        return found.group(1) if found else None

    until(lambda: address() or process.poll() is not None, "start")
    url = address()
    assert url is not None, served.output()
    served.url = url
    served.origin = url[: url.index("/", len("http://"))]
    return served


@pytest.fixture
def served(mini: Path, tmp_path: Path) -> Iterator[Served]:
    running = start(mini, tmp_path)
    yield running
    running.stop()


@dataclass(frozen=True)
class Answer:
    status: int
    kind: str
    text: str
    url: str


def fetch(url: str) -> Answer:
    try:
        with urllib.request.urlopen(url, timeout=DEADLINE) as response:
            return Answer(response.status, response.headers["Content-Type"], response.read().decode(), response.url)
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers["Content-Type"], error.read().decode(), url)


def build_number(served: Served) -> int:
    return int(fetch(f"{served.origin}/__sprintback/build").text)


def test_the_site_is_served_under_the_sub_path_of_base_url(served: Served, mini: Path) -> None:
    assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/rehab/")
    home = fetch(served.url)
    assert home.status == 200 and home.kind == "text/html; charset=utf-8"
    assert TITLE in home.text and "does not replace, your clinician" in home.text
    assert fetch(served.origin + "/").url == served.url  # the root leads to the site
    assert fetch(served.url + "programs/adductor").url == served.url + "programs/adductor/"
    private = athlete_dir(mini, "ana")
    page = fetch(served.url + private)
    assert page.status == 200 and "Ana Example" in page.text
    feed = fetch(served.url + private + "calendar.ics")
    assert feed.status == 200 and feed.kind == "text/calendar; charset=utf-8"
    assert feed.text.startswith("BEGIN:VCALENDAR")
    assert "<script" not in feed.text  # only HTML gets the reload script
    assert fetch(served.url + "static/style.css").kind == "text/css; charset=utf-8"
    assert fetch(served.url + "static/favicon.svg").kind == "image/svg+xml"
    assert fetch(served.url + "static/copy.js").kind == "text/javascript; charset=utf-8"


def test_nothing_outside_the_built_site_is_served(served: Served, mini: Path) -> None:
    missing = fetch(served.url + "no-such-page/")
    assert missing.status == 404 and "Page not found" in missing.text
    assert fetch(served.origin + "/sprintback.yaml").status == 404  # outside the sub-path
    secret = "this-text-is-outside-the-site"
    (served.workspace / "outside.txt").write_text(secret)  # beside the preview's own folder
    (next(served.workspace.glob("sprintback-preview-*")) / "outside.txt").write_text(secret)  # beside the site
    for path in (
        "../outside.txt",
        "../../outside.txt",
        "../../../../../../etc/passwd",
        "%2e%2e/outside.txt",
        "%2E%2E%2F%2e%2e%2Foutside.txt",
        "..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "static/%2e%2e/%2e%2e/outside.txt",
        "..%5coutside.txt",
        "%2fetc%2fpasswd",
    ):
        answer = fetch(served.url + path)
        assert answer.status == 404, path
        assert secret not in answer.text and "root:" not in answer.text, path


def test_an_edit_shows_and_a_broken_one_keeps_the_last_good_site_with_its_problems(
    served: Served, mini: Path, tmp_path: Path
) -> None:
    program = mini.parent / "programs" / "adductor.yaml"
    ledger = (mini.parent / "feeds.lock").read_bytes()
    good = program.read_text()
    edit(program, f"title: {TITLE}", "title: Back to sprinting after a groin strain")
    until(lambda: "Back to sprinting after a groin strain" in fetch(served.url).text, "show the edit")

    edited = program.read_text()
    program.write_text(edited + "phases: [unclosed\n")
    until(lambda: "sprintback-preview-problems" in fetch(served.url).text, "show the problems")
    page = fetch(served.url)
    assert page.status == 200
    assert "does not build" in page.text and "programs/adductor.yaml:" in page.text
    assert "Back to sprinting after a groin strain" in page.text  # the last site that built, still served
    until(lambda: "error: programs/adductor.yaml:" in "".join(served.stderr), "print the problems")
    assert "keeps showing the last site" in "".join(served.stderr)
    missing = fetch(served.url + "no-such-page/")
    assert missing.status == 404 and "programs/adductor.yaml:" in missing.text

    program.write_text(good)
    until(lambda: "sprintback-preview-problems" not in fetch(served.url).text, "take the problems away")
    assert TITLE in fetch(served.url).text
    assert (mini.parent / "feeds.lock").read_bytes() == ledger
    assert not (mini.parent / "site").exists()
    assert served.stop() == 0, "".join(served.stderr)
    assert "Traceback" not in served.output() and "Stopped the preview." in served.output()
    assert not any(served.workspace.iterdir())  # the preview's temporary folder is gone


def test_a_burst_of_changes_is_built_once(served: Served, mini: Path) -> None:
    before = build_number(served)
    drills = mini.parent / "programs" / "drills"
    for name in ("strides", "leg-swings", "copenhagen"):
        with (drills / f"{name}.md").open("a") as file:
            file.write("\nBurst edit.\n")
    until(lambda: build_number(served) > before, "build the burst")
    edit(mini, "title: Mini Rehab Club", "title: Mini Rehab Club Two")
    until(lambda: "Mini Rehab Club Two" in fetch(served.url).text, "show the last edit")
    assert build_number(served) == before + 2


def test_the_preview_never_writes_the_site_the_ledger_or_a_key(mini: Path, tmp_path: Path, run: Run) -> None:
    """Without a key, the preview keeps one of its own for the session: nothing in the project is written."""
    assert run("build", "-q", "-f", mini).exit_code == 0
    project = mini.parent
    assert not (project / ".sprintback-secret").exists()  # the tests' key comes from SPRINTBACK_SECRET
    before = files_of(project)
    served = start(mini, tmp_path, environment={"SPRINTBACK_SECRET": ""})
    try:
        assert "uses one of its own until it stops" in "".join(served.stderr)
        private = sorted(path.name for path in served.workspace.glob("sprintback-preview-*/site-1/athletes/*/"))
        assert len(private) == 2
        edit(project / "programs" / "adductor.yaml", f"title: {TITLE}", "title: Edited")
        until(lambda: "Edited" in fetch(served.url).text, "show the edit")
        for folder in private:  # the session's key stays put from build to build: so do open private pages
            assert fetch(f"{served.url}athletes/{folder}/").status == 200
    finally:
        assert served.stop() == 0, "".join(served.stderr)
    edit(project / "programs" / "adductor.yaml", "title: Edited", f"title: {TITLE}")
    assert files_of(project) == before
    assert not any(served.workspace.iterdir())


def test_a_taken_port_is_refused_with_a_clear_error(mini: Path, run: Run) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "-f", mini, "--port", str(port))
    assert result.exit_code == 1
    assert f"error: cannot serve the preview on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_a_network_host_is_warned_about(mini: Path, tmp_path: Path) -> None:
    served = start(mini, tmp_path, "--host", "0.0.0.0")
    try:
        assert "anyone on this network can open it" in "".join(served.stderr)
    finally:
        assert served.stop() == 0, "".join(served.stderr)


def test_an_open_page_reloads_after_an_edit(served: Served, mini: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    requests: list[str] = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(served.url + "programs/adductor/")
            page.evaluate("window.stillTheSamePage = true")
            edit(mini.parent / "programs" / "adductor.yaml", f"title: {TITLE}", "title: Reloaded by itself")
            page.wait_for_function("document.body.innerText.includes('Reloaded by itself')", timeout=DEADLINE * 1000)
            assert page.evaluate("window.stillTheSamePage") is None  # a reload, not a script's edit
            assert all(url.startswith(served.origin + "/") for url in requests)
        finally:
            browser.close()
