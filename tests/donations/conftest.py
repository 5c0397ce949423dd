"""Fixtures of the money pages: another district with its own campaign and staff, and the persona checks."""

import datetime

import pytest
from django.test import Client

from donations.models import Donor
from relief.models import Campaign, User
from tests.conftest import client_for, give, make_user


@pytest.fixture
def other_campaign(other_district):
    return Campaign.objects.create(
        code="BTL-2021", name="Túi an sinh Bắc Từ Liêm", district=other_district, target_bags=5_000
    )


@pytest.fixture
def other_staff(other_district):
    return make_user("canbo_btl", User.Role.DISTRICT_STAFF, district=other_district, first_name="Cán bộ BTL")


@pytest.fixture
def other_donor(other_district):
    return Donor.objects.create(name="Trần Thị Bắc", district=other_district)


@pytest.fixture
def other_donation(other_campaign, other_donor, other_staff):
    return give(other_campaign, other_donor, other_staff, amount=2_000_000)[0]


@pytest.fixture
def donation(campaign, donor, staff):
    """49.000.000 ₫ in cash: the seed story's staff donation."""
    return give(campaign, donor, staff, amount=49_000_000)[0]


@pytest.fixture
def personas(staff_client, officer_a_client, leader_client, admin_client_):
    """Every persona's client, keyed by who they are; "anonymous" is a plain client."""
    return {
        "staff": staff_client,
        "admin": admin_client_,
        "officer": officer_a_client,
        "leader": leader_client,
        "anonymous": Client(),
    }


def assert_staff_only(personas, url, method="get", data=None):
    """Staff and administrators pass; an officer and a leader get 403; the anonymous visitor goes to log in."""
    statuses = {}
    for who, client in personas.items():
        response = getattr(client, method)(url, data or {})
        statuses[who] = response.status_code
        if who == "anonymous":
            assert response.status_code == 302 and "/dang-nhap/" in response["Location"], who
    assert statuses["officer"] == 403
    assert statuses["leader"] == 403
    return statuses


TODAY = datetime.date(2021, 8, 22)

__all__ = ["assert_staff_only", "client_for"]
