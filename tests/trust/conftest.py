"""Records of ward A and of the district that the trust tests point every URL at."""

import pytest

from donations.models import BagFunding, Donation
from households.models import ImportJob
from relief.models import Allocation, Bag
from relief.services import distribution_record, ward_request_create
from tests.conftest import client_for


@pytest.fixture
def world(stocked, ward_a, household_a, household_b, officer_a, staff, donor):
    """One of everything, owned by ward A or the district, with the id each URL needs."""
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    ward_request = ward_request_create(
        campaign=stocked, ward=ward_a, quantity=3, reason="Thiếu túi cho hộ mới", created_by=officer_a
    )
    return {
        "household": household_a,
        "distribution": distribution,
        "bag": distribution.bag,
        "spare_bag": Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first(),
        "ward_request": ward_request,
        "donation": Donation.objects.get(campaign=stocked),
        "donor": donor,
        "campaign": stocked,
        "ward": ward_a,
        "allocation": Allocation.objects.filter(ward=ward_a).first(),
        "funding": BagFunding.objects.filter(bag=distribution.bag).first(),
        "officer": officer_a,
        "import_job": ImportJob.objects.create(
            started_by=staff, district=staff.district, suffix=".csv", status=ImportJob.Status.DONE, imported=2
        ),
    }


@pytest.fixture
def personas(client, officer_a, officer_b, staff, leader, administrator):
    """Every kind of visitor, by the short name the expectation tables use."""
    return {
        "anon": client,
        "A": client_for(officer_a),
        "B": client_for(officer_b),
        "S": client_for(staff),
        "L": client_for(leader),
        "X": client_for(administrator),
    }
