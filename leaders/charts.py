"""The leaders' charts, drawn on the server by pygal as SVG and placed inline in the page.

Inline SVG needs no JavaScript, scales to any screen, and prints as sharp vectors in the A4 report. Each chart takes
figures already read by ``leaders.dashboard``: drawing never queries the database.

A drawing is a pure function of its figures, and drawing the page's eight charts costs pygal several times the
page's SQL, since the figures come from small counter tables. So each is kept in Django's cache under a
digest of its figures: leaders looking at the same figures share the drawing, and a new hand-out, which changes the
figures, changes the key; a stale chart cannot be shown.
"""

import hashlib
import math

import pygal
from django.core.cache import cache
from django.utils.safestring import mark_safe
from pygal.style import Style

from relief.templatetags.relief_format import format_count, format_vnd

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


CHART_SECONDS = 3600


def _drawings(build, label, figures):
    """Render ``build(width, font, config)`` at each size; pygal escapes every label it writes, so it is safe HTML.

    ``label`` names the chart for screen readers, which otherwise read out every axis tick. ``figures``, everything
    the drawing shows (a tuple of plain values), keys the cached drawing.
    """
    key = "chart:" + hashlib.sha256(repr((build.__qualname__, label, figures)).encode()).hexdigest()
    drawn = cache.get(key)
    if drawn is None:
        drawn = _draw(build, label)
        cache.set(key, drawn, CHART_SECONDS)
    return mark_safe(drawn)


def _draw(build, label):

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


def handouts_per_day(days):
    """Bars of bags handed out each day; only about a dozen dates are labelled so they never overlap."""

    def build(width, font, config):
        chart = pygal.Bar(
            **config,
            x_label_rotation=-40 if len(days) > 6 else 0,
            show_minor_x_labels=False,
            value_formatter=format_count,
        )
        chart.x_labels = [day.strftime("%d/%m") for day, _ in days]
        chart.x_labels_major = chart.x_labels[:: max(len(days) // (12 if width > 500 else 6), 1)]
        chart.y_labels = _integer_ticks(max((n for _, n in days), default=0), config["max_scale"])
        chart.add("Túi đã trao", [n for _, n in days])
        return chart

    return _drawings(build, "Biểu đồ số túi trao theo ngày", tuple(days))


def _values_after_bars(tree):
    """pygal centres a value on its bar's end, so a horizontal bar's end ran through its own label: the label starts
    just past the end instead, in the room the chart keeps on its right (``margin_right``)."""
    for element in tree.iter():
        if str(element.tag).endswith("text") and element.get("class") == "value":
            element.set("text-anchor", "start")
    return tree


def coverage_by_ward(rows):
    """Horizontal bars of the share of approved households served in each ward, on a fixed 0-100 % scale.

    pygal draws the first label at the bottom; the rows are reversed so the table's first ward is the top bar.
    """
    rows = list(reversed(rows))

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
    return _drawings(build, "Biểu đồ tỷ lệ hộ được duyệt đã nhận túi theo đơn vị nhận", figures)


def money_by_donor_kind(kinds):
    """A ring of the money given by each kind of donor; the legend carries the amounts, so it reads in print."""
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

    return _drawings(build, "Biểu đồ tiền ủng hộ theo loại nhà hảo tâm", tuple(given))


def households_by_category(rows):
    """Approved and served households per category, side by side, the first category on top."""
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
    return _drawings(build, "Biểu đồ hộ được duyệt và hộ đã nhận túi theo diện", figures)
