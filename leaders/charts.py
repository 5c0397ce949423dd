"""The leaders' charts, drawn on the server by pygal as SVG and placed inline in the page.

Inline SVG needs no JavaScript, scales to any screen, and prints as sharp vectors in the A4 report. Each chart is
given a function returning figures that ``leaders.dashboard`` reads; drawing itself never queries the database.

Drawing the page's eight charts costs pygal several times the page's SQL, since the figures come from small counter
tables, and on a hand-out day nearly every request changes the figures. So each drawing is kept in Django's cache
(shared by every app server when ``REDIS_URL`` is set) under what it shows (the chart, the campaign, the units and
the filters: its ``subject``), with a digest of its figures and the time they were read. A chart whose figures were
read less than ``STALE_SECONDS`` ago is shown without reading them again, and every chart says when its figures
were read ("số liệu lúc 10:31:05"). Older, its figures are read again (``read``, a function, so a fresh chart costs
no query) and it is drawn again only if they changed. The headline and the tables beside the charts are read on
every request, so they are always exact.
"""

import datetime
import hashlib
import logging
import math
from dataclasses import dataclass

import pygal
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from pygal.style import Style

from relief.templatetags.relief_format import format_count, format_vnd

logger = logging.getLogger(__name__)

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'

# Two drawings of every chart, one shown at a time by leaders.css: an SVG scales its text with its width, so one
# drawing cannot be readable both on a 360-px phone and across a desktop screen or an A4 page.
SIZES = {
    "wide": {"width": 800, "font": 14, "max_scale": 10, "legend_columns": 2, "aspect": 0.4},
    "narrow": {"width": 380, "font": 13, "max_scale": 5, "legend_columns": 1, "aspect": 0.65},
}


def _style(font):
    """White background and dark text so the charts print on plain paper; the app's red first, then hues that stay
    apart in greyscale."""
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1d2430",
        foreground_strong="#1d2430",
        foreground_subtle="#5b6577",
        opacity="1",
        opacity_hover="1",
        colors=("#b3261e", "#1f6feb", "#1b7f3b", "#9a6700", "#6f42c1", "#0f766e", "#c2410c", "#475569"),
        font_family=FONT,
        label_font_family=FONT,
        major_label_font_family=FONT,
        legend_font_family=FONT,
        title_font_family=FONT,
        value_font_family=FONT,
        value_label_font_family=FONT,
        tooltip_font_family=FONT,
        no_data_font_family=FONT,
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font,
        value_font_size=font,
        no_data_font_size=font + 6,
    )


def _without_scripts(tree):
    """Drop the <script> pygal always writes (its tooltip configuration): our pages run no inline JavaScript."""
    for parent in tree.iter():
        for child in [child for child in parent if str(child.tag).endswith("script")]:
            parent.remove(child)
    return tree


def _integer_ticks(largest, most):
    """Whole-number axis ticks: pygal would label 0.2, 0.4 … which a count of bags or households never is."""
    step = max(1, math.ceil(largest / most))
    return list(range(0, largest + step, step))


CHART_SECONDS = 3600  # how long the cache keeps a drawing nobody looks at
STALE_SECONDS = 60  # how long a chart is shown without reading its figures again; the page says when they were read


@dataclass(frozen=True)
class Drawing:
    """A chart's SVG, safe HTML for the template, with its caption and when its figures were read."""

    svg: str
    caption: str
    read_at: datetime.datetime

    def __html__(self):
        return self.svg

    def __str__(self):
        return self.svg


def drawings(reads, *, subject, max_age=STALE_SECONDS):
    """``{chart name: Drawing}`` of the charts ``reads`` names (``{name: read}``, names of ``PLANS``) for ``subject``.

    A chart's kept drawing is shown if its figures are younger than ``max_age`` seconds; else it is drawn from
    ``plan(read())`` (``(caption, figures, build)``) unless those figures are the kept ones. The kept drawings come
    from the shared cache in one round trip, and those read again go back in one: on a hand-out day every round trip
    of a request waits its turn behind the hand-outs.

    ``figures``, everything the drawing shows (a tuple of plain values), tells whether the kept drawing is current;
    ``build(width, font, config)`` makes the pygal chart, which escapes every label it writes, so the SVG is safe HTML.
    """
    keys = {name: "chart:" + hashlib.sha256(repr((name, subject)).encode()).hexdigest() for name in reads}
    kept = _cache_call(cache.get_many, list(keys.values())) or {}
    now = timezone.now()
    shown, to_keep = {}, {}
    for name, read in reads.items():
        old = kept.get(keys[name])
        if old is not None and now - old[3] < datetime.timedelta(seconds=max_age):
            shown[name] = Drawing(mark_safe(old[1]), old[2], old[3])
            continue
        caption, figures, build = PLANS[name](read())
        digest = hashlib.sha256(repr((caption, figures)).encode()).hexdigest()
        svg = (
            old[1]
            if old is not None and old[0] == digest
            else _draw(build, f"Biểu đồ {caption[0].lower()}{caption[1:]}")
        )
        to_keep[keys[name]] = (digest, svg, caption, now)
        shown[name] = Drawing(mark_safe(svg), caption, now)
    if to_keep:
        _cache_call(cache.set_many, to_keep, CHART_SECONDS)
    return shown


def _cache_call(method, *args):
    """A call to the shared cache that cannot take the page down: the cache only saves drawing work, so when it
    does not answer (Redis stopped, restarting, unreachable) the chart is drawn from fresh figures and the failure
    is logged."""
    try:
        return method(*args)
    except Exception:  # the backend's own errors (redis.ConnectionError, timeouts) share no narrower base
        logger.warning("The chart cache did not answer; drawing without it.", exc_info=True)
        return None


