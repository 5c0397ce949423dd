"""Every ward page without arguments, for every persona: the officer gets it, nobody else does, nothing 500s."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["ward:home", "ward:households", "ward:household_create", "ward:queue", "ward:requests", "ward:signature_list"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["officer_a_client", "officer_b_client"])
def test_every_ward_page_renders_for_an_officer_with_or_without_data(request, persona, name, stocked, hand_out_a):
    assert request.getfixturevalue(persona).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_every_ward_page_renders_when_the_district_has_no_campaign(officer_a_client, name):
    assert officer_a_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["staff_client", "leader_client", "admin_client_"])
def test_every_ward_page_is_refused_to_people_without_a_ward(request, persona, name, campaign):
    assert request.getfixturevalue(persona).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_every_ward_page_sends_anonymous_visitors_to_log_in(client, name, db):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
