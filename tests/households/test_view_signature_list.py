import pytest
from django.urls import reverse

from households.models import Household
from tests.conftest import make_household

pytestmark = pytest.mark.django_db
URL = reverse("ward:signature_list")


def test_the_signature_list_numbers_the_approved_households_with_masked_ids(
    officer_a_client, stocked, ward_a, household_a, household_b
):
    make_household(ward_a, "Lê Thị Cúc", address="3 An Dương Vương", national_id="079185000111")
    make_household(ward_a, "Võ Văn Dũng", status=Household.Status.PROPOSED)
    response = officer_a_client.get(URL)
    assert response.status_code == 200
    assert [h.head_name for h in response.context["rows"]] == ["Lê Thị Cúc", "Nguyễn Văn An"]
    assert "DANH SÁCH NHẬN TÚI AN SINH XÃ HỘI" in response.text
    assert "•••••••••123" in response.text and household_a.national_id not in response.text
    assert household_b.head_name not in response.text and "Võ Văn Dũng" not in response.text
    assert '<td class="sign"></td>' in response.text


def test_the_signature_list_can_leave_out_households_already_served(officer_a_client, ward_a, hand_out_a):
    make_household(ward_a, "Lê Thị Cúc", address="3 An Dương Vương")
    response = officer_a_client.get(URL, {"served": "no"})
    assert [h.head_name for h in response.context["rows"]] == ["Lê Thị Cúc"]


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_are_refused_the_ward_signature_list(request, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_the_signature_list_refuses_post(officer_a_client):
    assert officer_a_client.post(URL).status_code == 405
