"""`sprintback diff`'s report in three formats: text for the terminal, Markdown for a pull request, JSON.

Every sentence comes from `wording.py`; the formats only lay them out. No format shows a
private address or the key: the report holds what the repository holds already.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from typing import Any

from builder import wording
from builder.diff import AthleteDiff, Dated, Move, ProjectDiff
from builder.edits import Edit

SHOWN = 10
"""Lines of one list the text report prints; the rest are counted."""
FOLDED = 5
"""Lines of one list above which the Markdown report folds it into <details>."""
_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")


@dataclass(frozen=True)
class Group:
    """Lines of one kind of change, under a heading when they are a list."""

    heading: str | None
    lines: tuple[str, ...]


def summary(diff: ProjectDiff) -> str:
    returns = [(one.name, one.return_before, one.return_after) for one in diff.athletes if one.return_moved]
    return wording.diff_summary_text(len(diff.athletes), diff.total, returns)


def athlete_groups(one: AthleteDiff) -> list[Group]:
    """The athlete's changes, most telling first: roster, return to play, phases, check-ins, sessions."""
    groups: list[Group] = []

    def single(line: str) -> None:
        groups.append(Group(None, (line,)))

    if one.roster != "same":
        single(wording.diff_roster_text(one.roster))
    if one.return_moved:
        single(wording.diff_return_text(one.return_before, one.return_after))
    for phase in one.phases:
        single(wording.diff_phase_text(phase.title, phase.before, phase.after))
    for criteria in one.criteria:
        single(wording.diff_criteria_text(criteria.phase, criteria.added, criteria.removed, criteria.changed))
    _moves(groups, one.check_ins_moved, "check-in")
    _dated(groups, one.check_ins_added, wording.diff_added_heading, "check-in")
    _dated(groups, one.check_ins_removed, wording.diff_removed_heading, "check-in")
    if one.roster == "same":
        _moves(groups, one.moved, "session")
        _dated(groups, one.added, wording.diff_added_heading, "session")
        _dated(groups, one.removed, wording.diff_removed_heading, "session")
    for renamed in one.renamed:
        single(wording.diff_renamed_text(renamed.before, renamed.after, renamed.dates))
    for dose in one.doses:
        single(wording.diff_dose_text(dose.session, dose.drill, dose.before, dose.after, dose.dates))
    for warning in one.warnings_added:
        single(wording.diff_warning_text(warning, appears=True))
    for warning in one.warnings_removed:
        single(wording.diff_warning_text(warning, appears=False))
    return groups


def _moves(groups: list[Group], moves: tuple[Move, ...], what: str) -> None:
    if moves:
        lines = tuple(wording.diff_move_text(move.title, move.before, move.after) for move in moves)
        groups.append(Group(wording.diff_moved_heading(len(moves), what), lines))


def _dated(groups: list[Group], dated: tuple[Dated, ...], heading: Any, what: str) -> None:
    if dated:
        lines = tuple(wording.diff_dated_text(one.title, one.date) for one in dated)
        groups.append(Group(heading(len(dated), what), lines))


def _edit_line(edit: Edit) -> str:
    return wording.diff_edit_text(edit.file, edit.line, edit.where, edit.kind, edit.before, edit.after)


def _other_edits(diff: ProjectDiff) -> list[Edit]:
    shown = {edit for one in diff.athletes for edit in one.edits}
    return [edit for edit in diff.edits if edit not in shown]


def _protocol_lines(diff: ProjectDiff) -> list[str]:
    return [wording.diff_warning_text(w, appears=True) for w in diff.warnings_added] + [
        wording.diff_warning_text(w, appears=False) for w in diff.warnings_removed
    ]


def text_report(diff: ProjectDiff) -> str:
    """For the terminal: a summary line, then each athlete who changes, lists cut at SHOWN lines."""
    out = [summary(diff)]
    cut = False
    for one in diff.athletes:
        out += ["", wording.diff_athlete_text(one.name, one.athlete_id, one.program)]
        for group in athlete_groups(one):
            cut |= _text_group(out, group, "  ")
        if one.edits:
            cut |= _text_group(out, Group(wording.DIFF_BECAUSE + ":", tuple(map(_edit_line, one.edits))), "  ")
    protocols = _protocol_lines(diff)
    if protocols:
        out += ["", wording.DIFF_PROTOCOLS]
        cut |= _text_group(out, Group(None, tuple(protocols)), "  ", every=True)
    others = _other_edits(diff)
    if others:
        out += ["", wording.DIFF_OTHER_EDITS]
        cut |= _text_group(out, Group(None, tuple(map(_edit_line, others))), "  ")
    if cut:
        out += ["", wording.diff_rerun_text()]
    return "\n".join(out) + "\n"


