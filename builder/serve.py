"""`sprintback serve`: a live preview of the site, on this machine.

The site is built into a temporary folder (never the project's output folder, never the
feed ledger), served under the sub-path of `base_url`, and built again when an input
changes: the project file, the programs, the templates, the logs or the ledger. Open pages
reload by themselves after each build. A build that fails shows its problems in the
terminal and on every page, over the last site that built, which stays served.

Only files of the latest good build are served; nothing else on the machine is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import ipaddress
import shutil
import signal
import socket
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType

import click
import watchfiles

from builder import wording
from builder.build import Built, build
from builder.ledger import LEDGER_FILE
from builder.library import Library
from builder.load import SECRET_FILE, SECRET_VARIABLE, project_path

PREVIEW_PREFIX = "/__sprintback/"
"""Addresses of the preview itself, outside any site's sub-path."""
BUILD_PATH = PREVIEW_PREFIX + "build"
"""Answers the number of the latest build: open pages reload when it is not theirs."""
SCRIPT_PATH = PREVIEW_PREFIX + "reload.js"
POLL_MILLISECONDS = 500
STEP_MILLISECONDS = 100
"""Changes this close together are one burst, built once."""

_RELOAD_SCRIPT = f"""\
(() => {{
  const built = document.currentScript.dataset.build;
  const poll = async () => {{
    try {{
      const answer = await fetch("{BUILD_PATH}", {{ cache: "no-store" }});
      if (answer.ok && (await answer.text()) !== built) {{
        location.reload();
        return;
      }}
    }} catch (stopped) {{
      // The preview is stopped or busy: ask again.
    }}
    setTimeout(poll, {POLL_MILLISECONDS});
  }};
  setTimeout(poll, {POLL_MILLISECONDS});
}})();
""".encode()

_BANNER_STYLE = (
    "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;"
    "padding:1em;background:#fff4f4;color:#600;border-bottom:4px solid #b00;font:15px/1.4 system-ui,sans-serif"
)
_LINES_STYLE = "white-space:pre-wrap;margin:.5em 0 0;font:13px/1.4 ui-monospace,monospace"

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}
"""Content types by suffix, our own (the machine's MIME tables are not read); others are served as bytes."""


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows: the latest build's number, the last site that built, the latest problems."""

    number: int
    """Counts every build, good or not: a page reloads when the number is not the one it was served with."""
    folder: Path | None
    """The last site that built; None until one does."""
    sub_path: str
    """Where the site is served: the path of `base_url` (`/rehab/`), else `/`."""
    problems: tuple[str, ...] = ()
    """The latest build's problems as the terminal shows them; none when it built."""


