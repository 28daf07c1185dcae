"""Fuzzing the input: whatever is done to the roster, a program or a drill, the command ends cleanly.

Each example takes the shipped project, mutates the parsed YAML of one file (a key deleted,
a value of another type, two values swapped, control characters, deep nesting, huge
numbers, empty or unusual text), writes it back with yaml.safe_dump and runs the real
command. The promise checked: exit 0 or 1, never a traceback; every error names its place;
a failed build leaves the previous site byte for byte, a good one a whole new site.
Derandomized with a fixed budget, so CI runs the same examples every time, in seconds.
"""

from __future__ import annotations

import copy
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.ledger import LEDGER_FILE
from builder.write import MARKER
from tests.conftest import EPOCH, REPO, SECRET, Run, copy_shipped, files_of

SECONDS_PER_RUN = 60
"""A run that takes longer than this is taken for a hang (a build of the shipped project takes about one)."""

KeyPath = tuple[str | int, ...]
Draw = Callable[..., Any]

LINE = re.compile(r"(?:error|warning): [^:]+:\d+:\d+: |… and \d[\d,]* more problems? in |Stopped: |OK: ")
"""Every line the command prints: a problem at its place (one a line), what it did, or the count."""

RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters a terminal acts on (an escape sequence, a line break) instead of showing: never echoed raw."""

DRILLS = sorted(f"programs/drills/{path.name}" for path in (REPO / "programs" / "drills").glob("*.md"))
FILE = st.one_of(
    st.sampled_from(["sprintback.yaml", "programs/hamstring.yaml", "programs/calf.yaml"]), st.sampled_from(DRILLS)
)
"""A shipped file to mutate: the roster, a program, or a drill's front matter."""

CONTROLS = ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\u2028", "\u200b", "\ufeff", "\r", "\t", "\n"]
UNICODE = ["\ud800", "🏃\u200d♀️", "e\u0301", "\u202eevil", "İstanbul", "ǅ", "Ω" * 500, "ß", "日本語", "\U0010ffff"]
HUGE = [10**100, -(10**100), 2**63, -(2**63) - 1, 1e308, float("inf"), float("-inf"), float("nan"), -1, 0, 0.5]
EMPTY: list[Any] = ["", " ", [], {}, None]
HOSTILE = [
    "<script>alert(1)</script>",
    "{{ 1/0 }}{% include 'x' %}",
    "![a pixel](https://tracker.example/p.gif)",
    '<img src="https://tracker.example/p.gif"><iframe src="https://tracker.example/"></iframe>',
    "- " * 400 + "x",
    "> " * 400 + "x",
    "[" * 800,
    "*" * 800,
    "javascript:alert(1)",
    "&amp; &#0; &bogus;",
]
"""Text that must reach a page as text: markup, template syntax, remote images, deep Markdown."""


def any_value() -> st.SearchStrategy[Any]:
    """A value of any type YAML can hold."""
    scalar = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20), st.dates()
    )
    return st.one_of(scalar, st.lists(scalar, max_size=3), st.dictionaries(st.text(max_size=8), scalar, max_size=3))


def nodes(data: Any, path: KeyPath = ()) -> Iterator[KeyPath]:
    """Every place in the data, the whole first."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from nodes(value, (*path, index))


def get(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: KeyPath, value: Any) -> Any:
    """The data with `value` at `path` (the root replaced when the path is empty)."""
    if not path:
        return value
    get(data, path[:-1])[path[-1]] = value
    return data


KINDS = ["delete", "retype", "swap", "controls", "nest", "huge", "empty", "unicode", "rename", "text"]


def mutate(data: Any, draw: Draw, kinds: list[str]) -> tuple[Any, str]:
    """One mutation of the data, and what it was (for the report of a failing example)."""
    places = list(nodes(data))
    inner = [place for place in places if place]
    kind = draw(st.sampled_from(kinds))
    if kind == "delete" and inner:
        place = draw(st.sampled_from(inner))
        del get(data, place[:-1])[place[-1]]
        return data, f"deleted {place}"
    if kind == "swap" and len(inner) > 1:
        first, second = draw(st.sampled_from(inner)), draw(st.sampled_from(inner))
        if first[: len(second)] != second and second[: len(first)] != first:
            one, two = get(data, first), get(data, second)
            put(data, first, two)
            put(data, second, one)
            return data, f"swapped {first} and {second}"
    texts = [place for place in places if isinstance(get(data, place), str)]
    prose = [place for place in texts if " " in get(data, place)]  # a title or a cue, not an id or a choice
    if kind == "text" and prose:
        place = draw(st.sampled_from(prose))
        text = draw(st.one_of(st.sampled_from(HOSTILE + UNICODE), st.text(max_size=40)))
        return put(data, place, text), f"{place} = {text!r}"
    if kind == "controls" and texts:
        place = draw(st.sampled_from(texts))
        text = get(data, place)
        at = draw(st.integers(0, len(text)))
        control = draw(st.sampled_from(CONTROLS))
        return put(data, place, text[:at] + control + text[at:]), f"{control!r} into {place} at {at}"
    if kind == "nest":
        place = draw(st.sampled_from(places))
        depth = draw(st.integers(20, 3000))
        shape = draw(st.sampled_from(["list", "map"]))
        # Written as text by `mutated_text`: yaml.safe_dump itself runs out of stack a few hundred levels down.
        return put(data, place, f"nested-{depth}-{shape}"), f"{place} nested {depth} deep in {shape}s"
    if kind == "rename":
        keys = [place for place in inner if isinstance(get(data, place[:-1]), dict)]
        if keys:
            place = draw(st.sampled_from(keys))
            name = draw(st.one_of(st.sampled_from(["", *CONTROLS, *UNICODE]), st.text(max_size=10)))
            parent = get(data, place[:-1])
            renamed = {name if key == place[-1] else key: value for key, value in parent.items()}
            return put(data, place[:-1], renamed), f"renamed {place} to {name!r}"
    place = draw(st.sampled_from(places))
    choices = {
        "huge": st.sampled_from(HUGE),
        "empty": st.sampled_from(EMPTY),
        "unicode": st.one_of(st.sampled_from(UNICODE), st.text(min_size=1, max_size=30)),
    }
    value = draw(choices.get(kind, any_value()))
    return put(data, place, value), f"{place} = {value!r}"


def mutated_text(file: str, draw: Draw, kinds: list[str] = KINDS) -> str:
    """The shipped file, parsed, mutated one to three times (by `kinds` of mutation), and dumped back."""
    text = (REPO / file).read_text(encoding="utf-8")
    body = ""
    if file.endswith(".md"):
        _, front, body = text.split("---\n", 2)
        text = front
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        data, what = mutate(copy.deepcopy(data), draw, kinds)
        note(f"{file}: {what}")
    dumped = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False, width=1000)
    dumped = NESTED.sub(lambda nested: nested_text(int(nested[1]), nested[2]), dumped)
    return f"---\n{dumped}---\n{body}" if file.endswith(".md") else dumped


NESTED = re.compile(r"\bnested-(\d+)-(list|map)\b")


def nested_text(depth: int, shape: str) -> str:
    """A value `depth` levels deep, in YAML's flow style: `[[[1]]]` or `{k: {k: 1}}`."""
    opening, closing = ("[", "]") if shape == "list" else ("{k: ", "}")
    return opening * depth + "1" + closing * depth


