import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.hand_outs import distribution_record
from households.models import Household
from relief.models import Ward
from relief.selectors import ward_figures
from relief.services import ward_request_create
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def test_ward_figures_count_stock_hand_outs_and_households(stocked, ward_a, ward_b, household_a, officer_a):
    make_household(ward_a, "Lê Thị Cúc", address="3 An Dương Vương")
    make_household(ward_a, "Võ Văn Dũng", status=Household.Status.PROPOSED)
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    ward_request_create(campaign=stocked, ward=ward_a, quantity=5, reason="Còn nhiều hộ chờ", created_by=officer_a)

    figures = ward_figures(stocked, [ward_a, ward_b])

    a, b = figures[ward_a.pk], figures[ward_b.pk]
    assert (a.allocated, a.handed_out, a.in_stock) == (4, 1, 3)
    assert (a.households_approved, a.households_proposed, a.households_served, a.households_waiting) == (2, 1, 1, 1)
    assert a.coverage == 50.0
    assert a.pending_requests == 1
    assert (b.allocated, b.handed_out, b.in_stock, b.households_approved, b.coverage) == (3, 0, 3, 0, 0.0)


def test_ward_figures_take_one_query_for_two_wards_or_twenty(stocked, district, ward_a, ward_b):
    with CaptureQueriesContext(connection) as few:
        ward_figures(stocked, [ward_a, ward_b])
    more = [Ward.objects.create(district=district, code=f"q5-p{n:02d}", name=f"Phường {n}") for n in range(3, 21)]
    with CaptureQueriesContext(connection) as many:
        ward_figures(stocked, [ward_a, ward_b, *more])
    assert len(many) == len(few) == 1
