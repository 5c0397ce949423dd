"""The chart of hand-outs over time covers the campaign's period (or the filter's) in at most MOST_BARS bars."""

import datetime

import pytest
from django.urls import reverse

from leaders.dashboard import MOST_BARS, handout_bars

D = datetime.date


def test_a_short_period_is_drawn_day_by_day_with_the_empty_days():
    bars = handout_bars([(D(2021, 8, 22), 5), (D(2021, 8, 24), 2)], D(2021, 8, 21), D(2021, 8, 25))

    assert bars.unit == "day"
    assert bars.bars == [
        (D(2021, 8, 21), 0),
        (D(2021, 8, 22), 5),
        (D(2021, 8, 23), 0),
        (D(2021, 8, 24), 2),
        (D(2021, 8, 25), 0),
    ]


def test_one_hand_out_years_later_turns_the_days_into_a_few_bars_that_still_count_every_bag():
    days = [(D(2021, 8, 22) + datetime.timedelta(n), 100) for n in range(20)] + [(D(2026, 12, 5), 1)]

    bars = handout_bars(days, D(2021, 8, 17), None)

    assert bars.unit == "year" and len(bars.bars) == 6
    assert bars.bars[0] == (D(2021, 1, 1), 2000) and bars.bars[-1] == (D(2026, 1, 1), 1)
    assert sum(n for _, n in bars.bars) == 2001


def test_a_period_of_months_is_drawn_by_week_starting_on_monday():
    bars = handout_bars([(D(2021, 8, 22), 3), (D(2021, 8, 23), 4)], D(2021, 8, 1), D(2021, 12, 31))

    assert bars.unit == "week" and len(bars.bars) <= MOST_BARS
    assert (D(2021, 8, 16), 3) in bars.bars and (D(2021, 8, 23), 4) in bars.bars
    assert all(start.weekday() == 0 for start, _ in bars.bars)


def test_two_years_are_drawn_by_month():
    bars = handout_bars([(D(2021, 8, 22), 3)], D(2021, 1, 1), D(2022, 12, 31))

    assert bars.unit == "month" and len(bars.bars) == 24 and bars.bars[7] == (D(2021, 8, 1), 3)


def test_a_typed_period_of_centuries_keeps_to_the_years_with_hand_outs():
    bars = handout_bars([(D(2021, 8, 22), 3)], D(1, 1, 1), D(9999, 12, 31))

    assert bars.bars == [(D(2021, 1, 1), 3)]


def test_no_period_and_no_hand_outs_draw_no_bar():
    assert handout_bars([], None, None).bars == []


@pytest.mark.django_db
def test_a_hand_out_dated_today_in_a_2021_campaign_keeps_the_chart_small(leader_client, in_progress):
    in_progress.starts_on = D(2021, 8, 17)
    in_progress.save()

    response = leader_client.get(reverse("leaders:dashboard"))

    board = response.context["board"]
    assert 0 < len(board.handout_bars.bars) <= MOST_BARS
    assert sum(n for _, n in board.handout_bars.bars) == board.bags["handed_out"]
    assert f"Số túi trao theo {board.handout_bars.unit_word}" in response.text
