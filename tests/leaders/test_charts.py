"""Chart drawings are kept by their figures: the same figures are drawn once, changed figures are drawn again."""

import datetime

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
