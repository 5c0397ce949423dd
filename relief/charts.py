"""The leaders' charts, drawn on the server by pygal as SVG and placed inline in the page.

Inline SVG needs no JavaScript, scales to any screen, and prints as sharp vectors in the A4 report. Each chart takes
figures already read by ``relief.dashboard``: drawing never queries the database.
"""

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

from .templatetags.relief_format import format_count, format_vnd

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'

# White background and dark text so the charts print on plain paper; the app's red first, then distinct hues that
# stay apart in greyscale.
STYLE = Style(
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
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=13,
    no_data_font_size=20,
)


def _without_scripts(tree):
    """Drop the <script> pygal always writes (its tooltip configuration): our pages run no inline JavaScript."""
    for parent in tree.iter():
        for child in [child for child in parent if str(child.tag).endswith("script")]:
            parent.remove(child)
    return tree


def _config(**extra):
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "no_data_text": "Chưa có số liệu",
        "show_legend": False,
        "print_values": False,
        "width": 720,
        "height": 360,
        "margin": 12,
        **extra,
    }


def _svg(chart):
    chart.add_xml_filter(_without_scripts)
    return mark_safe(chart.render(is_unicode=True))  # pygal escapes every label it writes


def handouts_per_day(days):
    """Bars of bags handed out each day; only about a dozen dates are labelled so they never overlap."""
    chart = pygal.Bar(
        **_config(
            x_label_rotation=-40,
            show_minor_x_labels=False,
            value_formatter=format_count,
            y_title="Số túi trao",
        )
    )
    chart.x_labels = [day.strftime("%d/%m") for day, _ in days]
    chart.x_labels_major = chart.x_labels[:: max(len(days) // 12, 1)]
    chart.add("Túi đã trao", [n for _, n in days])
    return _svg(chart)


def coverage_by_ward(rows):
    """Horizontal bars of the share of approved households served in each ward, on a fixed 0-100 % scale."""
    chart = pygal.HorizontalBar(
        **_config(
            height=max(160, 34 * len(rows) + 60),
            range=(0, 100),
            print_values=True,
            value_formatter=lambda value: f"{value:.0f} %",
            print_values_position="top",
        )
    )
    chart.x_labels = [row.ward.name for row in rows]
    chart.add("Tỷ lệ hộ đã nhận túi", [round(row.figures.coverage, 1) for row in rows])
    return _svg(chart)


def money_by_donor_kind(kinds):
    """A pie of the money given by each kind of donor; the legend carries the amounts, so it reads in print."""
    chart = pygal.Pie(**_config(show_legend=True, legend_at_bottom=True, inner_radius=0.45, height=400))
    for label, amount, _ in kinds:
        if amount > 0:
            chart.add(f"{label}: {format_vnd(amount)}", [{"value": amount, "label": format_vnd(amount)}])
    return _svg(chart)


def households_by_category(rows):
    """Approved and served households per category, side by side."""
    chart = pygal.HorizontalBar(
        **_config(
            height=max(180, 48 * len(rows) + 80),
            show_legend=True,
            legend_at_bottom=True,
            value_formatter=format_count,
            print_values=True,
            print_values_position="top",
        )
    )
    chart.x_labels = [row.label for row in rows]
    chart.add("Hộ được duyệt", [row.approved for row in rows])
    chart.add("Hộ đã nhận túi", [row.served for row in rows])
    return _svg(chart)
