"""Load charts: a plan's weeks as bars of training load with a line of high-speed metres, and as a table.

The geometry is worked out here, in the units of the SVG's viewBox, so that the template
`_load_chart.html` only lays it out. The viewBox is about as wide as a phone's screen, so
that its text (13 units) stays at least 12 px high on a 375 px wide screen. Load and
high-speed metres are counted by `workload.py` alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from builder import wording
from builder.linked import LinkedProgram
from builder.plan import DosedWeek, Plan
from builder.workload import HIGH_SPEED_PCT, load_ratios, totals, week_loads

WIDTH = 340
"""The viewBox's width: a phone screen's width in CSS pixels, give or take."""
LEFT = RIGHT = 40
"""Room for the scales' numbers, the load's on the left and the metres' on the right."""
BAND_LABEL_Y = 14
"""The baseline of the phases' numbers, at the top of their bands."""
PLOT_TOP = 26
PLOT_BOTTOM = 156
MARKER_Y = 166
"""The middle of a check-in's diamond, under its week's bar."""
WEEK_Y = 190
"""The baseline of the week numbers."""
HEIGHT = 196
INTERVALS = 4
"""Steps of both scales: their grid lines coincide."""
TEXT_WIDTH = 8
"""About the width of a digit at the chart's font size, to keep labels from overlapping."""
BAR_SHARE = 0.7
"""Of each week's width, the share its bar takes."""
WIDEST_BAR = 24


@dataclass(frozen=True, slots=True)
class ChartWeek:
    """A week as a chart takes it."""

    number: int
    """Position in the plan, from 1."""
    dates: str | None
    """The week's dates, for an athlete's plan."""
    phase_number: int
    phase: str
    """The phase's title."""
    load: int
    high_speed_m: int
    deload: bool
    check_in: bool


@dataclass(frozen=True, slots=True)
class Bar:
    """A week's load as a bar; a deload week's bar is hatched."""

    x: float
    y: float
    width: float
    height: float
    deload: bool


@dataclass(frozen=True, slots=True)
class Label:
    """A text of the chart, at its place."""

    x: float
    text: str


@dataclass(frozen=True, slots=True)
class Tick:
    """A grid line, with its value on each scale."""

    y: float
    load: str
    high_speed_m: str


@dataclass(frozen=True, slots=True)
class Band:
    """The weeks of a phase, behind the bars: shaded every other phase, numbered at the top when it fits."""

    x: float
    width: float
    shaded: bool
    label: Label | None


@dataclass(frozen=True, slots=True)
class Row:
    """A line of the chart's table."""

    week: int
    dates: str | None
    load: int
    high_speed_m: int
    marks: str
    ratio: str
    """The acute:chronic workload ratio, as information."""


@dataclass(frozen=True, slots=True)
class RowGroup:
    """The table's lines of one phase, under its heading."""

    heading: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class PhaseKey:
    number: int
    title: str


@dataclass(frozen=True, slots=True)
class ChartWords:
    """The chart's fixed words (builder/wording.py, "load charts")."""

    load_axis: str = wording.CHART_LOAD_AXIS
    high_speed_axis: str = wording.CHART_HIGH_SPEED_AXIS
    week_axis: str = wording.CHART_WEEK_AXIS
    deload_key: str = wording.CHART_DELOAD_KEY
    check_in_key: str = wording.CHART_CHECK_IN_KEY
    phases_key: str = wording.CHART_PHASES_KEY
    numbers: str = wording.CHART_NUMBERS
    week_column: str = wording.CHART_WEEK_COLUMN
    dates_column: str = wording.CHART_DATES_COLUMN
    load_column: str = wording.CHART_LOAD_COLUMN
    high_speed_column: str = wording.CHART_HIGH_SPEED_COLUMN
    marks_column: str = wording.CHART_MARKS_COLUMN
    ratio_column: str = wording.CHART_RATIO_COLUMN
    ratio_note: str = wording.CHART_RATIO_NOTE


@dataclass(frozen=True, slots=True)
class LoadChart:
    """A chart of weekly load and high-speed metres, and its table, laid out and worded."""

    id: str
    """Unique on its page: the SVG's title, description and patterns are named after it."""
    title: str
    description: str
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    grid: str
    """The grid lines, one at each tick, as a path: `M40 156H300...`."""
    bars: tuple[Bar, ...]
    line: str
    """The high-speed metres as the points of a polyline, a dot on each: `x,y x,y ...`."""
    check_ins: tuple[float, ...]
    """The x of each check-in's diamond."""
    weeks: tuple[Label, ...]
    """Week numbers under the bars: every week's, or every few weeks' when they are many."""
    phases: tuple[PhaseKey, ...]
    groups: tuple[RowGroup, ...]
    dated: bool
    """The weeks have dates (an athlete's plan): the table has a column for them."""
    words: ChartWords = ChartWords()
    width: int = WIDTH
    height: int = HEIGHT
    band_height: int = PLOT_BOTTOM
    band_label_y: int = BAND_LABEL_Y
    load_scale_x: int = LEFT - 4
    high_speed_scale_x: int = WIDTH - RIGHT + 4
    marker_y: int = MARKER_Y
    week_y: int = WEEK_Y
    week_axis_x: int = LEFT - 4

    @property
    def columns(self) -> int:
        """Columns of the table."""
        return 6 if self.dated else 5