def _draw(build, label):
    """Render ``build(width, font, config)`` at each size; ``label`` names the chart for screen readers, which
    otherwise read out every axis tick."""

    def described(tree):
        tree.set("role", "img")
        tree.set("aria-label", label)
        return tree

    parts = []
    for name, size in SIZES.items():
        config = {
            "style": _style(size["font"]),
            "js": [],
            "disable_xml_declaration": True,
            "no_data_text": "Chưa có số liệu",
            "show_legend": False,
            "width": size["width"],
            "margin": 10,
            "truncate_label": -1,
            "truncate_legend": -1,
            "max_scale": size["max_scale"],
            "legend_at_bottom_columns": size["legend_columns"],
            "height": int(size["width"] * size["aspect"]),
        }
        chart = build(size["width"], size["font"], config)
        chart.add_xml_filter(_without_scripts)
        chart.add_xml_filter(described)
        parts.append(f'<div class="svg-{name}">{chart.render(is_unicode=True)}</div>')
    return "".join(parts)


# How the first day of a bar is labelled, by the bar's unit (``leaders.dashboard.HandOutBars``).
BAR_LABELS = {"day": "%d/%m", "week": "%d/%m", "month": "%m/%Y", "year": "%Y"}


def _handouts_plan(bars):
    """Bars of bags handed out per day, week, month or year; only about a dozen bars are labelled so labels never
    overlap. ``bars`` is a ``leaders.dashboard.HandOutBars``, at most ``MOST_BARS`` bars."""
    values = bars.bars

    def build(width, font, config):
        chart = pygal.Bar(
            **config,
            x_label_rotation=-40 if len(values) > 6 else 0,
            show_minor_x_labels=False,
            value_formatter=format_count,
        )
        chart.x_labels = [start.strftime(BAR_LABELS[bars.unit]) for start, _ in values]
        chart.x_labels_major = chart.x_labels[:: max(len(values) // (12 if width > 500 else 6), 1)]
        chart.y_labels = _integer_ticks(max((n for _, n in values), default=0), config["max_scale"])
        chart.add("Túi đã trao", [n for _, n in values])
        return chart

    return f"Số túi trao theo {bars.unit_word}", (bars.unit, tuple(values)), build


def _values_after_bars(tree):
    """pygal centres a value on its bar's end, so a horizontal bar's end ran through its own label: the label starts
    just past the end instead, in the room the chart keeps on its right (``margin_right``)."""
    for element in tree.iter():
        if str(element.tag).endswith("text") and element.get("class") == "value":
            element.set("text-anchor", "start")
    return tree


def _coverage_plan(rows):
    """Horizontal bars of the share of approved households served in each ward (``rows``, the table's rows), on a
    fixed 0-100 % scale."""
    rows = list(reversed(rows))  # pygal draws the first label at the bottom: the table's first ward is the top bar

    def build(width, font, config):
        config["height"] = max(160, int(font * 2.4) * len(rows) + 70)  # one bar per ward, whatever their number
        chart = pygal.HorizontalBar(
            **config,
            margin_right=font * 4,  # room for "100 %" past the longest bar
            range=(0, 100),
            y_labels=[0, 25, 50, 75, 100],
            print_values=True,
            print_values_position="top",
            value_formatter=lambda value: f"{value:.0f} %",
        )
        chart.x_labels = [row.ward.name for row in rows]
        chart.add("Tỷ lệ hộ đã nhận túi", [round(row.figures.coverage, 1) for row in rows])
        chart.add_xml_filter(_values_after_bars)
        return chart

    figures = tuple((row.ward.name, round(row.figures.coverage, 1)) for row in rows)
    return "Tỷ lệ hộ được duyệt đã nhận túi theo đơn vị nhận", figures, build


def _money_plan(kinds):
    """A ring of the money given by each kind of donor (``kinds``, ``[(kind, đồng, bags)]``); the legend carries
    the amounts, so it reads in print."""
    given = [(label, amount) for label, amount, _ in kinds if amount > 0]

    def build(width, font, config):
        config["show_legend"] = True
        config["height"] = int(width * 0.55) + len(given) * font * 2  # room for the legend under the ring
        chart = pygal.Pie(
            **config,
            legend_at_bottom=True,
            inner_radius=0.45,
            value_formatter=format_vnd,
        )
        for label, amount in given:
            chart.add(f"{label}: {format_vnd(amount)}", [amount])
        return chart

    return "Tiền ủng hộ theo loại nhà hảo tâm", tuple(given), build


def _categories_plan(rows):
    """Approved and served households per category (``rows``, ``Breakdown`` rows), side by side, the first
    category on top."""
    rows = list(reversed(rows))

    def build(width, font, config):
        config["show_legend"] = True
        config["height"] = max(180, int(font * 4.2) * len(rows) + 90)  # two bars per category
        chart = pygal.HorizontalBar(
            **config,
            legend_at_bottom=True,
            margin_right=font * 4,
            value_formatter=format_count,
            print_values=True,
            print_values_position="top",
        )
        chart.add_xml_filter(_values_after_bars)
        chart.x_labels = [row.label for row in rows]
        chart.y_labels = _integer_ticks(max((row.approved for row in rows), default=0), config["max_scale"])
        chart.add("Hộ được duyệt", [row.approved for row in rows])
        chart.add("Hộ đã nhận túi", [row.served for row in rows])
        return chart

    figures = tuple((row.label, row.approved, row.served) for row in rows)
    return "Hộ được duyệt và hộ đã nhận túi theo diện", figures, build


# The charts ``drawings`` draws, by name.
PLANS = {
    "handouts": _handouts_plan,
    "coverage": _coverage_plan,
    "money": _money_plan,
    "categories": _categories_plan,
}
