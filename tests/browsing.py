"""What the browser tests share: Debian's Chromium, and a server that publishes a site under a sub-path or at
the root."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SUB_PATH = "/rehab/"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    found = os.environ.get("SPRINTBACK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: tests/run installs Debian's chromium package")
    pytest.skip("no Chromium on this machine (tests/run installs it as root)")


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under its sub-path, like a host publishing it at https://club.example/rehab/."""

    sub_path = SUB_PATH

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.sub_path):
            return "/nonexistent"
        return super().translate_path("/" + path[len(self.sub_path) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


class RootHandler(SubPathHandler):
    """Serves the site at the host's root, like a host publishing it at https://club.example/."""

    sub_path = "/"


@contextlib.contextmanager
def serve_site(folder: Path, *, at_root: bool = False) -> Iterator[str]:
    """Serve a built site on a free loopback port under SUB_PATH (or at "/" with `at_root`); yields the site's
    address."""
    handler = functools.partial(RootHandler if at_root else SubPathHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{RootHandler.sub_path if at_root else SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()
