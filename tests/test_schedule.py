"""Placing sessions on training days, and the one-minute floor of a deload, through real plans.

Expected dates are worked out by hand from the mini fixture (tests/fixtures/mini): ana (grade 2)
runs early (2 weeks) then speed (3 weeks, week 3 a deload at volume 0.5); ben (grade 1) starts
Mon 2027-01-04 and runs early for 1 week, then speed for 2 weeks. Sprint (29 minutes) is the one
hard session kind (48 hours apart).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.build import gather
from builder.plan import Plan
from tests.conftest import ENVIRONMENT, edit


def program_file(project: Path) -> Path:
    return project.parent / "programs" / "adductor.yaml"


def plan_of(project: Path, athlete: str) -> Plan:
    return next(plan for plan in gather(project, ENVIRONMENT).plans if plan.athlete_id == athlete)


def days_of(plan: Plan) -> list[list[tuple[str, dt.date]]]:
    """Each week's sessions as (session id, date)."""
    return [[(s.dose.session.id, s.date) for s in week.sessions] for week in plan.weeks]


def jan(day: int) -> dt.date:
    return dt.date(2027, 1, day)


def test_two_hard_sessions_on_three_days_in_a_row_skip_the_middle_day(mini: Path) -> None:
    edit(program_file(mini), "pattern: [sprint, strength, sprint]", "pattern: [sprint, sprint]")
    edit(mini, "training_days: [tue, thu, sat, sun]", "training_days: [mon, tue, wed]")
    # Ben's week of early loading has no hard session. In speed, Tuesday would be the even spread for the
    # second sprint, but it is a day after Monday's.
    assert days_of(plan_of(mini, "ben")) == [
        [("technique", jan(4)), ("strength", jan(5)), ("technique", jan(6))],
        [("sprint", jan(11)), ("sprint", jan(13))],
        [("sprint", jan(18)), ("sprint", jan(20))],
    ]


def test_a_hard_session_pushed_by_last_week_does_not_share_a_day(mini: Path) -> None:
    """Weeks run Tue to Mon on training days mon, tue, wed: in week order Tue, Wed, Mon.

    Early ends each week with the sprint on Monday, the week's last day. Speed's first week
    (pattern sprint, strength) cannot sprint on Tuesday, a day later: the sprint goes on
    Wednesday and the strength session after it, on Monday, not on Wednesday as well.
    """
    edit(mini, "start: 2027-01-06          # a Wednesday", "start: 2027-01-05  # a Tuesday")
    edit(mini, "training_days: [mon, wed, fri, sat]", "training_days: [mon, tue, wed]")
    program = program_file(mini)
    edit(program, "pattern: [technique, strength, technique]", "pattern: [technique, strength, sprint]")
    edit(program, "pattern: [sprint, strength, sprint]", "pattern: [sprint, strength]")
    assert days_of(plan_of(mini, "ana")) == [
        [("technique", jan(5)), ("strength", jan(6)), ("sprint", jan(11))],
        [("technique", jan(12)), ("strength", jan(13)), ("sprint", jan(18))],
        [("sprint", jan(20)), ("strength", jan(25))],
        [("sprint", jan(26)), ("strength", jan(27))],
        [("sprint", dt.date(2027, 2, 2)), ("strength", dt.date(2027, 2, 3))],
    ]


def test_a_one_minute_session_stays_one_minute_in_a_deload_week(mini: Path) -> None:
    program = program_file(mini)
    edit(program, "  volume: 0.5\n", "  volume: 0.4\n")
    edit(program, "    minutes: 30\n", "    minutes: 1\n")  # the strength session
    ana = plan_of(mini, "ana")
    normal, deload = ana.weeks[3], ana.weeks[4]  # speed weeks 2 and 3
    assert (normal.dosed.deload, deload.dosed.deload) == (False, True)
    assert [s.dose.minutes for s in normal.sessions] == [29, 1, 29]
    # 29 x 0.4 = 11.6 rounds to 12; 1 x 0.4 = 0.4 rounds to 0, and a session lasts at least a minute.
    assert [s.dose.minutes for s in deload.sessions] == [12, 1, 12]
