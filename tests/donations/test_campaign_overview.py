"""The campaign overview: money against the target, bags funded, at the district, per ward, handed out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.selectors import campaign_overview
from donations.services import donation_reverse
from households.hand_outs import distribution_record
from relief.models import Ward
from relief.services import allocation_create, bag_void
from tests.conftest import give
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db


def url(campaign):
    return reverse("money:campaign_overview", args=[campaign.pk])


def test_only_district_staff_and_administrators_see_the_overview(personas, campaign):
    statuses = assert_staff_only(personas, url(campaign))
    assert statuses["staff"] == statuses["admin"] == 200


def test_the_overview_is_only_read(staff_client, campaign):
    assert staff_client.post(url(campaign)).status_code == 405


def test_another_districts_campaign_is_not_found(staff_client, other_campaign):
    assert staff_client.get(url(other_campaign)).status_code == 404


def test_the_money_index_leads_to_the_only_campaign_or_lists_them(personas, campaign, other_campaign):
    index = reverse("money:index")
    statuses = assert_staff_only(personas, index)
    assert statuses["staff"] == 302
    assert personas["staff"].get(index)["Location"] == url(campaign)
    content = personas["admin"].get(index).content.decode()
    assert url(campaign) in content and url(other_campaign) in content


def test_the_seed_story_against_the_target_of_sixteen_thousand_bags(staff_client, campaign, donor, staff):
    give(campaign, donor, staff, amount=49_000_000)
    give(campaign, donor, staff, amount=51_000_000)
    give(campaign, donor, staff, amount=300_000_000)
    give(campaign, donor, staff, amount=700_000)
    content = staff_client.get(url(campaign)).content.decode()
    assert "400.700.000 ₫" in content
    assert "16.000.000.000 ₫" in content
    assert '<span class="value" data-figure="funded">400</span>' in content
    assert '<span class="value" data-figure="remainder"><span class="money">700.000 ₫</span></span>' in content
    assert 'value="2.5"' in content  # the progress bar, 400.700.000 of 16.000.000.000
    assert "2,5% chỉ tiêu tiền" in content


def test_bags_are_counted_by_where_they_are(stocked, donor, staff, household_a, officer_a, ward_a):
    give(stocked, donor, staff, bags=5)
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    lost = stocked.bags.filter(ward=ward_a, state="allocated").first()
    bag_void(bag=lost, voided_by=staff, reason="Rách túi")
    overview = campaign_overview(stocked)
    assert overview.funded == 15
    assert overview.in_kind == 5
    assert overview.bags["district"] == 8
    assert overview.allocated == 6
    assert overview.bags["handed_out"] == 1
    assert overview.lost == 1
    figures = {ward.name: f for ward, f in overview.ward_rows}
    assert (figures["Phường 1"].allocated, figures["Phường 1"].handed_out, figures["Phường 1"].in_stock) == (3, 1, 2)
    assert (figures["Phường 2"].allocated, figures["Phường 2"].handed_out) == (3, 0)


def test_bags_voided_by_a_reversal_are_not_counted_as_funded(staff_client, campaign, donor, staff):
    wrong = give(campaign, donor, staff, amount=3_000_000)[0]
    give(campaign, donor, staff, amount=2_000_000)
    donation_reverse(donation=wrong, recorded_by=staff, reason="Nhầm")
    overview = campaign_overview(campaign)
    assert (overview.funded, overview.lost, overview.reversals, overview.donations) == (2, 0, 1, 2)
    assert overview.money == {"net_cash": 2_000_000, "in_bags": 2_000_000, "funding": 0, "surplus": 0, "remainder": 0}


def test_every_ward_of_the_district_is_listed_even_without_bags(staff_client, stocked, district):
    Ward.objects.create(district=district, code="q5-p14", name="Phường 14")
    content = staff_client.get(url(stocked)).content.decode()
    assert "Phường 14" in content


def test_the_overview_takes_the_same_number_of_queries_for_few_or_many_wards(staff_client, stocked, district, staff):
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url(stocked))
    for n in range(3, 15):
        ward = Ward.objects.create(district=district, code=f"q5-p{n:02d}", name=f"Phường {n}")
        give(stocked, stocked.donations.first().donor, staff, amount=1_000_000)
        allocation_create(campaign=stocked, ward=ward, quantity=1, created_by=staff)
    with CaptureQueriesContext(connection) as many:
        staff_client.get(url(stocked))
    assert len(many) == len(few)
