import pytest

from leaders.dashboard import district_dashboard, ward_dashboard
from relief.models import Bag

pytestmark = pytest.mark.django_db


def test_the_sums_across_wards_equal_the_district_totals(in_progress, district, ward_a, ward_b):
    board = district_dashboard(in_progress, district.wards.all())

    assert board.totals.allocated == board.bags["in_wards"] == 7
    assert board.totals.handed_out == board.bags["handed_out"] == 1
    assert board.totals.households_approved == 4
    assert board.totals.households_served == 1
    assert board.totals.households_waiting == 3
    assert board.totals.pending_requests == 1
    assert board.bags["funded"] == board.bags["at_district"] + board.bags["in_wards"] + board.bags["voided"] == 10
    assert board.totals.coverage == 25.0


def test_wards_behind_lists_the_wards_with_the_most_households_waiting_first(in_progress, district, ward_a, ward_b):
    board = district_dashboard(in_progress, district.wards.all())

    assert [(row.ward, row.figures.households_waiting) for row in board.wards_behind] == [(ward_a, 2), (ward_b, 1)]


def test_households_are_counted_by_category_and_residence(in_progress, district):
    board = district_dashboard(in_progress, district.wards.all())

    by_category = {row.label: (row.approved, row.served) for row in board.by_category}
    assert by_category == {"Hộ nghèo": (2, 1), "Mất việc do dịch": (1, 0), "Chưa xếp diện": (2, 0)}
    by_residence = {row.label: (row.approved, row.served) for row in board.by_residence}
    assert by_residence == {"Thường trú": (3, 1), "Ngoại tỉnh": (1, 0)}


def test_hand_outs_per_day_count_only_those_not_cancelled(in_progress, district):
    board = district_dashboard(in_progress, district.wards.all())

    assert [n for _, n in board.handouts_per_day] == [1]
    assert board.handed_out_in_period == 1


def test_money_is_shown_by_kind_of_donor(in_progress, district):
    board = district_dashboard(in_progress, district.wards.all())

    assert board.money_by_kind == [("Mạnh thường quân", 10_000_000, 0)]
    assert board.money["net_cash"] == 10_000_000


def test_a_ward_page_shows_the_same_figures_as_its_row(in_progress, district, ward_a):
    board = district_dashboard(in_progress, district.wards.all())
    page = ward_dashboard(in_progress, ward_a)

    row = next(row for row in board.rows if row.ward == ward_a)
    assert page.figures == row.figures
    assert sum(n for _, n in page.handouts_per_day) == Bag.objects.filter(ward=ward_a, state="handed_out").count()
