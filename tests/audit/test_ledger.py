from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from donations.services import donation_reverse
from households.hand_outs import distribution_cancel, distribution_record
from relief.models import Bag, Campaign, Distribution
from tests.conftest import give

pytestmark = pytest.mark.django_db


def check():
    out = StringIO()
    call_command("check_ledger", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_ledger_balances_after_gifts_reversals_hand_outs_and_cancellations(
    stocked, donor, staff, household_a, officer_a
):
    donation, _ = give(stocked, donor, staff, amount=2_500_000)
    give(stocked, donor, staff, bags=3)
    donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm")
    handed = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    distribution_cancel(distribution=handed, cancelled_by=officer_a, reason="Nhầm hộ")
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    assert "khớp" in check()


def test_the_ledger_balances_after_the_demo(settings):
    call_command("seed_demo", households_per_ward=6, stdout=StringIO())
    assert "khớp" in check()


def test_a_bag_made_without_money_is_reported(funded_campaign):
    Bag.objects.create(campaign=funded_campaign, number=11, serial="Q5-2021-T000011")
    Campaign.objects.filter(pk=funded_campaign.pk).update(last_bag_number=11)  # numbered as the service would
    with pytest.raises(CommandError, match="không khớp: 2 lỗi"):  # too many bags, and one unpaid
        check()


def test_a_hand_out_whose_bag_went_back_to_stock_is_reported(stocked, household_a, officer_a):
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    Bag.objects.filter(pk=distribution.bag_id).update(state=Bag.State.ALLOCATED)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("check_ledger", stdout=StringIO(), stderr=err)
    assert distribution.bag.serial in err.getvalue()
    assert Distribution.objects.active().count() == 1
