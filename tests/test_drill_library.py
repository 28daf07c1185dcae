"""The shipped drill library: complete drills, chains of easier and harder drills, and the pages that show them."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.build import gather
from builder.models import DrillPage
from tests.conftest import ENVIRONMENT, REPO

INJURIES = ("hamstring", "calf")
"""The injuries the shipped programs serve: every drill says what each of them must mind."""


@pytest.fixture(scope="module")
def drills() -> dict[str, DrillPage]:
    """The shipped drill library, as the build reads it."""
    return dict(gather(REPO / "sprintback.yaml", ENVIRONMENT).resolution.library.drills)


def test_the_library_holds_at_least_40_drills(drills: dict[str, DrillPage]) -> None:
    assert len(drills) >= 40
    assert set(drills) == {path.stem for path in (REPO / "programs" / "drills").glob("*.md")}


def test_every_drill_says_why_how_what_to_cue_what_goes_wrong_and_what_each_injury_minds(
    drills: dict[str, DrillPage],
) -> None:
    missing = []
    for drill in drills.values():
        missing += [f"{drill.id}: purpose"] if not drill.purpose else []
        missing += [f"{drill.id}: how (the description)"] if not drill.description.strip() else []
        missing += [f"{drill.id}: cues"] if len(drill.cues) < 2 else []
        missing += [f"{drill.id}: faults"] if len(drill.faults) < 2 else []
        missing += [f"{drill.id}: caution for {injury}" for injury in INJURIES if not drill.cautions.get(injury)]
    assert not missing


def test_every_drill_has_an_easier_or_a_harder_drill(drills: dict[str, DrillPage]) -> None:
    alone = [drill.id for drill in drills.values() if drill.regression is None and drill.progression is None]
    assert not alone


def test_steps_name_other_drills_of_the_library(drills: dict[str, DrillPage]) -> None:
    for drill in drills.values():
        for step in (drill.regression, drill.progression):
            assert step is None or (step in drills and step != drill.id), (drill.id, step)


def test_no_chain_of_easier_and_harder_drills_comes_back_on_itself(drills: dict[str, DrillPage]) -> None:
    """A regression is easier and a progression harder: no drill may end up easier than itself."""
    harder: dict[str, set[str]] = {drill_id: set() for drill_id in drills}
    for drill in drills.values():
        if drill.regression:
            harder[drill.regression].add(drill.id)
        if drill.progression:
            harder[drill.id].add(drill.progression)
    for start in drills:
        seen: set[str] = set()
        waiting = list(harder[start])
        while waiting:
            current = waiting.pop()
            assert current != start, f"{start} is reached again from its own harder drills"
            if current not in seen:
                seen.add(current)
                waiting.extend(harder[current])


class DrillHtml(HTMLParser):
    """What a reader finds on a drill page: headings, the purpose, list items by list and step links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.purpose = ""
        self.items: dict[str, list[str]] = {}
        self.steps: list[tuple[str, str, str]] = []
        """(label, drill name, href) of the easier and harder drills."""
        self._tag: list[tuple[str, str]] = []
        self._list = ""
        self._text: list[str] = []
        self._href = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "ul":
            self._list = found.get("class", "")
        if tag in ("h2", "li", "p"):
            self._tag.append((tag, found.get("class", "")))
            self._text = []
        if tag == "a":
            self._href = found.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if not self._tag or self._tag[-1][0] != tag:
            return
        _, css = self._tag.pop()
        text = " ".join("".join(self._text).split())
        if tag == "h2":
            self.headings.append(text)
        elif tag == "p" and css == "purpose":
            self.purpose = text
        elif tag == "li":
            self.items.setdefault(self._list, []).append(text)
            if self.headings[-1:] == ["Step back, step up"]:
                label, _, name = text.partition(": ")
                self.steps.append((label, name, self._href))

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def test_the_drill_page_shows_purpose_faults_and_the_easier_and_harder_drills(
    shipped_site: Path, drills: dict[str, DrillPage]
) -> None:
    for drill in drills.values():
        page = f"drills/{drill.id}/index.html"
        html = DrillHtml((shipped_site / page).read_text())
        assert html.purpose == f"Purpose: {drill.purpose}", drill.id
        assert html.items["faults"] == list(drill.faults), drill.id
        assert html.headings == ["Cues", "Common faults", "Cautions", "Step back, step up"], drill.id
        steps = (("Easier", drill.regression), ("Harder", drill.progression))
        expected = [(label, step) for label, step in steps if step]
        shown = []
        for label, name, href in html.steps:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            shown.append((label, target.removeprefix("drills/")))
            assert (shipped_site / target / "index.html").is_file(), (drill.id, href)
            assert name == drills[target.removeprefix("drills/")].name, (drill.id, href)
        assert shown == expected, drill.id
