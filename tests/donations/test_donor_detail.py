"""The donor page: each donation, the bags it paid for, which wards they went to, how many reached households."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.selectors import donor_page
from donations.services import donation_reverse
from households.hand_outs import distribution_record
from relief.services import allocation_create
from tests.conftest import give, make_household
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db


def url(donor):
    return reverse("money:donor_detail", args=[donor.pk])


def test_only_district_staff_and_administrators_see_a_donor(personas, donor):
    statuses = assert_staff_only(personas, url(donor))
    assert statuses["staff"] == statuses["admin"] == 200


def test_the_donor_page_is_only_read(staff_client, donor):
    assert staff_client.post(url(donor)).status_code == 405


def test_another_districts_donor_is_not_found(staff_client, other_donor):
    assert staff_client.get(url(other_donor)).status_code == 404


def test_each_donation_shows_its_bags_their_wards_and_those_handed_out(
    staff_client, stocked, donor, staff, household_a, officer_a
):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    page = donor_page(staff, donor)
    ((donation, trace),) = page["rows"]
    assert (trace.bags, trace.at_district, trace.handed_out) == (10, 3, 1)
    assert trace.ward_rows == [
        ("Phường 1", {"allocated": 4, "handed_out": 1}),
        ("Phường 2", {"allocated": 3, "handed_out": 0}),
    ]
    assert page["totals"] == {"cash": 10_000_000, "bags_in_kind": 0, "bags": 10, "handed_out": 1}
    content = staff_client.get(url(donor)).content.decode()
    assert donation.receipt_number in content
    assert "Phường 1: 4" in content
    assert "Tại quận: 3" in content


def test_a_bag_paid_by_two_donations_counts_for_both(staff_client, campaign, donor, staff):
    give(campaign, donor, staff, amount=600_000)
    give(campaign, donor, staff, amount=600_000)
    rows = donor_page(staff, donor)["rows"]
    assert [trace.bags for _, trace in rows] == [1, 1]
    assert sorted(trace.money_in_bags for _, trace in rows) == [400_000, 600_000]
    assert donor_page(staff, donor)["totals"]["bags"] == 2  # the page says so: bags paid wholly or in part


def test_a_reversed_donation_shows_its_reversal_and_no_bags(staff_client, donation, donor, staff):
    reversal, _ = donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm")
    page = donor_page(staff, donor)
    assert page["totals"]["cash"] == 0
    assert all(trace.bags == 0 for _, trace in page["rows"])
    content = staff_client.get(url(donor)).content.decode()
    assert reversal.receipt_number in content
    assert "đã điều chỉnh" in content


def test_the_donor_page_takes_the_same_number_of_queries_for_few_or_many(
    staff_client, campaign, donor, staff, district, ward_a, ward_b, officer_a
):
    give(campaign, donor, staff, amount=3_000_000)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url(donor))
    for _ in range(10):
        give(campaign, donor, staff, amount=2_500_000)
    give(campaign, donor, staff, bags=4)
    allocation_create(campaign=campaign, ward=ward_a, quantity=8, created_by=staff)
    allocation_create(campaign=campaign, ward=ward_b, quantity=8, created_by=staff)
    for n in range(3):
        distribution_record(household=make_household(ward_a, f"Hộ {n}"), campaign=campaign, recorded_by=officer_a)
    with CaptureQueriesContext(connection) as many:
        staff_client.get(url(donor))
    assert len(many) == len(few)


def test_the_donor_page_offers_a_new_donation_from_this_donor(staff_client, donor):
    content = staff_client.get(url(donor)).content.decode()
    assert f"{reverse('money:donation_new')}?donor={donor.pk}" in content
