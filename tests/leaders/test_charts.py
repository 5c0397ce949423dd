"""Chart drawings are kept by their figures: the same figures are drawn once, changed figures are drawn again."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from leaders import charts


@pytest.fixture
def drawings(monkeypatch):
    """Counts the real drawings made (pygal runs), starting from an empty cache."""
    cache.clear()
    made = []
    real = charts._draw

    def counted(build, label):
        made.append(label)
        return real(build, label)

    monkeypatch.setattr(charts, "_draw", counted)
    yield made
    cache.clear()


DAYS = [(datetime.date(2021, 8, 20), 12), (datetime.date(2021, 8, 21), 30)]


def test_the_same_figures_are_drawn_once_and_shown_alike(drawings):
    first = charts.handouts_per_day(DAYS)
    second = charts.handouts_per_day(list(DAYS))
    assert first == second and "<svg" in first
    assert len(drawings) == 1


def test_a_new_hand_out_changes_the_figures_and_the_chart_is_drawn_again(drawings):
    before = charts.handouts_per_day(DAYS)
    after = charts.handouts_per_day([*DAYS[:1], (datetime.date(2021, 8, 21), 31)])
    assert len(drawings) == 2
    assert before != after and "31" in after


def test_two_charts_with_equal_numbers_are_not_mixed_up(drawings):
    money = charts.money_by_donor_kind([("Cá nhân", 5_000_000, 0)])
    days = charts.handouts_per_day([(datetime.date(2021, 8, 20), 5)])
    assert len(drawings) == 2
    assert "tiền ủng hộ" in money and "túi trao theo ngày" in days


def test_each_wards_coverage_label_starts_past_its_bar_instead_of_on_its_end():
    rows = [SimpleNamespace(ward=SimpleNamespace(name=f"Phường {n}"), figures=SimpleNamespace(coverage=c))
            for n, c in [(1, 100.0), (2, 40.0), (3, 5.0)]]  # fmt: skip
    cache.clear()
    drawing = str(charts.coverage_by_ward(rows))
    bar_ends = [
        float(x) + float(w) for x, w in re.findall(r'<rect x="([\d.]+)"[^>]*width="([\d.]+)"[^>]*reactive', drawing)
    ]
    labels = re.findall(r'<text text-anchor="(\w+)" x="([\d.]+)"[^>]*class="value">([^<]*)</text>', drawing)
    assert len(labels) == len(bar_ends) == 6  # three wards, drawn wide and narrow
    assert {anchor for anchor, _x, _text in labels} == {"start"}
    assert all(float(x) > end for (_anchor, x, _text), end in zip(labels, bar_ends, strict=True))
