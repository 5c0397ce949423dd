import pytest
from django.urls import reverse

from households.models import Household
from relief.services import ward_request_create
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

URL = reverse("district:home")


def test_the_home_page_shows_stock_waiting_requests_proposed_households_and_duplicates(
    staff_client, stocked, ward_a, ward_b, officer_a, household_a
):
    ward_request_create(campaign=stocked, ward=ward_a, quantity=2, reason="Thiếu", created_by=officer_a)
    make_household(ward_b, "Trần Văn Mới", status=Household.Status.PROPOSED, national_id=household_a.national_id)
    response = staff_client.get(URL)
    assert (response.context["stock"], response.context["waiting"]) == (3, 1)
    assert (response.context["proposed"], response.context["duplicates"]) == (1, 1)
    page = response.content.decode()
    for name in ("allocate", "requests", "households", "duplicates", "import_households", "import_donations"):
        assert reverse(f"district:{name}") in page


def test_the_home_page_works_before_any_campaign_exists(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "chưa có chương trình" in response.content.decode()


def test_a_campaign_number_that_is_not_a_number_is_not_found(staff_client, campaign):
    assert staff_client.get(URL, {"campaign": "1 OR 1=1"}).status_code == 404