def _text_group(out: list[str], group: Group, indent: str, *, every: bool = False) -> bool:
    """Print a group; True if lines were left out."""
    lines = group.lines if every else group.lines[:SHOWN]
    if group.heading is None:
        out += [indent + line for line in lines]
    else:
        out.append(indent + group.heading)
        out += [indent + "  " + line for line in lines]
    if len(lines) < len(group.lines):
        out.append(indent + ("  " if group.heading else "") + wording.diff_more_text(len(group.lines) - len(lines)))
        return True
    return False


def markdown_report(diff: ProjectDiff, revision: str) -> str:
    """Ready to post as a pull-request comment: a heading per athlete, long lists folded."""
    out = [f"### {_md(wording.DIFF_HEADING)}", "", wording.diff_against_text(revision), "", f"**{_md(summary(diff))}**"]
    for one in diff.athletes:
        out += ["", f"#### {_md(wording.diff_athlete_text(one.name, one.athlete_id, one.program))}", ""]
        for group in athlete_groups(one):
            _markdown_group(out, group)
        if one.edits:
            _markdown_group(out, Group(wording.DIFF_BECAUSE + ":", tuple(map(_edit_line, one.edits))))
    protocols = _protocol_lines(diff)
    if protocols:
        out += ["", f"#### {_md(wording.DIFF_PROTOCOLS)}", ""]
        out += [f"- {_md(line)}" for line in protocols]
    others = _other_edits(diff)
    if others:
        out += ["", f"#### {_md(wording.DIFF_OTHER_EDITS)}", ""]
        _markdown_group(out, Group(None, tuple(map(_edit_line, others))))
    return "\n".join(out) + "\n"


def _markdown_group(out: list[str], group: Group) -> None:
    items = [f"- {_md(line)}" for line in group.lines]
    if group.heading is None and len(items) <= FOLDED:
        out += items
    elif len(items) <= FOLDED:
        out.append(f"- {_md(group.heading or '')}")
        out += ["  " + item for item in items]
    else:
        label = html.escape(group.heading or wording.diff_more_text(len(items)).removeprefix("… and "))
        out += ["", f"<details><summary>{label}</summary>", "", *items, "", "</details>", ""]


def _md(text: str) -> str:
    """Text shown as itself in Markdown: no markup, no HTML, no link."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False)).replace("@", "&#64;")


def json_report(diff: ProjectDiff, revision: str) -> str:
    """Every change, with stable keys and ISO dates."""
    data = {
        "revision": revision,
        "summary": summary(diff),
        "athletes_total": diff.total,
        "athletes_changed": len(diff.athletes),
        "athletes": [_athlete_json(one) for one in diff.athletes],
        "protocols": {"warnings_added": list(diff.warnings_added), "warnings_removed": list(diff.warnings_removed)},
        "other_edits": [_edit_json(edit) for edit in _other_edits(diff)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _athlete_json(one: AthleteDiff) -> dict[str, Any]:
    def moves(moves: tuple[Move, ...]) -> list[dict[str, Any]]:
        return [{"title": m.title, "before": _day(m.before), "after": _day(m.after)} for m in moves]

    def dated(dated: tuple[Dated, ...]) -> list[dict[str, Any]]:
        return [{"title": d.title, "date": _day(d.date)} for d in dated]

    return {
        "id": one.athlete_id,
        "name": one.name,
        "program": one.program,
        "roster": one.roster,
        "return_to_play": {"before": _day(one.return_before), "after": _day(one.return_after)}
        if one.return_moved
        else None,
        "phases": [{"title": p.title, "weeks_before": p.before, "weeks_after": p.after} for p in one.phases],
        "criteria": [
            {"phase": c.phase, "added": list(c.added), "removed": list(c.removed), "changed": list(c.changed)}
            for c in one.criteria
        ],
        "check_ins_moved": moves(one.check_ins_moved),
        "check_ins_added": dated(one.check_ins_added),
        "check_ins_removed": dated(one.check_ins_removed),
        "sessions_moved": moves(one.moved),
        "sessions_added": dated(one.added),
        "sessions_removed": dated(one.removed),
        "sessions_renamed": [
            {"before": r.before, "after": r.after, "dates": [_day(d) for d in r.dates]} for r in one.renamed
        ],
        "doses": [
            {
                "session": d.session,
                "drill": d.drill,
                "before": d.before,
                "after": d.after,
                "dates": [_day(day) for day in d.dates],
            }
            for d in one.doses
        ],
        "warnings_added": list(one.warnings_added),
        "warnings_removed": list(one.warnings_removed),
        "edits": [_edit_json(edit) for edit in one.edits],
    }


def _edit_json(edit: Edit) -> dict[str, Any]:
    return {
        "file": edit.file,
        "line": edit.line,
        "path": edit.where,
        "change": edit.kind,
        "before": edit.before,
        "after": edit.after,
    }
