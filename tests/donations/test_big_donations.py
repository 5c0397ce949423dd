"""The largest amount the form accepts: recorded at once, bags funded a batch per transaction up to the target."""

import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from donations.funding import FUNDING_BATCH, campaign_funding_task
from donations.models import Donation
from donations.services import campaign_money, donation_reverse
from relief.models import Bag
from tests.conftest import give

pytestmark = pytest.mark.django_db

LARGEST = 999_999_999_999
MILLION = 1_000_000


def cash_bags(campaign):
    return Bag.objects.filter(campaign=campaign, source=Bag.Source.CASH, unfunded=False).count()


@pytest.fixture
def small_target(campaign):
    """A target of a little more than two batches keeps the test quick and still needs the background task."""
    campaign.target_bags = 2 * FUNDING_BATCH + 200
    campaign.save()
    return campaign


def post_largest(client, campaign, donor):
    data = {
        "campaign": campaign.pk,
        "donor": donor.pk,
        "donor_query": donor.name,
        "method": "cash",
        "amount": "999.999.999.999",
        "received_on": "20/08/2021",
        "donor_kind": "individual",
        "submission_key": str(uuid.uuid4()),
    }
    return client.post(reverse("money:donation_new"), data)


def test_the_largest_donation_is_recorded_at_once_and_funds_one_batch_in_its_own_request(
    staff_client, small_target, donor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = post_largest(staff_client, small_target, donor)
    assert response.status_code == 302
    assert Donation.objects.get().amount == LARGEST
    assert cash_bags(small_target) == FUNDING_BATCH
    assert len(queued) == 1  # the rest is left to the background task


def test_the_background_task_funds_the_rest_up_to_the_target_and_the_ledger_balances(
    staff_client, small_target, donor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_largest(staff_client, small_target, donor)
    assert cash_bags(small_target) == small_target.target_bags
    money = campaign_money(small_target)
    assert money["in_bags"] == small_target.target_bags * MILLION
    assert money["surplus"] == (LARGEST // MILLION - small_target.target_bags) * MILLION
    assert money["funding"] == 0
    assert money["net_cash"] == money["in_bags"] + money["surplus"] + money["remainder"]
    call_command("check_ledger")


def test_the_campaign_page_shows_the_money_beyond_the_target_as_surplus(
    staff_client, small_target, donor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_largest(staff_client, small_target, donor)
    page = staff_client.get(reverse("money:campaign_overview", args=[small_target.pk])).content.decode()
    assert "Tiền vượt chỉ tiêu" in page
    assert 'data-figure="surplus"' in page


def test_the_campaign_page_shows_money_still_being_put_into_bags(
    staff_client, small_target, donor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        post_largest(staff_client, small_target, donor)
    page = staff_client.get(reverse("money:campaign_overview", args=[small_target.pk])).content.decode()
    assert 'data-figure="funding"' in page


def test_a_second_funding_task_finds_nothing_owed_and_funds_nothing(small_target, donor, staff):
    give(small_target, donor, staff, amount=3 * MILLION)
    campaign_funding_task.call(small_target.pk, staff.pk)
    assert cash_bags(small_target) == 3


def test_money_beyond_the_target_funds_no_bag_and_reversing_the_surplus_voids_none(campaign, donor, staff):
    campaign.target_bags = 5
    campaign.save()
    give(campaign, donor, staff, amount=5 * MILLION)
    beyond, bags = give(campaign, donor, staff, amount=2 * MILLION)
    assert bags == []
    assert cash_bags(campaign) == 5
    assert campaign_money(campaign)["surplus"] == 2 * MILLION
    _, voided = donation_reverse(donation=beyond, recorded_by=staff, reason="Ghi nhầm")
    assert voided == []
    assert cash_bags(campaign) == 5
    assert campaign_money(campaign)["surplus"] == 0
    call_command("check_ledger")


def test_a_reversal_below_the_target_voids_the_bags_the_money_no_longer_pays(campaign, donor, staff):
    campaign.target_bags = 5
    campaign.save()
    first, _ = give(campaign, donor, staff, amount=4 * MILLION)
    give(campaign, donor, staff, amount=3 * MILLION)
    _, voided = donation_reverse(donation=first, recorded_by=staff, reason="Ghi nhầm")
    assert len(voided) == 2
    assert cash_bags(campaign) == 3
    call_command("check_ledger")


def test_a_large_gift_in_kind_brings_one_batch_in_its_request_and_the_rest_in_the_background(
    campaign, donor, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        donation, bags = give(campaign, donor, staff, bags=2 * FUNDING_BATCH + 7)
    assert (len(bags), len(queued)) == (FUNDING_BATCH, 1)
    for callback in queued:
        callback()
    assert donation.fundings.count() == 2 * FUNDING_BATCH + 7
    call_command("check_ledger")
