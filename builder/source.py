"""Reading YAML so that every value keeps its file, line and column.

PyYAML composes a node tree with marks; we build plain data from it ourselves, so we
can remember where each value stood and reject duplicate keys (which PyYAML accepts
silently, keeping the last). Validation errors from pydantic are then placed on the
line that caused them and worded for people.
"""

from __future__ import annotations

import functools
import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from builder.errors import EXCERPT, Problem, excerpt

KeyPath = tuple[str | int, ...]
"""Where a value stands in a file's data: ('phases', 2, 'weeks')."""
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_VALUE = "tag:yaml.org,2002:value"
_LEADING_ZERO = "tag:sprintback,2026:leading-zero"
Model = TypeVar("Model", bound=BaseModel)

MAX_DEPTH = 100
"""How deep values may nest: a real file needs fewer than ten levels; far deeper ones are junk."""
MAX_ALIASED = 200_000
"""How many values aliases may add to a file beyond those written out (a few lines of nested
aliases can otherwise stand for billions)."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader, reading plain values as YAML 1.2 does where YAML 1.1 would change them:
    `session_time: 17:30` stays the text "17:30" (not the base-60 number 1050), `note: No` and
    `note: on` stay text (not booleans: a true/false field still takes yes/no/on/off), `=` is
    text, and a number with a leading zero (`010`: 8 in YAML 1.1, 10 in YAML 1.2) is refused."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT, _FLOAT, _BOOL, _VALUE)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(_LEADING_ZERO, re.compile(r"^[-+]?0[0-9_]+$"), list("-+0"))
_Loader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_TAG_EXPECTS = {
    _INT: "a whole number",
    _FLOAT: "a number",
    _BOOL: "true or false",
    "tag:yaml.org,2002:timestamp": "a date as YYYY-MM-DD",
    "tag:yaml.org,2002:binary": "base64 data",
}


@dataclass(frozen=True)
class Source:
    """A file's data and where each value and key of it stands."""

    file: str
    data: Any
    values: dict[KeyPath, tuple[int, int]] = field(repr=False)
    keys: dict[KeyPath, tuple[int, int]] = field(repr=False)

    def problem(self, path: KeyPath, message: str, *, at_key: bool = False) -> Problem:
        """A problem placed on the value (or, with `at_key`, the key) at `path`."""
        marks = self.keys if at_key and path in self.keys else self.values
        probe = path
        while probe not in marks and probe:
            probe = probe[:-1]
        line, column = marks.get(probe, (1, 1))
        return Problem(self.file, line, column, dotted(path), message)

    def validate(self, model: type[Model], data: Any = None) -> tuple[Model | None, list[Problem]]:
        """Validate the data (or the whole file) as `model`; problems carry their places."""
        try:
            return model.model_validate(self.data if data is None else data), []
        except ValidationError as error:
            return None, self._explain(model, error)

    def _explain(self, model: type[BaseModel], error: ValidationError) -> list[Problem]:
        details = error.errors(include_url=False)
        failed = [tuple(detail["loc"]) for detail in details]
        problems = []
        for detail, loc in zip(details, failed, strict=True):
            # A tuple whose item failed also reports "too short"; the item's error says it all.
            if detail["type"] == "too_short" and any(
                other[: len(loc)] == loc and len(other) > len(loc) for other in failed
            ):
                continue
            path = self._data_path(loc)
            problems.append(self._word(model, detail, loc, path))
        return problems

    def _data_path(self, loc: tuple[Any, ...]) -> KeyPath:
        """Map pydantic's location (which names union tags) onto the path in the data."""
        path: list[str | int] = []
        node = self.data
        for index, part in enumerate(loc):
            last = index == len(loc) - 1
            in_mapping = isinstance(node, dict) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if in_mapping or in_list:
                node = node[part]
            elif not last or part == "[key]":
                continue
            path.append(part)
        return tuple(path)

    def _word(self, model: type[BaseModel], detail: Any, loc: tuple[Any, ...], path: KeyPath) -> Problem:
        kind = detail["type"]
        given = detail.get("input")
        ctx = detail.get("ctx", {})
        if kind == "missing":
            return self.problem(path[:-1], f"missing required key {_key(path[-1])}")
        if kind == "extra_forbidden":
            known = allowed_keys(model, loc[:-1])
            expected = f"; expected one of: {', '.join(known)}" if known else ""
            return self.problem(path, f"unknown key {_key(path[-1])}{expected}", at_key=True)
        if loc and loc[-1] == "[key]":
            expected = "expected lower-case letters, digits and hyphens"
            return self.problem(path, f"bad id {_got(given)}: {expected}", at_key=True)
        return self.problem(path, _expectation(kind, given, ctx, str(detail["msg"])))


