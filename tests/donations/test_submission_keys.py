"""One-time keys through the money services: a repeat finds the earlier entry, a reused key is refused."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from donations.models import Donation, Donor
from donations.services import donation_record, donation_reverse
from relief.models import Campaign
from relief.submissions import REUSED_KEY
from tests.conftest import RECEIVED_ON, give

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


def test_a_key_reused_for_another_amount_is_refused_and_records_nothing(campaign, donor, staff):
    key = uuid.uuid4()
    give(campaign, donor, staff, amount=3 * MILLION, submission_key=key)
    with pytest.raises(ValidationError, match=REUSED_KEY):
        give(campaign, donor, staff, amount=5 * MILLION, submission_key=key)
    assert Donation.objects.count() == 1
    assert Campaign.objects.get(pk=campaign.pk).last_receipt_seq == 1


def test_a_repeat_after_the_campaign_closed_still_finds_the_donation_it_recorded(campaign, donor, staff):
    key = uuid.uuid4()
    first, _ = give(campaign, donor, staff, amount=3 * MILLION, submission_key=key)
    Campaign.objects.filter(pk=campaign.pk).update(is_open=False)
    again, bags = give(campaign, donor, staff, amount=3 * MILLION, submission_key=key)
    assert (again.pk, bags) == (first.pk, None)


def test_a_repeated_donation_from_a_new_donor_adds_no_second_donor(campaign, staff):
    key = uuid.uuid4()
    record = {
        "campaign": campaign,
        "new_donor": {"name": "Lê Văn Tâm", "phone": "0903123456"},
        "recorded_by": staff,
        "received_on": RECEIVED_ON,
        "method": Donation.Method.CASH,
        "amount": 2 * MILLION,
        "submission_key": key,
    }
    first, _ = donation_record(**record)
    again, bags = donation_record(**record)
    assert (again.pk, bags) == (first.pk, None)
    assert list(Donor.objects.values_list("name", "district", "created_by")) == [
        ("Lê Văn Tâm", campaign.district_id, staff.pk)
    ]


def test_a_repeated_reversal_returns_the_reversal_already_recorded(campaign, donor, staff):
    donation, _ = give(campaign, donor, staff, amount=3 * MILLION)
    key = uuid.uuid4()
    first, voided = donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm", submission_key=key)
    again, voided_again = donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm", submission_key=key)
    assert (again.pk, len(voided), voided_again) == (first.pk, 3, None)
    assert Campaign.objects.get(pk=campaign.pk).last_receipt_seq == 2


def test_the_key_of_a_donation_cannot_be_spent_on_a_reversal(campaign, donor, staff):
    key = uuid.uuid4()
    donation, _ = give(campaign, donor, staff, amount=3 * MILLION, submission_key=key)
    with pytest.raises(ValidationError, match=REUSED_KEY):
        donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm", submission_key=key)
    assert Donation.objects.count() == 1