@contextmanager
def time_bound(seconds: int) -> Iterator[None]:
    """Fail the example if the command runs longer than `seconds` (a hang), without reading the clock."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"the command ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def command(*args: str | Path) -> Result:
    """The real command line, in-process; an exception that escapes it fails the example with its traceback."""
    with time_bound(SECONDS_PER_RUN):
        result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    note(result.output)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    assert not RAW_CONTROL.search(result.output), f"a control character printed as it is: {result.output!r}"
    for line in result.output.split("\n")[:-1]:
        assert LINE.match(line), f"not a problem at its place, one a line: {line!r}"
    if result.exit_code == 1:
        assert any(line.startswith("error: ") for line in result.output.splitlines()), result.output
    return result


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built once: the site a mutated build must replace whole or leave as it was."""
    folder = tmp_path_factory.mktemp("previous")
    project = copy_shipped(folder / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPRINTBACK_SECRET", SECRET)  # as every test builds (conftest's autouse fixture)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert CliRunner().invoke(main, ["build", "-q", "-f", str(project), "-o", str(folder / "site")]).exit_code == 0
    return folder


FAST = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FAST
@given(st.data())
def test_validate_ends_cleanly_whatever_the_input(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = copy_shipped(Path(folder) / "project")
        file = data.draw(FILE, label="file")
        (project.parent / file).write_bytes(mutated_text(file, data.draw).encode("utf-8", "surrogatepass"))
        command("validate", "-f", project)


@settings(FAST, max_examples=8)
@given(st.data())
def test_build_replaces_the_site_whole_or_not_at_all(previous: Path, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(previous / "project", root / "project")
        shutil.copytree(previous / "site", root / "site")
        project = root / "project" / "sprintback.yaml"
        before = files_of(root / "site")
        ledger = (project.parent / LEDGER_FILE).read_bytes()
        file = data.draw(FILE, label="file")
        # Most examples change only text, which often still validates: those go through render and write.
        kinds = data.draw(st.sampled_from([KINDS, ["text"], ["text"]]), label="kinds")
        (project.parent / file).write_bytes(mutated_text(file, data.draw, kinds).encode("utf-8", "surrogatepass"))
        result = command("build", "-q", "-f", project, "-o", root / "site")
        assert sorted(path.name for path in root.iterdir()) == ["project", "site"]  # no staging left
        after = files_of(root / "site")
        if result.exit_code == 1:
            assert after == before
            assert (project.parent / LEDGER_FILE).read_bytes() == ledger
        else:
            assert MARKER in after and "index.html" in after
            assert {name for name in before if name.startswith(("schema/", "static/"))} <= set(after)
            pages = b"".join(data for name, data in after.items() if name.endswith(".html"))
            assert b'src="https://tracker.example' not in pages and b"<script>alert" not in pages


@pytest.mark.parametrize(
    "line", ['"\\x1b[2J": 1', '"a\\nb": 1', '"\\x85": 1', 'refresh_hours: "\\x84x"', '"\\u2028": 1']
)
def test_control_characters_of_the_input_are_escaped_in_messages(run: Run, shipped: Path, line: str) -> None:
    """Found by the fuzzing above (minimal inputs): a terminal must show the characters, not act on them."""
    shipped.write_text(shipped.read_text().replace("refresh_hours: 12", line))
    result = run("validate", "-f", shipped)
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(result.output), result.output
    assert all(LINE.match(printed) for printed in result.output.split("\n")[:-1]), result.output


@pytest.mark.parametrize(("depth", "shape"), [(600, "list"), (990, "map")])
def test_deeply_nested_yaml_is_an_error_at_its_place(run: Run, shipped: Path, depth: int, shape: str) -> None:
    """Found by the fuzzing above: from 495 nested lists (983 maps) the loader once ran out of stack."""
    shipped.write_text(shipped.read_text().replace("refresh_hours: 12", f"refresh_hours: {nested_text(depth, shape)}"))
    result = run("validate", "-f", shipped)
    assert result.exit_code == 1
    assert result.output.startswith("error: sprintback.yaml:10:"), result.output
