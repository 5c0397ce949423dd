"""A backup brings the database back with every total equal (and the ledger still balanced)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from donations.models import Donation
from households.hand_outs import distribution_record
from households.models import Household
from relief.models import Bag, Distribution
from tests.conftest import give, make_household

pytestmark = pytest.mark.django_db(transaction=True)


def totals():
    return {
        "money": Donation.objects.net_cash(),
        "bags": Bag.objects.counts_by_state(),
        "households": Household.objects.count(),
        "hand_outs": Distribution.objects.active().count(),
    }


def test_a_restore_brings_back_every_total_after_later_changes(tmp_path, stocked, household_a, officer_a, donor, staff):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    before = totals()
    path = tmp_path / "ansinh.backup"
    call_command("backup_db", str(path), stdout=StringIO())

    give(stocked, donor, staff, amount=7_000_000)
    make_household(household_a.ward, "Hồ Thị Yến", address="1 Phùng Hưng")
    assert totals() != before

    call_command("restore_db", str(path), "--yes", stdout=StringIO())
    assert totals() == before
    call_command("check_ledger", stdout=StringIO())


def test_a_restore_asks_for_confirmation_and_changes_nothing_without_it(tmp_path, funded_campaign):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_db", str(tmp_path / "none.backup"))
    assert Bag.objects.count() == 10
