"""What was edited between two revisions of the input files, value by value, with the new file's line.

Pure: the data of two `Source`s in, a list of leaf edits out (`phases[3].weeks 2 → 3`).
Lists are compared position by position; items beyond the shorter list were added or removed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from builder.errors import excerpt
from builder.source import KeyPath, Source, dotted

EditKind = Literal["changed", "added", "removed"]


@dataclass(frozen=True, slots=True)
class Edit:
    """One value of a file that is not what it was."""

    file: str
    line: int
    """Where it stands in the new file (for a removed value, its nearest surviving parent)."""
    path: KeyPath
    kind: EditKind
    before: str | None
    """The old value as text, for a value that was not a list or mapping."""
    after: str | None

    @property
    def where(self) -> str:
        return dotted(self.path)


def file_edits(file: str, before: Source | None, after: Source | None) -> list[Edit]:
    """The edits from one version of a file to the next; a file new or gone is one edit."""
    if before is None and after is None:
        return []
    if before is None or after is None:
        return [Edit(file, 1, (), "added" if before is None else "removed", None, None)]
    edits = [
        Edit(file, after.problem(path, "").line, path, kind, old, new)
        for path, kind, old, new in _walk((), before.data, after.data)
    ]
    return sorted(edits, key=lambda edit: edit.line)


def _walk(path: KeyPath, old: Any, new: Any) -> Iterator[tuple[KeyPath, EditKind, str | None, str | None]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old:
            if key in new:
                yield from _walk(path + (key,), old[key], new[key])
            else:
                yield path + (key,), "removed", _shown(old[key]), None
        for key in new:
            if key not in old:
                yield path + (key,), "added", None, _shown(new[key])
        return
    if isinstance(old, list) and isinstance(new, list):
        yield from _walk_list(path, old, new)
        return
    if type(old) is not type(new) or old != new:
        yield path, "changed", _shown(old), _shown(new)


def _walk_list(
    path: KeyPath, old: list[Any], new: list[Any]
) -> Iterator[tuple[KeyPath, EditKind, str | None, str | None]]:
    """Items kept in order are matched, so one item taken out is one edit, not a shift of all after it."""
    if len(old) == len(new):
        for index, (one, other) in enumerate(zip(old, new, strict=True)):
            yield from _walk(path + (index,), one, other)
        return
    matcher = difflib.SequenceMatcher(None, [_key(item) for item in old], [_key(item) for item in new], autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(old_end - old_start, new_end - new_start)
        for offset in range(paired):
            yield from _walk(path + (new_start + offset,), old[old_start + offset], new[new_start + offset])
        for index in range(old_start + paired, old_end):
            yield path + (index,), "removed", _shown(old[index]), None
        for index in range(new_start + paired, new_end):
            yield path + (index,), "added", None, _shown(new[index])


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def _shown(value: Any) -> str | None:
    """A plain value as an edit shows it; None for a list or a mapping."""
    if isinstance(value, dict | list):
        return None
    if isinstance(value, str):
        return json.dumps(excerpt(value), ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return value.isoformat()
    return excerpt(str(value))


def under(edits: list[Edit], prefix: KeyPath) -> list[Edit]:
    """The edits at or below `prefix`."""
    return [edit for edit in edits if edit.path[: len(prefix)] == prefix]