def dotted(path: KeyPath) -> str:
    """`phases[2].weeks` for ('phases', 2, 'weeks')."""
    text = ""
    for part in path:
        part = part if isinstance(part, int) else excerpt(part)
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _key(key: str | int) -> str:
    """A key as messages quote it: 'minutes', at most an excerpt."""
    return repr(excerpt(key)) if isinstance(key, str) else repr(key)


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(excerpt(value), ensure_ascii=False)
    return excerpt(str(value))


def _expectation(kind: str, given: Any, ctx: dict[str, Any], fallback: str) -> str:
    got = f", got {_got(given)}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"expected a number {words} {ctx.get(key)}{got}"
    messages = {
        "int_parsing": "expected a whole number",
        "int_type": "expected a whole number",
        "int_from_float": "expected a whole number",
        "float_parsing": "expected a number",
        "float_type": "expected a number",
        "bool_parsing": "expected true or false",
        "bool_type": "expected true or false",
        "string_type": "expected text",
        "date_from_datetime_parsing": "expected a date as YYYY-MM-DD",
        "date_parsing": "expected a date as YYYY-MM-DD",
        "date_type": "expected a date as YYYY-MM-DD",
        "time_parsing": "expected a time of day as HH:MM",
        "time_type": "expected a time of day as HH:MM",
        "dict_type": "expected a mapping of keys to values",
        "model_type": "expected a mapping of keys to values",
        "model_attributes_type": "expected a mapping of keys to values",
        "tuple_type": "expected a list",
        "list_type": "expected a list",
        "url_parsing": "expected an absolute address such as https://club.example/rehab/",
        "url_scheme": "expected an address starting with http:// or https://",
        "string_pattern_mismatch": "expected an id of lower-case letters, digits and hyphens",
        "string_too_short": "expected some text",
        "string_too_long": f"expected at most {ctx.get('max_length')} characters",
    }
    if kind in messages:
        return messages[kind] + got
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}{got}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} item(s)"
    if kind == "value_error":
        return _shorten_quoted(fallback.removeprefix("Value error, "))
    return _shorten_quoted(fallback[:1].lower() + fallback[1:]) + got


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at `loc`, to say what was expected instead of a typo."""
    # Every list index leads to the same place: a file with thousands of unknown keys asks once.
    return list(_allowed_keys(model, tuple(0 if isinstance(part, int) else part for part in loc)))


@functools.lru_cache(maxsize=256)
def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, ...]:
    here: Any = model
    for part in loc:
        here = _step(here, part)
        if here is None:
            return ()
    here = _unwrap_model(here)
    return tuple(here.model_fields) if here is not None else ()


def _step(annotation: Any, part: Any) -> Any:
    model = _unwrap_model(annotation)
    if model is not None and isinstance(part, str):
        if part in model.model_fields:
            return model.model_fields[part].annotation
        return annotation  # a union tag such as 'block': stay
    for arg in _members(annotation):
        origin = typing.get_origin(arg)
        if origin is tuple or origin is list:
            return typing.get_args(arg)[0]
        if origin is dict:
            return typing.get_args(arg)[1]
    return annotation if isinstance(part, str) else None


def _members(annotation: Any) -> Iterator[Any]:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _members(arg)
    else:
        yield annotation


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for arg in _members(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def read_yaml(text: str, file: str, *, first_line: int = 1) -> tuple[Source | None, list[Problem]]:
    """Parse YAML text into a Source; syntax errors and duplicate keys become problems."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        return _read_nodes(loader, text, file, offset)
    finally:
        loader.dispose()


