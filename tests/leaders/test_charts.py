"""Chart drawings are kept by what they show: current figures are drawn once; changed figures show the kept drawing
with the time of its figures while it is young, and are drawn again once it is not."""

import datetime

import pytest
from django.core.cache import cache

from leaders import charts
from leaders.dashboard import HandOutBars


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


@pytest.fixture
def clock(monkeypatch):
    """The charts' clock, moved by hand."""
    now = [datetime.datetime(2021, 8, 22, 3, 0, tzinfo=datetime.UTC)]
    monkeypatch.setattr(charts.timezone, "now", lambda: now[0])
    return now


DAYS = HandOutBars("day", [(datetime.date(2021, 8, 20), 12), (datetime.date(2021, 8, 21), 30)])
ONE_MORE = HandOutBars("day", [(datetime.date(2021, 8, 20), 12), (datetime.date(2021, 8, 21), 31)])
SUBJECT = ("campaign", 1)


def test_the_same_figures_are_drawn_once_and_shown_alike(drawings):
    first = charts.handouts_over_time(DAYS, subject=SUBJECT)
    second = charts.handouts_over_time(HandOutBars("day", list(DAYS.bars)), subject=SUBJECT)
    assert first.svg == second.svg and "<svg" in first.svg
    assert not first.stale and not second.stale
    assert len(drawings) == 1


def test_a_new_hand_out_shows_the_young_drawing_with_the_time_of_its_figures(drawings, clock):
    before = charts.handouts_over_time(DAYS, subject=SUBJECT)
    clock[0] += datetime.timedelta(seconds=charts.STALE_SECONDS - 1)
    after = charts.handouts_over_time(ONE_MORE, subject=SUBJECT)
    assert len(drawings) == 1
    assert after.stale and after.svg == before.svg
    assert after.drawn_at == before.drawn_at


def test_a_drawing_older_than_the_staleness_bound_is_drawn_again(drawings, clock):
    charts.handouts_over_time(DAYS, subject=SUBJECT)
    clock[0] += datetime.timedelta(seconds=charts.STALE_SECONDS)
    after = charts.handouts_over_time(ONE_MORE, subject=SUBJECT)
    assert len(drawings) == 2
    assert not after.stale and "31" in after.svg and after.drawn_at == clock[0]


def test_a_printed_report_never_shows_older_figures(drawings):
    charts.handouts_over_time(DAYS, subject=SUBJECT)
    after = charts.handouts_over_time(ONE_MORE, subject=SUBJECT, max_age=0)
    assert len(drawings) == 2 and not after.stale and "31" in after.svg


def test_another_campaign_never_shows_this_campaigns_drawing(drawings):
    charts.handouts_over_time(DAYS, subject=SUBJECT)
    other = charts.handouts_over_time(ONE_MORE, subject=("campaign", 2))
    assert len(drawings) == 2 and not other.stale and "31" in other.svg


def test_two_charts_with_equal_numbers_are_not_mixed_up(drawings):
    money = charts.money_by_donor_kind([("Cá nhân", 5_000_000, 0)], subject=SUBJECT)
    days = charts.handouts_over_time(HandOutBars("day", [(datetime.date(2021, 8, 20), 5)]), subject=SUBJECT)
    assert len(drawings) == 2
    assert "tiền ủng hộ" in money.svg and "túi trao theo ngày" in days.svg


def test_a_long_period_is_drawn_by_month_with_month_labels(drawings):
    months = HandOutBars("month", [(datetime.date(2021, 8, 1), 40), (datetime.date(2021, 9, 1), 0)])
    drawing = charts.handouts_over_time(months, subject=SUBJECT)
    assert "túi trao theo tháng" in drawing.svg and "08/2021" in drawing.svg
