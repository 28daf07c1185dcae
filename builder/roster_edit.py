"""Raising a link key in the project file, leaving every other byte of it as it was.

The project file is the coach's: its comments, order and layout are theirs. Like a new
record in a log (record.py), a link key is raised by editing the text: the number is
replaced where it stands, or a `link_key: 1` line is added under the athlete, indented
like the lines beside it. The new text is read back to prove that exactly those values
changed; a file whose layout does not allow that is refused, never rewritten.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

import yaml

from builder import wording
from builder.source import read_yaml

LINK_KEY = "link_key"
STAFF_LINK_KEY = "staff_link_key"
OLD_LINK_KEYS = "old_link_keys"
HIGHEST_KEY = 1000
"""The highest link key the format takes (models.py: Athlete.link_key, Site.staff_link_key)."""
_WHOLE = re.compile(r"[0-9]+")


class CannotEdit(Exception):
    """The project file's layout leaves no safe way to raise a key (the message says why)."""


@dataclass(frozen=True)
class Raised:
    """A key raised by one: where it stands (`athletes.ana.link_key`), and its old and new value."""

    where: str
    old: int
    new: int


def athlete_key(athlete_id: str) -> tuple[tuple[str, ...], str]:
    """Where an athlete's link key stands: the mapping's path, and the key's name."""
    return ("athletes", athlete_id), LINK_KEY


def staff_key() -> tuple[tuple[str, ...], str]:
    """Where the staff page's link key stands."""
    return ("site",), STAFF_LINK_KEY