def _read_nodes(loader: Any, text: str, file: str, offset: int) -> tuple[Source | None, list[Problem]]:
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, text, file, offset)]
    except yaml.reader.ReaderError as error:
        position = error.position
        if not isinstance(loader, yaml.SafeLoader):  # libyaml counts bytes of UTF-8, not characters
            position = len(text.encode()[:position].decode(errors="ignore"))
        line, column = _line_and_column(text, position)
        character = error.character if isinstance(error.character, str) else chr(error.character)
        message = f"YAML: the control character U+{ord(character):04X} is not allowed in YAML text; remove it"
        return None, [Problem(file, line + offset, column, "", message)]
    except yaml.YAMLError as error:
        return None, [Problem(file, 1 + offset, 1, "", f"YAML: {_shorten_quoted(str(error))}")]
    if root is None:
        return Source(file, None, {}, {}), []
    refused = _refuse_shape(root)
    if refused is not None:
        node, message = refused
        return None, [Problem(file, node.start_mark.line + 1 + offset, node.start_mark.column + 1, "", message)]

    values: dict[KeyPath, tuple[int, int]] = {}
    keys: dict[KeyPath, tuple[int, int]] = {}
    problems: list[Problem] = []
    unreadable: list[Problem] = []  # values YAML could not make: the file's data is not usable
    own_keys: dict[int, set[int]] = {}  # each mapping's own key nodes, before merge keys (<<) add others

    def place(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + offset, node.start_mark.column + 1

    def scalar(node: yaml.Node, path: KeyPath) -> Any:
        line, column = place(node)
        if node.tag == _LEADING_ZERO:
            unreadable.append(Problem(file, line, column, dotted(path), _leading_zero(node.value)))
            return node.value
        try:
            return loader.construct_object(node)
        except yaml.constructor.ConstructorError as error:
            message = f"YAML: {_shorten_quoted(str(error.problem))}"
            if node.tag.startswith("!") or "could not determine a constructor" in str(error.problem):
                tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
                message = f"YAML: unknown tag {excerpt(tag)!r}; leave the tag out"
            unreadable.append(Problem(file, line, column, dotted(path), message))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            # A plain value that only looks like a number or a date (0x_, 2026-02-30) is text,
            # as YAML 1.2 reads it: the format then says what it expected there.
            if (
                not getattr(node, "style", None)
                and loader.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag
            ):
                return node.value
            expects = _TAG_EXPECTS.get(node.tag, "a value of that type")
            tag = node.tag.removeprefix("tag:yaml.org,2002:")
            reason = f" ({error})" if node.tag.endswith(":timestamp") and len(str(error)) <= EXCERPT else ""
            message = f"YAML: !!{tag} needs {expects}, got {json.dumps(excerpt(node.value), ensure_ascii=False)}"
            unreadable.append(Problem(file, line, column, dotted(path), message + reason))
        return None

    def build(node: yaml.Node, path: KeyPath) -> Any:
        values[path] = place(node)
        if isinstance(node, yaml.MappingNode):
            own = own_keys.setdefault(id(node), {id(key) for key, _ in node.value})
            loader.flatten_mapping(node)  # YAML merge keys (<<)
            result: dict[Any, Any] = {}
            written: dict[Any, int] = {}  # keys written in this mapping (not merged in), by line
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = place(key_node)
                    problems.append(Problem(file, line, column, dotted(path), "a key must be plain text"))
                    continue
                key = scalar(key_node, path)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = str(key_node.value)
                if id(key_node) in own:
                    line, column = place(key_node)
                    if key in written:
                        message = f"duplicate key {_key(key)} (first given on line {written[key]})"
                        problems.append(Problem(file, line, column, dotted(path + (key,)), message))
                        continue
                    written[key] = line
                keys[path + (key,)] = place(key_node)
                result[key] = build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [build(item, path + (index,)) for index, item in enumerate(node.value)]
        return scalar(node, path)

    try:
        data = build(root, ())
    except yaml.constructor.ConstructorError as error:  # a merge key (<<) given something else than mappings
        mark = error.problem_mark
        line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (1 + offset, 1)
        return None, [Problem(file, line, column, "", f"YAML: {_shorten_quoted(str(error.problem))}")]
    if unreadable:
        return None, unreadable + problems
    return Source(file, data, values, keys), problems


def _leading_zero(value: str) -> str:
    """Why `010` is refused: YAML 1.1 reads it as octal 8, YAML 1.2 as 10, and people mean 10."""
    digits = value.replace("_", "")
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("+-")
    plain = sign + (digits.lstrip("0") or "0")
    if re.fullmatch(r"[0-7]+", digits):
        how = f"so YAML 1.1 reads it as the octal number {sign}{int(digits, 8)}"
    else:
        how = "which YAML 1.1 and YAML 1.2 read differently"
    return f"{excerpt(value)} has a leading zero, {how}; write {excerpt(plain)}, or quote it if it is text"


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _refuse_shape(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """A node that holds itself, nests too deep, or whose aliases expand too far, with why; else None.

    One walk over the nodes as written (an alias is the node it names, met again), so a few
    lines of nested aliases that would expand to billions of values cost no more than their lines.
    """
    expanded: dict[int, int] = {}  # values in each finished list or mapping, aliases expanded
    depth: dict[int, int] = {}  # lists and mappings nested in each finished one, itself included
    finished: list[yaml.Node] = []
    written = 0  # values as written: each list and mapping once, each scalar where it stands
    open_ids = {id(root)}
    stack = [(root, iter(_children(root)))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if isinstance(child, yaml.ScalarNode) or id(child) in expanded:
                continue
            if id(child) in open_ids:
                return child, "YAML: this value holds an alias of itself, so it never ends; remove the alias"
            if len(stack) >= MAX_DEPTH:
                return child, f"YAML: values nest more than {MAX_DEPTH} levels deep"
            open_ids.add(id(child))
            stack.append((child, iter(_children(child))))
            break
        else:
            stack.pop()
            open_ids.discard(id(node))
            size, levels = 1, 0
            for child in _children(node):
                if isinstance(child, yaml.ScalarNode):
                    size, written = size + 1, written + 1
                else:
                    size, levels = size + expanded[id(child)], max(levels, depth[id(child)])
            expanded[id(node)], depth[id(node)] = min(size, 1 << 62), levels + 1
            written += 1
            if levels + 1 > MAX_DEPTH:
                return node, f"YAML: values nest more than {MAX_DEPTH} levels deep (with aliases expanded)"
            finished.append(node)
    if expanded[id(root)] > written + MAX_ALIASED:
        # Name the smallest value that grows too far: where the aliases multiply.
        node = next(node for node in finished if expanded[id(node)] > written + MAX_ALIASED)
        message = (
            f"YAML: the aliases here stand for {expanded[id(node)]:,} values, over {MAX_ALIASED:,} more "
            "than the file writes out; write the values out, or use fewer aliases"
        )
        return node, message
    return None


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, file: str, offset: int) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = _shorten_quoted(error.problem or error.context or "not valid YAML")
    began = error.context_mark
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = here[: len(here) - len(here.lstrip())]
    if "tab character" in what or "\t" in indent or here[column - 1 : column] == "\t":
        what = "a tab in the indentation; YAML indents with spaces only"
    elif "nesting depth" in what:
        what = f"values nest more than {MAX_DEPTH} levels deep"
    elif error.problem and error.context and began is not None:
        what += f" ({error.context} that starts at line {began.line + 1 + offset}, column {began.column + 1})"
    return Problem(file, line + offset, column, "", f"YAML syntax: {what}")


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


_QUOTED = re.compile(f"'([^']{{{EXCERPT + 1},}})'|\"([^\"]{{{EXCERPT + 1},}})\"")


def _shorten_quoted(message: str) -> str:
    """A message with every long quoted value cut to an excerpt."""
    return _QUOTED.sub(lambda m: f"'{excerpt(m[1])}'" if m[1] is not None else f'"{excerpt(m[2])}"', message)
