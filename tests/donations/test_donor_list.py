"""The donor list: who gave, how much in all (reversals subtracted), found by name with or without diacritics."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Donor
from donations.services import donation_reverse
from tests.conftest import give
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db

URL = reverse("money:donor_list")


def row_of(content, donor):
    start = content.index(reverse("money:donor_detail", args=[donor.pk]))
    return content[start : content.index("</tr>", start)]


def figures(row):
    """The number cells of a donor's row, as read: donations, money given, bags in kind."""
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r'<td class="num">(.*?)</td>', row)]


def test_only_district_staff_and_administrators_see_donors(personas, donor):
    statuses = assert_staff_only(personas, URL)
    assert statuses["staff"] == statuses["admin"] == 200


def test_the_donor_list_is_only_read(staff_client):
    assert staff_client.post(URL).status_code == 405


def test_each_donor_shows_the_total_given_with_reversals_subtracted(staff_client, campaign, donor, staff):
    give(campaign, donor, staff, amount=49_000_000)
    wrong = give(campaign, donor, staff, amount=5_000_000)[0]
    give(campaign, donor, staff, bags=3)
    donation_reverse(donation=wrong, recorded_by=staff, reason="Nhầm")
    row = row_of(staff_client.get(URL).content.decode(), donor)
    # Three donations (the reversal is not one of its own), the money net of the reversal, three bags in kind.
    assert figures(row) == ["3", "49.000.000 ₫", "3"]


def test_donors_are_found_by_name_with_or_without_diacritics(staff_client, donor, district):
    other = Donor.objects.create(name="Trần Đức Thắng", district=district)
    content = staff_client.get(URL, {"q": "tran duc"}).content.decode()
    assert "Trần Đức Thắng" in content
    assert "Nguyễn Văn Hảo" not in content
    assert "Trần Đức Thắng" in staff_client.get(URL, {"q": "Đức"}).content.decode()
    assert other.name not in staff_client.get(URL, {"q": "không có ai"}).content.decode()


def test_another_districts_donors_are_not_listed(staff_client, donor, other_donor):
    content = staff_client.get(URL).content.decode()
    assert donor.name in content
    assert other_donor.name not in content


def test_money_given_to_another_district_is_not_counted_here(
    staff_client, campaign, other_campaign, staff, other_staff
):
    citywide = Donor.objects.create(name="Quỹ từ thiện thành phố")  # no district: both districts see the donor
    give(campaign, citywide, staff, amount=2_000_000)
    give(other_campaign, citywide, other_staff, amount=7_000_000)
    row = row_of(staff_client.get(URL).content.decode(), citywide)
    assert figures(row) == ["1", "2.000.000 ₫", "0"]


def test_the_donor_list_takes_the_same_number_of_queries_for_few_or_many(
    staff_client, campaign, donor, staff, district
):
    give(campaign, donor, staff, amount=1_000_000)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(URL)
    for n in range(15):
        give(campaign, Donor.objects.create(name=f"Nhà hảo tâm {n}", district=district), staff, amount=500_000)
    with CaptureQueriesContext(connection) as many:
        staff_client.get(URL)
    assert len(many) == len(few)


def test_a_long_search_is_refused_politely(staff_client, donor):
    response = staff_client.get(URL, {"q": "x" * 500})
    assert response.status_code == 200
    assert "Từ khóa tìm kiếm dài quá" in response.content.decode()
