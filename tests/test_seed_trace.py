"""The seed article's recommendations S1-S26: each carried by the YAML, the site and the feeds.

tests/data/seed_trace.yaml names, for each recommendation, where the shipped protocols
carry it (a file, a path into its YAML, a phrase found there). This test checks every
entry, then that each recommendation can be read on the built site and reaches the
athlete: in a calendar event's card, or on the athlete's page that every event links to.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml

from tests.conftest import REPO

TRACE = yaml.safe_load((REPO / "tests" / "data" / "seed_trace.yaml").read_text())
RECOMMENDATIONS = [f"S{number}" for number in range(1, 27)]


def document(file: str) -> Any:
    text = (REPO / file).read_text()
    if file.endswith(".md"):
        _, front, body = text.split("---\n", 2)
        return {**yaml.safe_load(front), "body": body}
    return yaml.safe_load(text)


def text_at(data: Any, path: str) -> str:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return " ".join(data) if isinstance(data, list) else str(data)


def plain(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def site_text(shipped_site: Path) -> str:
    pages = [html.unescape(re.sub(r"<[^>]+>", " ", p.read_text())) for p in shipped_site.rglob("*.html")]
    return plain(" ".join(pages))


@pytest.fixture(scope="module")
def athlete_text(shipped_site: Path) -> str:
    pages = [html.unescape(re.sub(r"<[^>]+>", " ", p.read_text())) for p in shipped_site.glob("athletes/*/index.html")]
    return plain(" ".join(pages))


@pytest.fixture(scope="module")
def feed_text(shipped_site: Path) -> str:
    texts = []
    for path in shipped_site.glob("athletes/*/calendar.ics"):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).events:
            texts += [str(event["summary"]), str(event["description"])]
    return plain(" ".join(texts))


def test_every_recommendation_is_traced() -> None:
    assert sorted(TRACE, key=lambda s: int(s[1:])) == RECOMMENDATIONS


@pytest.mark.parametrize("recommendation", RECOMMENDATIONS)
def test_trace_points_at_text_that_says_it(recommendation: str) -> None:
    for entry in TRACE[recommendation]:
        text = text_at(document(entry["file"]), entry["path"])
        assert plain(entry["phrase"]) in plain(text), entry


@pytest.mark.parametrize("recommendation", RECOMMENDATIONS)
def test_recommendation_reaches_the_site_and_the_athlete(
    recommendation: str, site_text: str, athlete_text: str, feed_text: str
) -> None:
    phrases = [plain(entry["phrase"]) for entry in TRACE[recommendation]]
    assert any(phrase in site_text for phrase in phrases), f"{recommendation} is on no page"
    reached = athlete_text + " " + feed_text
    assert any(phrase in reached for phrase in phrases), f"{recommendation} is in no event and no athlete's page"
