"""What the browser tests share: Debian's Chromium, and a server that publishes a site under a sub-path."""

from __future__ import annotations

import http.server
import os
import shutil

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
    """Serves the site only under SUB_PATH, like a host publishing it at https://club.example/rehab/."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return "/nonexistent"
        return super().translate_path("/" + path[len(SUB_PATH) :])

    def log_message(self, format: str, *args: object) -> None:
        pass
