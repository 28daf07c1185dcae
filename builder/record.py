"""Adding a record to an athlete's log, leaving every byte already written as it was.

The log is the physio's file: its comments, order and layout are theirs. A new record
is appended as text after the last item of the `records:` list, indented like the
items before it; the new text is then read back to prove it holds the old records,
unchanged, plus the new one. A file whose layout does not allow that is refused,
never rewritten.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder import wording
from builder.library import Library
from builder.load import project_path
from builder.source import read_yaml

RecordData = dict[str, Any]
"""A record as it is written to the log: its keys in the order the format documents them."""

_ITEM_INDENT = 2
"""How far the items of a new `records:` list are indented."""


class CannotAppend(Exception):
    """The log's layout leaves no safe place to append a record (the message says why)."""


def log_path(library: Library, athlete_id: str) -> Path:
    """The athlete's log: the file the build read, else `<site.logs>/<athlete id>.yaml`."""
    if athlete_id in library.log_files:
        return library.root / library.log_files[athlete_id]
    return project_path(library.root, library.project.site.logs) / f"{athlete_id}.yaml"


def check_in_record(
    day: dt.date, check_in: str, result: str, values: dict[str, str], by: str | None, note: str | None
) -> RecordData:
    """A check-in result, as written to the log."""
    return _without_empty(
        {"date": day, "check_in": check_in, "result": result, "values": values, "by": by, "note": note}
    )


def pain_record(
    day: dt.date, pain: int, when: str, session: str | None, drill: str | None, rule: str | None, note: str | None
) -> RecordData:
    """A pain report, as written to the log."""
    fields = {"pain": pain, "when": when, "session": session, "drill": drill, "rule": rule, "note": note}
    return _without_empty({"date": day, **fields})


def decision_record(day: dt.date, decision: str, days: int | None, by: str | None, note: str | None) -> RecordData:
    """A clinician's decision, as written to the log."""
    return _without_empty({"date": day, "decision": decision, "days": days, "by": by, "note": note})


def new_log(name: str) -> str:
    """The text of a log with no records yet."""
    return f"{wording.log_header(name)}\nrecords:\n"


def append_record(text: str, record: RecordData, file: str) -> str:
    """`text` with `record` added at the end of its `records:` list; CannotAppend if that is not safe."""
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise CannotAppend(wording.cannot_append_text(file, wording.LOG_UNREADABLE)) from None
    opening = "" if root is not None else "records:" + newline  # an empty file, or comments only
    indent = _item_indent(root) if root is not None else _ITEM_INDENT
    if indent is None:
        raise CannotAppend(wording.cannot_append_text(file, wording.LOG_NOT_A_LIST))
    if text and not text.endswith("\n"):
        opening = newline + opening
    item = _item_text(record, indent, newline)
    appended = text + opening + item
    if not _reads_back(text, appended, item, record, file):
        raise CannotAppend(wording.cannot_append_text(file, wording.LOG_READ_BACK))
    return appended


@dataclass(frozen=True)
class Written:
    """A log as it was before a write, to put back if the new record is refused."""

    path: Path
    before: bytes | None
    """The file's bytes, or None if there was no file."""
    folders: tuple[Path, ...]
    """Folders the write made, deepest first."""

    def undo(self) -> None:
        """Put the file back byte for byte (or remove it, and the folders made for it)."""
        if self.before is not None:
            _replace(self.path, self.before)
            return
        self.path.unlink(missing_ok=True)
        for folder in self.folders:
            folder.rmdir()


def write_log(path: Path, text: str) -> Written:
    """Write a log's new text (atomically: a crash leaves the old file or the new one)."""
    before = path.read_bytes() if path.exists() else None
    folders = []
    folder = path.parent
    while not folder.exists():
        folders.append(folder)
        folder = folder.parent
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, text.encode("utf-8"))
    return Written(path, before, tuple(folders))


def _without_empty(record: RecordData) -> RecordData:
    return {key: value for key, value in record.items() if value is not None and value != {}}


def _item_indent(root: yaml.Node) -> int | None:
    """The column of the `-` of the `records:` items, if `records:` ends the file as a block list."""
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        return None
    key, value = root.value[-1]
    if not isinstance(key, yaml.ScalarNode) or key.value != "records" or key.start_mark.column != 0:
        return None
    if isinstance(value, yaml.SequenceNode) and not value.flow_style:
        return int(value.start_mark.column)
    if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null" and value.value == "":
        return _ITEM_INDENT  # `records:` with nothing under it yet
    return None


def _item_text(record: RecordData, indent: int, newline: str) -> str:
    """The record as one item of a block list, each line indented by `indent`."""
    dumped = yaml.safe_dump([record], sort_keys=False, allow_unicode=True, default_flow_style=False, width=1 << 16)
    return "".join((" " * indent + line if line else line) + newline for line in dumped.splitlines())


def _reads_back(text: str, appended: str, item: str, record: RecordData, file: str) -> bool:
    """Whether the new text holds the old data with exactly `record` added to its records."""
    old, _ = read_yaml(text, file)
    new, _ = read_yaml(appended, file)
    alone, _ = read_yaml(item, file)
    if old is None or new is None or alone is None or alone.data != [record]:
        return False
    expected = dict(old.data) if isinstance(old.data, dict) else {}
    expected["records"] = [*(expected.get("records") or []), record]
    return bool(new.data == expected)


def _replace(path: Path, data: bytes) -> None:
    if not path.exists():
        path.write_bytes(data)
        return
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(data)
    shutil.copymode(path, handle.name)
    os.replace(handle.name, path)
