"""Load charts: each athlete's plan and each grade of a program as bars of weekly load and a line of
high-speed metres, with the same numbers in a table; read off the built pages as a reader would, and
in a real browser without scripts on a phone-sized screen."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from builder import wording, workload
from builder.build import Gathered, build, gather
from builder.charts import ChartWeek, load_chart
from builder.linked import GradeKey
from builder.links import Links
from builder.render_pages import make_environment
from tests.browsing import CHROMIUM_FLAGS, chromium_path, serve_site
from tests.conftest import ENVIRONMENT, REPO, SECRET, copy_shipped
from tests.test_log_pages import MAYA_LOG, write_logs

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, ViewportSize

FIGURE = re.compile(r'<figure class="load-chart".*?</figure>', re.S)
SVG = re.compile(r'<svg class="chart".*?</svg>', re.S)
PHONE: ViewportSize = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def gathered() -> Gathered:
    return gather(REPO / "sprintback.yaml", ENVIRONMENT)


@dataclass(frozen=True)
class Week:
    """A week as the chart and its table show it."""

    bar_height: float
    bar_middle: float
    hatched: bool
    dot_y: float
    check_in_diamond: bool
    number: int
    dates: str | None
    phase: str
    load: int
    high_speed_m: int
    marks: str
    ratio: str


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    load_top: int
    metres_top: int
    plot_top: float
    plot_bottom: float
    weeks: list[Week]
    bars: int
    rows: int


def charts_on(page: Path) -> list[Chart]:
    """Every load chart of a page, read from its SVG and its table."""
    return [read_chart(figure) for figure in FIGURE.findall(page.read_text())]


def read_chart(figure: str) -> Chart:
    [svg_text] = SVG.findall(figure)
    svg = ET.fromstring(svg_text)  # inline SVG must be well-formed XML
    assert svg.get("role") == "img"
    assert svg.get("viewBox", "").startswith("0 0 ")
    title = svg.find("title")
    desc = svg.find("desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    patterns = {pattern.get("id") for pattern in svg.iter("pattern")}

    grid_path = svg.find("path[@class='grid']")
    assert grid_path is not None
    grid = sorted(float(y) for y in re.findall(r"M[\d.]+ ([\d.]+)H", grid_path.get("d", "")))
    plot_top, plot_bottom = grid[0], grid[-1]
    load_scale = [int(text.text or "") for text in svg.iterfind("g[@class='scale load-scale']/text")]
    metres_scale = [int(text.text or "") for text in svg.iterfind("g[@class='scale high-speed-scale']/text")]
    bars = svg.findall("g[@class='bars']/rect")
    [line] = svg.iterfind("defs/polyline")
    assert [use.get("href") for use in svg.iterfind("use[@class='line']")] == [f"#{line.get('id')}"]
    dots = [tuple(map(float, point.split(","))) for point in (line.get("points") or "").split()]
    assert line.get("marker-mid", "").startswith("url(#"), "each week's metres are a dot on the line"
    diamonds = [float(use.get("x", "")) for use in svg.iterfind("g[@class='check-ins']/use")]

    table = ET.fromstring(re.search(r"<table>.*?</table>", figure, re.S)[0])  # type: ignore[index]
    rows = []
    for body in table.iterfind("tbody"):
        [heading, *lines] = body.iterfind("tr")
        phase = "".join(heading.itertext())
        for line_ in lines:
            cells = ["".join(cell.itertext()) for cell in line_]
            rows.append((phase, cells))
    header = table.find("thead/tr")
    dated = header is not None and len(header) == 6

    weeks = []
    for bar, dot, (phase, cells) in zip(bars, dots, rows, strict=True):
        x, width = float(bar.get("x", "")), float(bar.get("width", ""))
        assert dot[0] == pytest.approx(x + width / 2, abs=0.2), "a week's dot stands over its bar"
        hatched = bar.get("class") == "deload"
        if hatched:
            assert bar.get("fill", "").removeprefix("url(#").removesuffix(")") in patterns
        number, *rest = cells
        dates = rest.pop(0) if dated else None
        load, metres, marks, ratio = rest
        weeks.append(
            Week(
                bar_height=float(bar.get("height", "")),
                bar_middle=x + width / 2,
                hatched=hatched,
                dot_y=dot[1],
                check_in_diamond=any(abs(diamond - (x + width / 2)) < 0.2 for diamond in diamonds),
                number=int(number),
                dates=dates,
                phase=phase,
                load=int(load),
                high_speed_m=int(metres),
                marks=marks,
                ratio=ratio,
            )
        )
    return Chart(
        title=title.text or "",
        description=desc.text or "",
        load_top=max(load_scale),
        metres_top=max(metres_scale),
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        weeks=weeks,
        bars=len(bars),
        rows=len(rows),
    )


def athlete_page(site: Path, gathered: Gathered, athlete_id: str) -> Path:
    plan = next(plan for plan in gathered.plans if plan.athlete_id == athlete_id)
    return site / Links(SECRET.encode()).athlete_dir(athlete_id, plan.athlete) / "index.html"


def assert_drawn_to_scale(chart: Chart) -> None:
    """Bars and dots stand where their numbers put them on their own scales, and every number fits."""
    height = chart.plot_bottom - chart.plot_top
    loads = [week.load for week in chart.weeks]
    metres = [week.high_speed_m for week in chart.weeks]
    assert max(loads) <= chart.load_top < 2 * max(loads)
    assert max(metres) <= chart.metres_top and (chart.metres_top < 2 * max(metres) or max(metres) == 0)
    for week in chart.weeks:
        assert week.bar_height == pytest.approx(week.load / chart.load_top * height, abs=0.15)
        expected = chart.plot_bottom - week.high_speed_m / chart.metres_top * height
        assert week.dot_y == pytest.approx(expected, abs=0.15)


@pytest.mark.parametrize(
    "athlete_id", ["maya-okafor", "tom-becker", "lena-ruiz", "sam-kowalski", "jordan-ali", "ana-silva"]
)
def test_an_athletes_chart_shows_each_week_of_the_plan(shipped_site: Path, gathered: Gathered, athlete_id: str) -> None:
    plan = next(plan for plan in gathered.plans if plan.athlete_id == athlete_id)
    [chart] = charts_on(athlete_page(shipped_site, gathered, athlete_id))
    counted = workload.week_loads(plan)
    assert chart.bars == chart.rows == len(plan.weeks)
    assert [(week.load, week.high_speed_m) for week in chart.weeks] == [(w.load, w.high_speed_m) for w in counted]
    assert [week.number for week in chart.weeks] == [w.number for w in plan.weeks]
    assert [week.dates for week in chart.weeks] == [wording.chart_dates_text(w.start, w.end) for w in plan.weeks]
    assert [week.phase for week in chart.weeks] == [
        wording.chart_phase_text(w.phase.number, w.phase.title) for w in plan.weeks
    ]
    deloads = [w.dosed.deload for w in plan.weeks]
    check_ins = [w.check_in is not None for w in plan.weeks]
    assert [week.hatched for week in chart.weeks] == deloads
    assert ["deload" in week.marks.split(", ") for week in chart.weeks] == deloads
    assert [week.check_in_diamond for week in chart.weeks] == check_ins
    assert ["check-in" in week.marks.split(", ") for week in chart.weeks] == check_ins
    assert_drawn_to_scale(chart)
    assert chart.title == wording.CHART_TITLE
    # The load ratio needs four weeks of history; then it is a ratio to two decimals.
    assert [week.ratio for week in chart.weeks][:3] == ["–"] * 3
    assert all(re.fullmatch(r"\d+\.\d\d", week.ratio) for week in chart.weeks[3:])


def test_the_load_ratio_is_the_week_over_the_mean_of_the_four_weeks_ending_with_it(
    shipped_site: Path, gathered: Gathered
) -> None:
    [chart] = charts_on(athlete_page(shipped_site, gathered, "maya-okafor"))
    assert [week.load for week in chart.weeks] == [620, 620, 740, 904, 752, 904, 848, 940, 940, 940, 564]
    # Week 4: 904 / ((620 + 620 + 740 + 904) / 4 = 721) = 1.25; week 5: 752 / (3,016 / 4 = 754) = 1.00;
    # week 11: 564 / (3,384 / 4 = 846) = 0.67.
    assert [week.ratio for week in chart.weeks] == [
        "–", "–", "–", "1.25", "1.00", "1.10", "1.00", "1.09", "1.04", "1.03", "0.67"
    ]  # fmt: skip


def test_an_athletes_chart_is_of_the_plan_as_the_log_made_it(tmp_path: Path) -> None:
    """A failed check-in repeats a week and a pause cuts one short: the chart has a bar for each week
    the plan now holds, with the loads of the sessions left in it."""
    project = copy_shipped(tmp_path / "project")
    write_logs(project, {"maya-okafor": MAYA_LOG})
    built = build(project, ENVIRONMENT, output=tmp_path / "site")
    plan = next(plan for plan in built.gathered.plans if plan.athlete_id == "maya-okafor")
    first = plan.first_planned
    assert first is not None and len(plan.weeks) > len(first.weeks)
    assert any(week.repeat for week in plan.weeks) and any(week.days < 7 for week in plan.weeks)
    page = built.output / built.links.athlete_dir(plan.athlete_id, plan.athlete) / "index.html"
    [chart] = charts_on(page)
    assert chart.bars == chart.rows == len(plan.weeks)
    counted = workload.week_loads(plan)
    assert [(week.load, week.high_speed_m) for week in chart.weeks] == [(w.load, w.high_speed_m) for w in counted]
    assert [week.dates for week in chart.weeks] == [wording.chart_dates_text(w.start, w.end) for w in plan.weeks]


def test_the_shipped_plans_have_deloads_and_check_ins_to_mark(gathered: Gathered) -> None:
    """The athlete tests above mean something only if the shipped plans have both kinds of week."""
    weeks = [week for plan in gathered.plans for week in plan.weeks]
    assert any(week.dosed.deload for week in weeks)
    assert any(week.check_in is not None for week in weeks)
    assert any(week.check_in is None and not week.dosed.deload for week in weeks)


def test_the_program_page_charts_each_grade(shipped_site: Path, gathered: Gathered) -> None:
    for program in gathered.resolution.programs:
        page = shipped_site / "programs" / program.id / "index.html"
        charts = charts_on(page)
        grades = list(program.spec.grades)
        assert len(charts) == len(grades)
        text = page.read_text()
        assert text.index('id="grades"') < text.index('class="load-chart"') < text.index('id="sessions"')
        for grade, chart in zip(grades, charts, strict=True):
            weeks = gathered.weeks[GradeKey(program.id, grade)]
            assert chart.title == wording.grade_chart_title(grade)
            assert chart.bars == chart.rows == len(weeks)
            assert [(week.load, week.high_speed_m) for week in chart.weeks] == [
                workload.totals(week.sessions) for week in weeks
            ]
            assert [week.number for week in chart.weeks] == list(range(1, len(weeks) + 1))
            assert all(week.dates is None for week in chart.weeks)
            # Numbered as the page's list of phases numbers them, whichever phases the grade skips.
            assert [week.phase for week in chart.weeks] == [
                wording.chart_phase_text([p.id for p in program.phases].index(week.phase.id) + 1, week.phase.title)
                for week in weeks
            ]
            assert [week.hatched for week in chart.weeks] == [week.deload for week in weeks]
            assert ["deload" in week.marks for week in chart.weeks] == [week.deload for week in weeks]
            assert [week.check_in_diamond for week in chart.weeks] == [week.closes_phase for week in weeks]
            assert ["check-in" in week.marks for week in chart.weeks] == [week.closes_phase for week in weeks]
            assert_drawn_to_scale(chart)


def test_the_description_names_the_deload_and_check_in_weeks(shipped_site: Path, gathered: Gathered) -> None:
    [chart] = charts_on(athlete_page(shipped_site, gathered, "lena-ruiz"))
    assert "Deloads (hatched): week 16." in chart.description
    assert "Check-ins (diamonds): weeks 3, 5, 7, 9, 11, 12 and 16." in chart.description
    assert f"left scale 0 to {chart.load_top}" in chart.description
    assert f"right scale 0 to {chart.metres_top}" in chart.description


def test_each_chart_names_its_parts_uniquely_on_the_page(shipped_site: Path) -> None:
    """Several charts on one page (a program's grades) must not share ids: a deload's hatching or a
    chart's title would then come from another chart."""
    page = (shipped_site / "programs" / "hamstring" / "index.html").read_text()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for figure in FIGURE.findall(page):
        chart_id = re.match(r'<figure class="load-chart" id="([^"]+)"', figure)[1]  # type: ignore[index]
        references = set(re.findall(r'(?:href="#|url\(#)([^")]+)', figure))
        assert references and all(reference.startswith(chart_id + "-") for reference in references)


def test_a_twenty_week_chart_weighs_no_more_than_8_kb(gathered: Gathered) -> None:
    """The chart and its table are on every athlete page: a long plan's must stay light. Twenty weeks
    of the hamstring program's grade 3 phases (the longest titles shipped), three weeks each."""
    phases = gathered.resolution.graded[GradeKey("hamstring", "3")].phases
    start = dt.date(2026, 11, 30)
    weeks = []
    for number in range(1, 21):
        phase = phases[min((number - 1) // 3, len(phases) - 1)]
        monday = start + dt.timedelta(weeks=number - 1)
        dates = wording.chart_dates_text(monday, monday + dt.timedelta(days=6))
        weeks.append(ChartWeek(number, dates, phase.number, phase.title, 1425, 1540, number % 4 == 0, number % 3 == 0))
    chart = load_chart("load", wording.CHART_TITLE, weeks)
    html = make_environment(gathered.library).get_template("_load_chart.html").render(chart=chart)
    assert html.count("<tr><th>") == 21  # the header and the twenty weeks
    assert len(html.encode()) <= 8 * 1024


# --- in a browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(shipped_site: Path) -> Iterator[str]:
    with serve_site(shipped_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone-sized page with scripts off."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def smallest_text_px(svg: Locator) -> float:
    """The height in screen pixels of the chart's smallest text, as the viewBox scales it."""
    return float(
        svg.evaluate(
            """svg => Math.min(...[...svg.querySelectorAll('text')].map(text =>
                parseFloat(getComputedStyle(text).fontSize) * svg.getBoundingClientRect().width
                / svg.viewBox.baseVal.width))"""
        )
    )


def assert_readable_on_a_phone(figure: Locator) -> None:
    svg = figure.locator("svg.chart")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert smallest_text_px(svg) >= 12
    assert figure.locator("table").count() == 1


def test_an_athletes_chart_shows_on_a_phone_without_scripts(
    phone: Page, site_url: str, shipped_site: Path, gathered: Gathered
) -> None:
    page = athlete_page(shipped_site, gathered, "lena-ruiz")
    phone.goto(site_url + page.parent.relative_to(shipped_site).as_posix() + "/")
    [figure] = phone.locator("#phases figure.load-chart").all()
    assert_readable_on_a_phone(figure)
    assert figure.locator("svg.chart g.bars rect").count() == 16


def test_each_grade_chart_shows_on_a_phone_without_scripts(phone: Page, site_url: str, gathered: Gathered) -> None:
    phone.goto(site_url + "programs/calf/")
    figures = phone.locator("#grades figure.load-chart").all()
    assert len(figures) == len(next(p for p in gathered.resolution.programs if p.id == "calf").spec.grades)
    for figure in figures:
        assert_readable_on_a_phone(figure)


def test_the_table_opens_from_the_keyboard_and_shows_when_printed(
    phone: Page, site_url: str, shipped_site: Path, gathered: Gathered
) -> None:
    page = athlete_page(shipped_site, gathered, "maya-okafor")
    phone.goto(site_url + page.parent.relative_to(shipped_site).as_posix() + "/")
    figure = phone.locator("figure.load-chart")
    table = figure.locator("table")
    assert not table.is_visible()
    phone.emulate_media(media="print")
    assert table.is_visible()
    phone.emulate_media(media="screen")
    assert not table.is_visible()
    figure.locator("summary").focus()
    phone.keyboard.press("Enter")
    assert table.is_visible()
    assert table.locator("tbody tr:has(td)").count() == 11
    assert table.evaluate("table => table.scrollWidth <= table.clientWidth"), "the table fits a phone's width"
