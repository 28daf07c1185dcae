"""The render stage, schema: the program format published as JSON Schema for editors."""

from __future__ import annotations

import json

from pydantic import BaseModel

from builder.models import Drill, Log, Program, Project

SCHEMAS: dict[str, type[BaseModel]] = {
    "program": Program,
    "project": Project,
    "drill": Drill,
    "log": Log,
}
"""The documents of the format: a program file, the project file, a drill's front matter, an athlete's log."""

_TITLES = {
    "program": "Sprintback program (programs/*.yaml)",
    "project": "Sprintback project file (sprintback.yaml)",
    "drill": "Sprintback drill front matter (programs/drills/*.md)",
    "log": "Sprintback athlete log (log/<athlete>.yaml)",
}


def json_schema(name: str) -> str:
    """The JSON Schema of one document of the format, as indented JSON text."""
    schema = SCHEMAS[name].model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"schema/{name}.json",
        **schema,
        "title": _TITLES[name],
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def render_schemas() -> list[tuple[str, bytes]]:
    """Every schema as (path, bytes) for the built site."""
    return [(f"schema/{name}.json", json_schema(name).encode()) for name in SCHEMAS]
