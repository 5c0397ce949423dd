"""A campaign in progress for the leaders' pages: money, bags in two wards, households served and waiting."""

import pytest

from households.hand_outs import distribution_record
from households.models import Category, Household
from relief.services import ward_request_create
from tests.conftest import make_household


@pytest.fixture
def in_progress(stocked, ward_a, ward_b, household_a, household_b, officer_a):
    """Ward A: 3 approved households (one served), 1 proposed, a pending request. Ward B: 1 approved, waiting."""
    poor = Category.objects.get(code="ho-ngheo")
    jobless = Category.objects.get(code="mat-viec-do-dich")
    worker = make_household(
        ward_a,
        "Lê Thị Cúc",
        national_id="001190000789",
        phone="0901234567",
        residence=Household.Residence.OTHER_PROVINCE,
    )
    worker.categories.add(jobless, poor)
    make_household(ward_a, "Phạm Văn Dũng", address="40 Nguyễn Trãi")
    make_household(ward_a, "Võ Văn Em", status=Household.Status.PROPOSED)
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    ward_request_create(campaign=stocked, ward=ward_a, quantity=5, reason="Còn nhiều hộ chờ", created_by=officer_a)
    return stocked