def raise_keys(
    text: str, keys: list[tuple[tuple[str, ...], str]], file: str, *, keep_old: bool = False
) -> tuple[str, list[Raised]]:
    """`text` with each key raised by one (added as 1 where missing); CannotEdit if that is not safe.

    With `keep_old`, each retired key is also added to the `old_link_keys` beside it (its address
    then serves one event saying the calendar has moved, until the coach deletes the key)."""
    mark = codecs.BOM_UTF8.decode() if text.startswith(codecs.BOM_UTF8.decode()) else ""
    body = text[len(mark) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    raised: list[Raised] = []
    # One key at a time, each on the text the one before left: positions are found afresh.
    for path, key in keys:
        body, one = _raise_key(body, path, key, newline, file)
        raised.append(one)
        if keep_old:
            body = _keep_old(body, path, one.old, newline, file)
    if not _reads_back(text[len(mark) :], body, keys, raised, file, keep_old):
        raise CannotEdit(wording.cannot_rotate_text(file, wording.ROSTER_READ_BACK.format(where=_names(raised))))
    return mark + body, raised


def _raise_key(text: str, path: tuple[str, ...], key: str, newline: str, file: str) -> tuple[str, Raised]:
    where = ".".join((*path, key))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise CannotEdit(wording.cannot_rotate_text(file, wording.ROSTER_UNREADABLE)) from None
    node = root
    for name in path:
        node = _block_value(node, name)
        if node is None:
            not_block = wording.ROSTER_NOT_BLOCK.format(where=".".join(path))
            raise CannotEdit(wording.cannot_rotate_text(file, not_block))
    assert isinstance(node, yaml.MappingNode)
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            if not (isinstance(value, yaml.ScalarNode) and value.style is None and _WHOLE.fullmatch(value.value)):
                raise CannotEdit(wording.cannot_rotate_text(file, wording.ROSTER_NOT_WHOLE.format(where=where)))
            old = int(value.value)
            if old >= HIGHEST_KEY:
                raise CannotEdit(wording.cannot_rotate_text(file, wording.key_at_limit_text(where, HIGHEST_KEY)))
            start, end = value.start_mark.index, value.end_mark.index
            return text[:start] + str(old + 1) + text[end:], Raised(where, old, old + 1)
    # No key yet: a new line after the mapping's last value, indented like its keys.
    first_key, _ = node.value[0]
    last = _last_written(node)
    end = last.end_mark.index
    if last.end_mark.column != 0:  # the value ends inside a line: the new line goes after that line
        line_end = text.find("\n", end)
        end = len(text) if line_end < 0 else line_end + 1
    line = " " * first_key.start_mark.column + f"{key}: 1" + newline
    before = text[:end]
    if before and not before.endswith("\n"):
        line = newline + line
    return before + line + text[end:], Raised(where, 0, 1)


def _keep_old(text: str, path: tuple[str, ...], old: int, newline: str, file: str) -> str:
    """`text` with `old` added to the `old_link_keys` list under `path`: a list written on one line
    (`[0, 1]`) gets it before its `]`; a missing list is added as a line `old_link_keys: [old]`."""
    where = ".".join((*path, OLD_LINK_KEYS))
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # the text was read before the key was raised
    node = root
    for name in path:
        node = _block_value(node, name)
    assert isinstance(node, yaml.MappingNode)
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == OLD_LINK_KEYS:
            one_line = (
                isinstance(value, yaml.SequenceNode)
                and value.flow_style
                and value.start_mark.line == value.end_mark.line
                and all(isinstance(item, yaml.ScalarNode) and item.style is None for item in value.value)
            )
            if not one_line:
                raise CannotEdit(wording.cannot_rotate_text(file, f"{where} is not a list on one line, like [0, 1]"))
            assert isinstance(value, yaml.SequenceNode)
            close = value.end_mark.index - 1  # the `]`
            if text[close] != "]":
                raise CannotEdit(wording.cannot_rotate_text(file, f"{where} is not a list on one line, like [0, 1]"))
            added = f", {old}" if value.value else str(old)
            return text[:close].rstrip() + added + text[close:]
    first_key, _ = node.value[0]
    last = _last_written(node)
    end = last.end_mark.index
    if last.end_mark.column != 0:
        line_end = text.find("\n", end)
        end = len(text) if line_end < 0 else line_end + 1
    indent: int = first_key.start_mark.column
    line = " " * indent + f"{OLD_LINK_KEYS}: [{old}]" + newline
    before = text[:end]
    if before and not before.endswith("\n"):
        line = newline + line
    return before + line + text[end:]


def _last_written(node: yaml.Node) -> yaml.Node:
    """The node written last inside a block collection: a block collection's own end lies past
    the comments and blank lines after it, a scalar's or a flow collection's right after it."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _block_value(node: yaml.Node | None, name: str) -> yaml.MappingNode | None:
    """The value of `name` in a block mapping, if it is a block mapping with keys one a line."""
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == name:
            if (
                isinstance(value, yaml.MappingNode)
                and not value.flow_style
                and value.value
                and value.tag.endswith(":map")
            ):
                return value
            return None
    return None


def _reads_back(
    text: str,
    edited: str,
    keys: list[tuple[tuple[str, ...], str]],
    raised: list[Raised],
    file: str,
    keep_old: bool = False,
) -> bool:
    """Whether the edited text holds the same data but for each key, now one higher."""
    old, _ = read_yaml(text, file)
    new, _ = read_yaml(edited, file)
    if old is None or new is None:
        return False
    expected: Any = _unshared(old.data)
    for (path, key), one in zip(keys, raised, strict=True):
        mapping = expected
        for name in path:
            mapping = mapping.get(name) if isinstance(mapping, dict) else None
        if not isinstance(mapping, dict) or mapping.get(key, 0) != one.old:
            return False
        mapping[key] = one.new
        if keep_old:
            kept = mapping.get(OLD_LINK_KEYS, [])
            if not isinstance(kept, list):
                return False
            mapping[OLD_LINK_KEYS] = [*kept, one.old]
    return bool(new.data == expected)


def _unshared(data: Any) -> Any:
    """A copy in which no two places share a list or mapping (an alias copies, where YAML shares)."""
    if isinstance(data, dict):
        return {key: _unshared(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_unshared(value) for value in data]
    return data


def _names(raised: list[Raised]) -> str:
    return ", ".join(one.where for one in raised)