def load_chart(chart_id: str, title: str, weeks: Sequence[ChartWeek]) -> LoadChart:
    """The chart of some weeks: bars of load on the left scale, a line of high-speed metres on the right."""
    count = max(len(weeks), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    load_step = _step(max((week.load for week in weeks), default=0))
    metres_step = _step(max((week.high_speed_m for week in weeks), default=0))
    bar_width = min(slot * BAR_SHARE, WIDEST_BAR)

    def middle(index: int) -> float:
        return LEFT + (index + 0.5) * slot

    def height(value: int, step: int) -> float:
        return value / (step * INTERVALS) * (PLOT_BOTTOM - PLOT_TOP)

    bars = tuple(
        Bar(
            _round(middle(index) - bar_width / 2),
            _round(PLOT_BOTTOM - height(week.load, load_step)),
            _round(bar_width),
            _round(height(week.load, load_step)),
            week.deload,
        )
        for index, week in enumerate(weeks)
    )
    points = [
        (_round(middle(index)), _round(PLOT_BOTTOM - height(week.high_speed_m, metres_step)))
        for index, week in enumerate(weeks)
    ]
    ticks = tuple(
        Tick(_round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * n / INTERVALS), str(n * load_step), str(n * metres_step))
        for n in range(INTERVALS + 1)
    )
    every = _label_every(slot)
    bands: list[Band] = []
    groups: list[RowGroup] = []
    start = 0
    ratios = iter(load_ratios([week.load for week in weeks]))
    for (number, phase), run in itertools.groupby(weeks, key=lambda week: (week.phase_number, week.phase)):
        members = tuple(run)
        width = len(members) * slot
        text = str(number)
        fits = width >= TEXT_WIDTH * len(text) + 4
        label = Label(_round(LEFT + start * slot + width / 2), text) if fits else None
        bands.append(Band(_round(LEFT + start * slot), _round(width), len(bands) % 2 == 0, label))
        groups.append(
            RowGroup(
                wording.chart_phase_text(number, phase),
                tuple(
                    Row(
                        week.number,
                        week.dates,
                        week.load,
                        week.high_speed_m,
                        wording.chart_marks_text(week.deload, week.check_in),
                        wording.chart_ratio_text(next(ratios)),
                    )
                    for week in members
                ),
            )
        )
        start += len(members)
    return LoadChart(
        id=chart_id,
        title=title,
        description=wording.chart_description(
            load_step * INTERVALS,
            metres_step * INTERVALS,
            HIGH_SPEED_PCT,
            [week.number for week in weeks if week.deload],
            [week.number for week in weeks if week.check_in],
        ),
        bands=tuple(bands),
        ticks=ticks,
        grid="".join(f"M{LEFT} {tick.y:g}H{WIDTH - RIGHT}" for tick in ticks),
        bars=bars,
        line=" ".join(f"{x:g},{y:g}" for x, y in points),
        check_ins=tuple(_round(middle(index)) for index, week in enumerate(weeks) if week.check_in),
        weeks=tuple(
            Label(_round(middle(index)), str(week.number))
            for index, week in enumerate(weeks)
            if every == 1 or week.number % every == 0
        ),
        phases=tuple(
            PhaseKey(number, title) for number, title in dict.fromkeys((w.phase_number, w.phase) for w in weeks)
        ),
        groups=tuple(groups),
        dated=any(week.dates is not None for week in weeks),
    )


def plan_chart(plan: Plan) -> LoadChart:
    """The chart of an athlete's plan, week by week with its dates."""
    weeks = [
        ChartWeek(
            number=counted.week.number,
            dates=wording.chart_dates_text(counted.week.start, counted.week.end),
            phase_number=counted.week.phase.number,
            phase=counted.week.phase.title,
            load=counted.load,
            high_speed_m=counted.high_speed_m,
            deload=counted.week.dosed.deload,
            check_in=counted.week.check_in is not None,
        )
        for counted in week_loads(plan)
    ]
    return load_chart("load", wording.CHART_TITLE, weeks)


@dataclass(frozen=True, slots=True)
class GradeChart:
    """A grade of a program and the chart of its weeks, for the program page."""

    grade: str
    heading: str
    chart: LoadChart


def grade_charts(program: LinkedProgram, grades: Sequence[tuple[str, Sequence[DosedWeek]]]) -> tuple[GradeChart, ...]:
    """A chart for each grade of a program (in the order given), from the weeks the dose stage made for it.

    Phases are numbered as the program page lists them, whichever a grade skips. A grade's weeks
    have no dates; the check-in closes each phase's last week.
    """
    numbers = {phase.id: number for number, phase in enumerate(program.phases, start=1)}
    charts = []
    for index, (grade, dosed) in enumerate(grades, start=1):
        weeks = []
        for number, week in enumerate(dosed, start=1):
            load, metres = totals(week.sessions)
            phase = week.phase
            weeks.append(
                ChartWeek(number, None, numbers[phase.id], phase.title, load, metres, week.deload, week.closes_phase)
            )
        chart = load_chart(f"load-{index}", wording.grade_chart_title(grade), weeks)
        charts.append(GradeChart(grade, wording.grade_heading(grade), chart))
    return tuple(charts)


def _step(largest: int) -> int:
    """The smallest round step (1, 2, 2.5, 4 or 5 times a power of ten; whole) whose INTERVALS steps reach `largest`."""
    power = 1
    while True:
        for factor in (1, 2, 2.5, 4, 5):
            step = factor * power
            if step == int(step) and step * INTERVALS >= largest:
                return int(step)
        power *= 10


def _label_every(slot: float) -> int:
    """Label every week, or every 2nd, 5th, 10th... so that two-digit week numbers do not touch."""
    for every in itertools.chain((1, 2), itertools.count(5, 5)):
        if slot * every >= TEXT_WIDTH * 3:
            return every
    raise AssertionError("unreachable")


def _round(value: float) -> float:
    """A coordinate to a tenth of a unit: finer is invisible and only makes the page heavier."""
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded
