"""Every recommendation of the article behind Sprintback is carried by behaviour in both shipped
protocols, and reaches the calendar of an athlete of every grade, with and without each muscle variant.

`tests/data/recommendations.yaml` names what carries each recommendation (S1-S26): a drill or a
session kind in the plan, a gate, a pain rule, an entry of the athlete's log, a load-safety
check. A recommendation carried by wording alone has no carrier there, and fails.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from builder.build import Gathered, gather
from builder.plan import Plan
from tests.conftest import ENVIRONMENT, REPO, copy_shipped

TABLE: dict[str, dict[str, Any]] = yaml.safe_load((REPO / "tests" / "data" / "recommendations.yaml").read_text())
PROGRAMS = ("hamstring", "calf")
RUNNING = {"acceleration", "max-velocity"}
"""Session kinds whose every session must start with the shared warm-up (S7)."""


@pytest.fixture(scope="module")
def every_grade(tmp_path_factory: pytest.TempPathFactory) -> Gathered:
    """The shipped programs with one athlete of every grade of each, naming no muscle, and one of every
    grade and muscle (`calf-2-soleus`), on the shipped athletes' days."""
    project = copy_shipped(tmp_path_factory.mktemp("grades") / "project")
    roster = yaml.safe_load(project.read_text())
    athletes: dict[str, Any] = {}
    for program in PROGRAMS:
        spec = yaml.safe_load((project.parent / "programs" / f"{program}.yaml").read_text())
        base = next(a for a in roster["athletes"].values() if a["injury"]["type"] == program)
        injury = {key: value for key, value in base["injury"].items() if key != "muscle"}
        for grade in spec["grades"]:
            for muscle in (None, *spec.get("muscles", {})):
                suffix = f"-{muscle}" if muscle is not None else ""
                athletes[f"{program}-{str(grade).lower()}{suffix}"] = {
                    **base,
                    "name": f"{program} {grade}{f' {muscle}' if muscle is not None else ''}",
                    "injury": {**injury, "grade": str(grade), **({"muscle": muscle} if muscle is not None else {})},
                }
    roster["athletes"] = athletes
    project.write_text(yaml.safe_dump(roster, sort_keys=False))
    for log in (project.parent / "log").glob("*.yaml"):  # the new athletes have no records yet
        log.unlink()
    return gather(project, ENVIRONMENT)


def plans_of(gathered: Gathered, program: str) -> list[Plan]:
    """The plans of one program: one per grade, and one per grade and muscle."""
    spec = gathered.library.programs[program]
    plans = [plan for plan in gathered.plans if plan.graded.program.id == program]
    assert len(plans) == len(spec.grades) * (1 + len(spec.muscles))
    assert {(p.graded.grade, p.graded.muscle) for p in plans} == {
        (grade, muscle) for grade in spec.grades for muscle in (None, *spec.muscles)
    }
    return plans


def variant(plan: Plan) -> str:
    """The grade, and the muscle where the athlete names one: `2`, `2 soleus`."""
    muscle = plan.graded.muscle
    return plan.graded.grade if muscle is None else f"{plan.graded.grade} {muscle}"


def carried(gathered: Gathered, program: str, kind: str, value: Any) -> str | None:
    """Why the carrier does not hold, or None when it does."""
    spec = gathered.library.programs[program]
    plans = plans_of(gathered, program)
    if kind == "drill":
        missing = [
            variant(plan)
            for plan in plans
            if not any(
                item.drill.id == value
                for session in plan.sessions()
                for block in session.dose.blocks
                for item in block.items
            )
        ]
        return f"drill {value} is in no session of grade(s) {missing}" if missing else None
    if kind == "session_kind":
        missing = [variant(p) for p in plans if not any(s.dose.session.spec.kind == value for s in p.sessions())]
        return f"no {value} session at grade(s) {missing}" if missing else None
    if kind == "criterion":
        missing = [
            variant(plan)
            for plan in plans
            if not any(criterion.id == value for check_in in plan.check_ins() for criterion in check_in.criteria)
        ]
        return f"criterion {value} is checked at no check-in of grade(s) {missing}" if missing else None
    if kind == "rule":
        rule = spec.monitoring.rules.get(value)
        return None if rule is not None and rule.action else f"no monitoring rule {value}"
    if kind == "log":
        found = any(str(value).lower() in entry.lower() for entry in spec.monitoring.log)
        return None if found else f"the athlete's log asks nothing about {value!r}"
    if kind == "block":
        for plan in plans:
            running = [s for s in plan.sessions() if s.dose.session.spec.kind in RUNNING]
            without = {s.dose.session.id for s in running if not any(b.block.shared for b in s.dose.blocks[:1])}
            if (
                not running
                or without
                or {s.dose.blocks[0].block.spec.name for s in running} != {spec.blocks[value].name}
            ):
                return f"grade {variant(plan)}: running sessions without the shared {value} first: {without}"
        return None
    if kind == "check":
        turned_on = {
            "intensity-gate": any(phase.clears_pct for phase in spec.phases),
            "running-apart": spec.spacing.running_apart,
            "session-spike": True,  # always on; the shipped protocols pass it (tests/test_shipped.py)
            "weekly-high-speed": True,
            "spacing": bool(spec.spacing.kinds),
        }
        return None if turned_on.get(value) else f"check {value} is not on for {program}"
    if kind == "milestones":
        bare = [phase.id for phase in spec.phases if phase.exit and not phase.milestones]
        return f"gated phases without milestones: {bare}" if bare else None
    if kind == "deload":
        missing = [variant(plan) for plan in plans if not any(week.dosed.deload for week in plan.weeks)]
        return f"no deload week at grade(s) {missing}" if missing else None
    return f"unknown carrier kind {kind}"


def test_the_table_holds_all_26_recommendations_for_both_protocols() -> None:
    assert list(TABLE) == [f"S{number}" for number in range(1, 27)]
    for key, row in TABLE.items():
        assert row["says"], key
        for program in PROGRAMS:
            assert row[program], f"{key} has no carrier in {program}: wording alone does not carry it"


@pytest.mark.parametrize("key", list(TABLE))
def test_each_recommendation_reaches_every_grade_s_calendar(every_grade: Gathered, key: str) -> None:
    problems = [
        f"{program}: {why}"
        for program in PROGRAMS
        for carrier in TABLE[key][program]
        for kind, value in carrier.items()
        if (why := carried(every_grade, program, kind, value)) is not None
    ]
    assert problems == [], f"{key} ({TABLE[key]['says']})"


def test_a_carrier_that_is_not_in_the_plan_fails(every_grade: Gathered) -> None:
    assert carried(every_grade, "calf", "drill", "askling-diver") is not None
    assert carried(every_grade, "hamstring", "criterion", "calf-raise-25") is not None
    assert carried(every_grade, "hamstring", "log", "blood pressure") is not None
