"""The README is the manual: it names every key of the format and every command."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from builder.build import gather
from builder.cli import main
from builder.models import Project
from builder.schema import SCHEMAS
from tests.conftest import ENVIRONMENT, REPO, copy_shipped

README = (REPO / "README.md").read_text()


def models_under(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every model reachable from `model` through its fields."""
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                models_under(annotation, seen)
            stack.extend(typing.get_args(annotation))
    return seen


def test_every_key_of_the_format_is_documented() -> None:
    models: set[type[BaseModel]] = set()
    for model in SCHEMAS.values():
        models_under(model, models)
    assert Project in models
    missing = sorted(
        f"{model.__name__}.{name}"
        for model in models
        for name in model.model_fields
        if f"`{name}`" not in README and name not in ("id", "description")
    )
    assert not missing, f"README does not document: {missing}"


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"`sprintback {name}" in README, name


def test_ci_runs_the_readme_test_command() -> None:
    assert "bash tests/run" in README
    assert "bash tests/run" in (REPO / ".ci" / "run").read_text()


def test_the_log_example_reads_as_the_readme_says(tmp_path: Path) -> None:
    """The README's example log builds against the shipped roster and re-plans as described."""
    found = re.search(
        r"```yaml\n(# yaml-language-server: \$schema=\.\./site/schema/log\.json\nrecords:.*?)```", README, re.S
    )
    assert found is not None
    project = copy_shipped(tmp_path / "project")
    (tmp_path / "project" / "log").mkdir(exist_ok=True)
    (tmp_path / "project" / "log" / "maya-okafor.yaml").write_text(found.group(1))
    plan = next(plan for plan in gather(project, ENVIRONMENT).plans if plan.athlete_id == "maya-okafor")
    assert [entry.effect for entry in plan.entries] == ["kept", "hold", "hold"]
