"""Two identical submissions racing (a double click that reaches two workers) record one donation and one donor."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from donations.models import Donation, Donor
from relief.models import Campaign
from tests.conftest import client_for
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ledger_balances_afterwards"),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and real threads"),
]


def test_two_simultaneous_submissions_of_a_new_donor_record_one_donation_and_one_donor(staff, campaign):
    data = {
        "campaign": campaign.pk,
        "donor_query": "Lê Văn Tâm",
        "new_donor": "on",
        "donor_kind": "individual",
        "method": "cash",
        "amount": "3 triệu",
        "received_on": "20/08/2021",
        "submission_key": str(uuid.uuid4()),
    }
    outcomes = race(2, lambda i: client_for(staff).post(reverse("money:donation_new"), data).status_code)

    assert outcomes == [("ok", 302)] * 2
    assert Donation.objects.count() == 1
    assert Donor.objects.count() == 1
    assert Campaign.objects.get(pk=campaign.pk).last_receipt_seq == 1


def test_fifty_simultaneous_posts_with_one_key_record_one_donation_and_burn_no_receipt_number(staff, campaign, donor):
    """A burst of repeats of one form (an impatient double and triple click reaching every worker) leaves the
    receipt numbers without a gap: the next donation gets the very next number."""
    data = {
        "campaign": campaign.pk,
        "donor": donor.pk,
        "donor_query": donor.name,
        "method": "cash",
        "amount": "3 triệu",
        "received_on": "20/08/2021",
        "submission_key": str(uuid.uuid4()),
    }
    outcomes = race(50, lambda i: client_for(staff).post(reverse("money:donation_new"), data).status_code)
    client_for(staff).post(reverse("money:donation_new"), {**data, "submission_key": str(uuid.uuid4())})

    assert outcomes == [("ok", 302)] * 50
    assert sorted(Donation.objects.values_list("receipt_seq", flat=True)) == [1, 2]
    assert Campaign.objects.get(pk=campaign.pk).last_receipt_seq == 2
