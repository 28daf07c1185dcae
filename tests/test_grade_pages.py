"""A physio browses what each grade gets: the program page links every grade's (and muscle's) plan
week by week, and each week links every session's dosed page."""

from __future__ import annotations

import re
from pathlib import Path

from builder.build import gather
from builder.links import Links
from tests.conftest import ENVIRONMENT, REPO


def links_in(page: Path) -> list[str]:
    return re.findall(r'href="([^"#:]+)"', page.read_text())


def test_every_grade_and_muscle_has_its_week_by_week_page_linked_from_the_program(shipped_site: Path) -> None:
    gathered = gather(REPO / "sprintback.yaml", ENVIRONMENT)
    for key in gathered.resolution.graded:
        folder = shipped_site / Links.grade_dir(key.program, key.grade, key.muscle)
        page = folder / "index.html"
        program = shipped_site / "programs" / key.program / "index.html"
        linked = {(program.parent / href).resolve() for href in links_in(program)}
        assert folder.resolve() in linked, (key, "not linked from the program page")
        text = page.read_text()
        weeks = gathered.weeks[key]
        assert len(re.findall(r'<section class="week" id="w\d+">', text)) == len(weeks)
        # Each week's sessions, in order, each linked to the page of its own dose.
        sessions = [folder.joinpath(href).resolve() for href in links_in(page) if "/sessions/" in href]
        expected = [
            (shipped_site / Links.session_dir(key.program, dose.key)).resolve()
            for week in weeks
            for dose in week.sessions
        ]
        assert sessions == expected, key
        assert all((path / "index.html").is_file() for path in sessions)
        # A gated phase's last week names its check-in's criteria.
        closing = [week for week in weeks if week.closes_phase and week.phase.linked.exit]
        assert text.count("Check-in at the end of the week:") == len(closing)
        for week in closing:
            assert all(criterion.spec.name in text for criterion in week.phase.linked.exit)


def test_a_muscles_grade_page_links_the_muscles_own_sessions(shipped_site: Path) -> None:
    soleus = (shipped_site / Links.grade_dir("calf", "2", "soleus") / "index.html").read_text()
    plain = (shipped_site / Links.grade_dir("calf", "2") / "index.html").read_text()
    assert "/muscle-soleus/" in soleus and "/muscle-soleus/" not in plain
    tendon = (shipped_site / Links.grade_dir("hamstring", "3c") / "index.html").read_text()
    assert "/grade-3c" in tendon and "Hamstring loading, tendon first" in tendon
