"""Reading YAML so that every value keeps its file, line and column.

PyYAML composes a node tree with marks; we build plain data from it ourselves, so we
can remember where each value stood and reject duplicate keys (which PyYAML accepts
silently, keeping the last). Validation errors from pydantic are then placed on the
line that caused them and worded for people.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from builder.errors import Problem

KeyPath = tuple[str | int, ...]
"""Where a value stands in a file's data: ('phases', 2, 'weeks')."""
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
Model = TypeVar("Model", bound=BaseModel)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader without YAML 1.1's base-60 numbers, which YAML 1.2 dropped:
    `session_time: 17:30` stays the text "17:30" instead of becoming the number 1050."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
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
            return self.problem(path[:-1], f"missing required key {path[-1]!r}")
        if kind == "extra_forbidden":
            known = allowed_keys(model, loc[:-1])
            expected = f"; expected one of: {', '.join(known)}" if known else ""
            return self.problem(path, f"unknown key {path[-1]!r}{expected}", at_key=True)
        if loc and loc[-1] == "[key]":
            expected = "expected lower-case letters, digits and hyphens"
            return self.problem(path, f"bad id {json.dumps(given)}: {expected}", at_key=True)
        return self.problem(path, _expectation(kind, given, ctx, str(detail["msg"])))


def dotted(path: KeyPath) -> str:
    """`phases[2].weeks` for ('phases', 2, 'weeks')."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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
        return json.dumps(value, ensure_ascii=False)
    return str(value)


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
        return fallback.removeprefix("Value error, ")
    return fallback[:1].lower() + fallback[1:] + got


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at `loc`, to say what was expected instead of a typo."""
    here: Any = model
    for part in loc:
        here = _step(here, part)
        if here is None:
            return []
    here = _unwrap_model(here)
    return list(here.model_fields) if here is not None else []


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
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (1, 1)
        what = error.problem or error.context or "not valid YAML"
        began = error.context_mark
        if error.problem and error.context and began is not None:
            what += f" ({error.context} that starts at line {began.line + 1 + offset}, column {began.column + 1})"
        return None, [Problem(file, line, column, "", f"YAML syntax: {what}")]
    except yaml.YAMLError as error:
        return None, [Problem(file, 1, 1, "", f"YAML: {error}")]
    values: dict[KeyPath, tuple[int, int]] = {}
    keys: dict[KeyPath, tuple[int, int]] = {}
    problems: list[Problem] = []

    def place(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + offset, node.start_mark.column + 1

    def build(node: yaml.Node, path: KeyPath) -> Any:
        values[path] = place(node)
        if isinstance(node, yaml.MappingNode):
            own = {id(key) for key, _ in node.value}
            loader.flatten_mapping(node)  # YAML merge keys (<<)
            result: dict[Any, Any] = {}
            written: dict[Any, int] = {}  # keys written in this mapping (not merged in), by line
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = place(key_node)
                    problems.append(Problem(file, line, column, dotted(path), "a key must be plain text"))
                    continue
                key = loader.construct_object(key_node)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = str(key_node.value)
                if id(key_node) in own:
                    line, column = place(key_node)
                    if key in written:
                        problems.append(
                            Problem(
                                file,
                                line,
                                column,
                                dotted(path + (key,)),
                                f"duplicate key {key!r} (first given on line {written[key]})",
                            )
                        )
                        continue
                    written[key] = line
                keys[path + (key,)] = place(key_node)
                result[key] = build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [build(item, path + (index,)) for index, item in enumerate(node.value)]
        return loader.construct_object(node)

    try:
        data = build(root, ()) if root is not None else None
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (1, 1)
        return None, [Problem(file, line, column, "", f"YAML: {error.problem}")]
    finally:
        loader.dispose()
    return Source(file, data, values, keys), problems
