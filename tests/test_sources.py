"""The shipped protocols' sources: each with a link, each cited where its figures are used.

A physio reading a plan must be able to check every figure it states: the text names the
source (author and year), the source is in the protocol's list, and the program page links
to it (a DOI, or the journal's page where no DOI could be confirmed).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

PROGRAMS = ("hamstring", "calf")

WITHOUT_LINK = {
    ("hamstring", "aspetar"): "no official web page of the Aspetar hamstring protocol could be confirmed",
}
"""Sources shipped without a `url`, by (program, source id), with the reason."""

CITATION = re.compile(r"\b((?:van der |van )?[A-Z][a-z]+) ((?:19|20)\d\d)\b")
"""An author-year citation in a text, e.g. `Pollock 2022` or `van der Horst 2017`."""

EARLY_RECURRENCE = (
    re.compile(r"\bmost\b[^.;]*\b(repeat|re-?strains?|re-?injur\w*|recurr\w*)\b[^.;]*\b(two|2) months"),
    re.compile(r"\b(two|2) months\b[^.;]*\b(highest|greatest|most)\b[^.;]*\brisk"),
    re.compile(r"\bcome early\b[^.;]*\b(two|2) months"),
)
"""Ways of saying that calf re-strains bunch in the first two months back (Green 2025 finds
2.9-7.3 % within two months against 13-21.3 % within two years)."""


def protocol(program: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "programs" / f"{program}.yaml").read_text())
    return data


def texts(data: Any) -> list[str]:
    """Every text in a protocol that a user reads, outside its list of sources."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for key, value in data.items() if key != "sources" for text in texts(value)]
    if isinstance(data, list):
        return [text for item in data for text in texts(item)]
    return []


def plain(text: str) -> str:
    return " ".join(text.split())


def author_year(source_id: str) -> str:
    """How a text cites a source: `van-der-horst-2017` is `van der Horst 2017`."""
    *name, year = source_id.split("-")
    if not year.isdigit():
        return " ".join(source_id.split("-")).title()
    return " ".join([*name[:-1], name[-1].title(), year])


def source_ids(program: str) -> list[str]:
    return [source["id"] for source in protocol(program)["sources"]]


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_source_has_a_link_or_a_stated_reason(program: str) -> None:
    for source in protocol(program)["sources"]:
        if (program, source["id"]) in WITHOUT_LINK:
            assert "url" not in source, f"{source['id']} has a link now: drop it from WITHOUT_LINK"
        else:
            assert str(source.get("url", "")).startswith("https://"), source["id"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_source_is_cited_in_the_protocol_text(program: str) -> None:
    text = plain(" ".join(texts(protocol(program))))
    for source_id in source_ids(program):
        assert author_year(source_id) in text or source_id in text, f"{program}: {source_id} is never cited"


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_citation_in_the_text_is_a_listed_source(program: str) -> None:
    ids = set(source_ids(program))
    for text in texts(protocol(program)):
        for name, year in CITATION.findall(plain(text)):
            assert f"{name.lower().replace(' ', '-')}-{year}" in ids, f"{program}: {name} {year} is not in sources"


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_grade_that_states_days_names_its_source(program: str) -> None:
    for grade, settings in protocol(program)["grades"].items():
        note = plain(settings.get("note", ""))
        if re.search(r"\b\d+ (against \d+ )?days\b", note):
            assert CITATION.search(note), f"{program} grade {grade}: {note}"


@pytest.mark.parametrize(("grade", "days"), [("2c", [27, 41]), ("3c", [31, 65])])
def test_tendon_grades_return_days_are_attributed_to_pollock_2022(grade: str, days: list[int]) -> None:
    hamstring = protocol("hamstring")
    settings = hamstring["grades"][grade]
    assert settings["typical_return_days"] == days  # mean ± SD: 34 ± 7 and 48 ± 17 days
    assert "Pollock 2022" in plain(settings["note"])
    assert "pollock-2022" in source_ids("hamstring")
    lines = (REPO / "programs" / "hamstring.yaml").read_text().splitlines()
    start = lines.index(f'  "{grade}":')
    days_line = next(line for line in lines[start:] if "typical_return_days" in line)
    assert "Pollock 2022" in days_line


def test_no_text_says_most_calf_restrains_come_in_the_first_two_months() -> None:
    raw = plain((REPO / "programs" / "calf.yaml").read_text()).lower()
    for claim in EARLY_RECURRENCE:
        assert not claim.search(raw), claim.search(raw)
    said = plain(" ".join(texts(protocol("calf"))))
    assert "within two years (Green 2025)" in said


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_program_page_links_each_source(program: str, shipped_site: Path) -> None:
    page = (shipped_site / "programs" / program / "index.html").read_text()
    for source in protocol(program)["sources"]:
        item = re.search(rf'<li id="source-{source["id"]}">(.*?)</li>', page, re.DOTALL)
        assert item, source["id"]
        if (program, source["id"]) in WITHOUT_LINK:
            assert "href" not in item.group(1)
        else:
            assert f'href="{html.escape(source["url"])}"' in item.group(1), source["id"]