class Preview:
    """The snapshot the server reads while builds replace it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot = Snapshot(0, None, "/")

    def now(self) -> Snapshot:
        with self._lock:
            return self._snapshot

    def built(self, folder: Path, sub_path: str) -> Snapshot:
        """Show the site in `folder`; returns the snapshot it replaced."""
        with self._lock:
            before = self._snapshot
            self._snapshot = Snapshot(before.number + 1, folder, sub_path)
            return before

    def failed(self, problems: tuple[str, ...]) -> None:
        """Keep the last site, with the problems of the build that failed."""
        with self._lock:
            before = self._snapshot
            self._snapshot = Snapshot(before.number + 1, before.folder, before.sub_path, problems)


def sub_path(address: str | None) -> str:
    """The path of `base_url`, where the site is served: `/rehab/`; `/` without one."""
    return urllib.parse.urlsplit(address).path if address else "/"


def site_file(folder: Path, relative: str) -> Path | None:
    """The file a request's path (after the sub-path, still %-encoded) names in the site, if any.

    Only a file inside `folder` is ever answered: `..`, encoded or not, and links that lead out are refused.
    A folder's path answers its `index.html`.
    """
    name = urllib.parse.unquote(relative, errors="strict") if "%" in relative else relative
    parts = name.split("/")
    if any(part in (".", "..") or "\\" in part or "\x00" in part for part in parts):
        return None
    target = folder.joinpath(*[part for part in parts if part])
    if not name or name.endswith("/"):
        target = target / "index.html"
    try:
        real = target.resolve(strict=True)
        inside = real.is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):
        return None
    return real if inside and real.is_file() else None


def site_folder(folder: Path, relative: str) -> bool:
    """Whether the path names a folder of the site without its closing `/` (it is redirected to one)."""
    if not relative or relative.endswith("/"):
        return False
    name = urllib.parse.unquote(relative)
    if any(part in (".", "..") for part in name.split("/")):
        return False
    target = folder / name
    try:
        return target.resolve(strict=True).is_relative_to(folder.resolve(strict=True)) and target.is_dir()
    except (OSError, RuntimeError):
        return False


def with_preview(page: bytes, snapshot: Snapshot) -> bytes:
    """A served HTML page with the reload script, and the latest build's problems over it (not the file on disk)."""
    added = f'<script src="{SCRIPT_PATH}" data-build="{snapshot.number}"></script>'
    if snapshot.problems:
        heading = wording.PREVIEW_ERRORS_HEADING if snapshot.folder is not None else wording.PREVIEW_NO_SITE_HEADING
        lines = html.escape("\n".join(snapshot.problems))
        added = (
            f'<div id="sprintback-preview-problems" role="alert" style="{_BANNER_STYLE}">'
            f'<strong>{html.escape(heading)}</strong><pre style="{_LINES_STYLE}">{lines}</pre></div>' + added
        )
    at = page.lower().rfind(b"</body>")
    data = added.encode()
    return page[:at] + data + page[at:] if at >= 0 else page + data


def not_found_page(snapshot: Snapshot) -> bytes:
    """The site's own `404.html` if it has one, else a short page of the preview's."""
    if snapshot.folder is not None:
        page = site_file(snapshot.folder, "404.html")
        if page is not None:
            return page.read_bytes()
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(wording.NOT_FOUND_TITLE)}</title>\n</head>\n<body>\n"
        f"<h1>{html.escape(wording.NOT_FOUND_TITLE)}</h1>\n<p>{html.escape(wording.PREVIEW_NOT_FOUND_TEXT)}</p>\n"
        f'<p><a href="{html.escape(snapshot.sub_path)}">{html.escape(wording.HOME_LINK)}</a></p>\n'
        "</body>\n</html>\n"
    ).encode()


