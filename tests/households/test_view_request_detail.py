import pytest
from django.urls import reverse

from relief.services import ward_request_create, ward_request_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(officer_a, staff, campaign, ward_a):
    ward_request = ward_request_create(campaign=campaign, ward=ward_a, quantity=8, reason="Thiếu", created_by=officer_a)
    return ward_request_decide(ward_request=ward_request, decided_by=staff, approved_quantity=0, note="Hết túi")


def url(ward_request):
    return reverse("ward:request", args=[ward_request.pk])


def test_officer_sees_why_their_request_was_refused(officer_a_client, refused):
    response = officer_a_client.get(url(refused))
    assert response.status_code == 200 and "Từ chối" in response.text and "Hết túi" in response.text


def test_officer_cannot_see_a_request_of_another_ward(officer_b_client, refused):
    assert officer_b_client.get(url(refused)).status_code == 404


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_are_refused_the_officer_request_page(request, persona, refused):
    assert request.getfixturevalue(persona).get(url(refused)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, refused):
    assert client.get(url(refused)).status_code == 302


def test_the_request_page_refuses_post(officer_a_client, refused):
    assert officer_a_client.post(url(refused)).status_code == 405
