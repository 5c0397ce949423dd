"""The admin's history is for reading: an old version's page shows its fields and saves nothing, for any role.

simple-history's version page is a change form built from an old row; posted back, it used to save that row for
anyone who could view the model, which put a campaign's receipt and bag counters back.
"""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from donations.models import Donation
from relief.admin import ReadOnlyHistoryMixin
from relief.models import Campaign
from tests.conftest import give
from tests.trust.conftest import form_body

pytestmark = pytest.mark.django_db


def version_url(record, version):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[record.pk, version.history_id])


def test_every_admin_with_a_history_uses_the_read_only_history():
    with_history = [m for m in admin.site._registry.values() if hasattr(m, "history_form_view")]
    assert with_history
    assert all(isinstance(m, SimpleHistoryAdmin) for m in with_history)
    assert [type(m).__name__ for m in with_history if not isinstance(m, ReadOnlyHistoryMixin)] == []


def test_an_old_version_of_a_campaign_shows_its_fields_read_only_to_the_administrator(world, personas):
    campaign = world["campaign"]
    response = personas["X"].get(version_url(campaign, campaign.history.earliest("history_date")))
    page = response.content.decode()
    assert response.status_code == 200
    assert campaign.name in page
    assert re.search(r'<input[^>]*name="name"[^>]*disabled', page)
    assert not re.search(r'<input(?![^>]*disabled)[^>]*name="name"', page)
    assert 'name="_save"' not in page


@pytest.mark.parametrize("persona", ["X", "S", "L", "A"])
def test_posting_an_old_version_of_a_campaign_back_puts_no_counter_back(world, personas, staff, donor, persona):
    campaign = world["campaign"]
    first = campaign.history.earliest("history_date")
    url = version_url(campaign, first)
    body = {**form_body(personas["X"].get(url)), "_save": "Lưu"}
    give(campaign, donor, staff, amount=campaign.bag_value)
    before = Campaign.objects.values().get(pk=campaign.pk)
    history_rows = campaign.history.count()

    response = personas[persona].post(url, body)

    assert response.status_code == 405
    assert Campaign.objects.values().get(pk=campaign.pk) == before
    assert campaign.history.count() == history_rows
    give(campaign, donor, staff, amount=campaign.bag_value)  # the next receipt number is still free


def test_the_officer_of_another_ward_posting_a_version_of_ward_a_meets_the_missing_record_redirect(world, personas):
    distribution = world["distribution"]
    url = version_url(distribution, distribution.history.latest("history_date"))
    body = form_body(personas["A"].get(url))
    rows = distribution.history.count()
    assert personas["B"].post(url, body).status_code == 302
    assert personas["A"].post(url, body).status_code == 405
    assert distribution.history.count() == rows


def test_a_leader_posting_an_old_donation_records_no_donation(world, personas):
    donation = world["donation"]
    url = version_url(donation, donation.history.earliest("history_date"))
    body = {**form_body(personas["L"].get(url)), "_save": "Lưu"}
    count = Donation.objects.count()
    assert personas["L"].post(url, body).status_code == 405
    assert Donation.objects.count() == count