class PreviewServer(ThreadingHTTPServer):
    """Serves the preview's latest good site under its sub-path, one thread a request."""

    daemon_threads = True

    def __init__(self, host: str, port: int, preview: Preview) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.preview = preview
        self.host = host
        super().__init__((host, port), _Handler)

    def address(self, snapshot: Snapshot) -> str:
        """Where the site is served, as the host was given: `http://127.0.0.1:8000/rehab/`."""
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.server_address[1]}{snapshot.sub_path}"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not printed: the terminal shows builds and their problems."""

    def _answer(self, send_body: bool) -> None:
        snapshot = self.server.preview.now()
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        try:
            if path == BUILD_PATH:
                self._send(HTTPStatus.OK, str(snapshot.number).encode(), TYPES[".txt"], send_body)
            elif path == SCRIPT_PATH:
                self._send(HTTPStatus.OK, _RELOAD_SCRIPT, TYPES[".js"], send_body)
            elif path != snapshot.sub_path and path in ("/", snapshot.sub_path.rstrip("/")):
                self._redirect(snapshot.sub_path)
            elif snapshot.folder is not None and path.startswith(snapshot.sub_path):
                self._site(snapshot, snapshot.folder, path[len(snapshot.sub_path) :], split.query, send_body)
            else:
                self._not_found(snapshot, send_body)
        except ConnectionError:
            pass  # the browser went away (a reload while a page was sent)

    def _site(self, snapshot: Snapshot, folder: Path, relative: str, query: str, send_body: bool) -> None:
        try:
            file = site_file(folder, relative)
        except UnicodeDecodeError:
            file = None
        if file is None:
            if site_folder(folder, relative):
                self._redirect(snapshot.sub_path + relative + "/" + (f"?{query}" if query else ""))
            else:
                self._not_found(snapshot, send_body)
            return
        try:
            data = file.read_bytes()
        except OSError:  # a build replaced the site meanwhile
            self._not_found(snapshot, send_body)
            return
        kind = TYPES.get(file.suffix.lower(), "application/octet-stream")
        if file.suffix.lower() == ".html":
            data = with_preview(data, snapshot)
        self._send(HTTPStatus.OK, data, kind, send_body)

    def _not_found(self, snapshot: Snapshot, send_body: bool) -> None:
        self._send(HTTPStatus.NOT_FOUND, with_preview(not_found_page(snapshot), snapshot), TYPES[".html"], send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _send(self, status: HTTPStatus, data: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(data)


_READ = {"programs": (".yaml", ".yml", ".md"), "templates": None, "logs": (".yaml", ".yml")}
"""The files of each input folder that the build reads, by suffix (the templates folder: all)."""


@dataclass(frozen=True)
class Inputs:
    """What the build reads, to watch: the project file and ledger, and the programs, templates and logs folders."""

    root: Path
    files: frozenset[Path]
    folders: tuple[tuple[Path, tuple[str, ...] | None], ...]
    """Each input folder, with the suffixes of the files the build reads in it (None: all of them)."""

    @classmethod
    def of(cls, project_file: Path, library: Library | None) -> Inputs:
        """The inputs of the last build that read the project file; the default folders before one did."""
        root = project_file.resolve().parent
        site = library.project.site if library is not None else None
        settings = {
            "programs": site.programs if site else "programs",
            "templates": site.templates if site else "templates",
            "logs": site.logs if site else "log",
        }
        folders = []
        for key, setting in settings.items():
            try:
                folders.append((project_path(root, setting).resolve(), _READ[key]))
            except (OSError, RuntimeError):
                continue  # a folder the build cannot find either: it says so
        return cls(root, frozenset({project_file.resolve(), root / LEDGER_FILE}), tuple(folders))

    def watched(self) -> list[Path]:
        """The paths to watch: the project's folder, and the input folders outside it that exist."""
        found = [self.root]
        for folder, _ in self.folders:
            if folder.is_dir() and not any(folder.is_relative_to(path) for path in found):
                found.append(folder)
        return found

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        """Whether a change at `path` can change the site: a file the build reads, not an editor's hidden,
        backup or temporary file."""
        changed = Path(path)
        if changed in self.files:
            return True
        for folder, suffixes in self.folders:
            if changed.is_relative_to(folder):
                parts = changed.relative_to(folder).parts
                hidden = any(part.startswith(".") or part.endswith("~") for part in parts)
                if not hidden and (suffixes is None or changed.suffix in suffixes):
                    return True
        return False

    def shown(self) -> list[str]:
        """The inputs as the terminal names them: relative to the project's folder when inside it."""
        names = sorted(file.name for file in self.files)
        return names + [self.name(folder) + "/" for folder, _ in self.folders]

    def name(self, path: Path) -> str:
        """A file's name in the terminal: relative to the project's folder when inside it."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


class _Stop(BaseException):
    """SIGTERM or SIGHUP: stop the preview as Ctrl-C does."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signum)


class Session:
    """Builds of one preview: each into a new folder of a temporary workspace, the last good one served."""

    def __init__(self, project_file: Path, environment: Mapping[str, str], today: Callable[[], dt.date | None]):
        self.project_file = project_file
        self.environment = dict(environment)
        self.today = today
        self.preview = Preview()
        self.workspace = Path(tempfile.mkdtemp(prefix="sprintback-preview-"))
        self.count = 0
        self.library: Library | None = None

    def build(self, changed: list[str]) -> None:
        """Build the site again; print what was built, or the problems, which the pages show too."""
        self.count += 1
        folder = self.workspace / f"site-{self.count}"
        began = time.perf_counter()
        try:
            built = build(self.project_file, self.environment, output=folder, today=self.today(), preview=True)
        except click.ClickException as error:
            shown = io.StringIO()
            error.show(file=shown)
            problems = tuple(shown.getvalue().splitlines())
            for line in problems:
                click.echo(line, err=True)
            kept = self.preview.now().folder is not None
            click.echo(wording.PREVIEW_KEPT if kept else wording.PREVIEW_NOTHING_YET, err=True)
            self.preview.failed(problems)
            return
        self._keep_key(built)
        self.library = built.gathered.library
        seconds = time.perf_counter() - began
        click.echo(wording.preview_built_text(built.files, seconds, changed))
        before = self.preview.built(folder, sub_path(self.library.project.site.address))
        if before.folder is not None:
            shutil.rmtree(before.folder, ignore_errors=True)

    def _keep_key(self, built: Built) -> None:
        """A key the preview made lasts until it stops (it is never saved): private folders stay put meanwhile."""
        if built.secret.made:
            self.environment[SECRET_VARIABLE] = built.secret.key.decode()
            click.echo(wording.preview_key_text(SECRET_FILE), err=True)

    def close(self) -> None:
        shutil.rmtree(self.workspace, ignore_errors=True)


def serve(
    project_file: Path,
    environment: Mapping[str, str],
    host: str,
    port: int,
    today: Callable[[], dt.date | None],
    stop: threading.Event | None = None,
) -> None:
    """Build, serve and rebuild on changes until Ctrl-C (KeyboardInterrupt), SIGTERM or `stop`."""
    session = Session(project_file, environment, today)
    try:
        try:
            server = PreviewServer(host, port, session.preview)
        except OSError as error:
            raise CannotListen(wording.preview_cannot_listen_text(host, port, error.strerror or str(error))) from None
        with server, _stopping_signals():
            session.build([])
            shown = server.address(session.preview.now())
            click.echo(wording.preview_serving_text(_title(session), shown))
            if not _loopback(host):
                click.echo(wording.preview_network_text(host), err=True)
            thread = threading.Thread(target=server.serve_forever, name="sprintback-preview", daemon=True)
            thread.start()
            try:
                for changed in _changes(project_file, session, stop):
                    session.build(changed)
                    address = server.address(session.preview.now())
                    if address != shown:
                        shown = address
                        click.echo(wording.preview_moved_text(address))
            finally:
                server.shutdown()
    finally:
        session.close()


class CannotListen(Exception):
    """The preview could not listen where it was asked to (the port is taken, the host is not this machine's)."""


def _loopback(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _title(session: Session) -> str:
    return session.library.project.site.title if session.library is not None else session.project_file.name


def _changes(project_file: Path, session: Session, stop: threading.Event | None) -> Iterator[list[str]]:
    """Each burst of changes to the inputs, as the names of the changed files; watching again when the
    project file moves the input folders."""
    inputs = Inputs.of(project_file, session.library)
    click.echo(wording.preview_watching_text(inputs.shown()))
    while stop is None or not stop.is_set():
        for changes in watchfiles.watch(
            *inputs.watched(),
            watch_filter=inputs.relevant,
            step=STEP_MILLISECONDS,
            stop_event=stop,
            raise_interrupt=True,
        ):
            yield sorted({inputs.name(Path(path)) for _, path in changes})
            now = Inputs.of(project_file, session.library)
            if now != inputs:
                inputs = now
                click.echo(wording.preview_watching_text(inputs.shown()))
                break
        else:
            return


@contextlib.contextmanager
def _stopping_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the preview cleanly, as Ctrl-C does (only the main thread may catch signals)."""
    previous: dict[int, signal.Handlers | Callable[[int, FrameType | None], object] | int | None] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) != signal.SIG_IGN:
                previous[signum] = signal.signal(signum, _stop)
    try:
        yield
    except _Stop:
        pass
    finally:
        for caught, handler in previous.items():
            signal.signal(caught, handler)
