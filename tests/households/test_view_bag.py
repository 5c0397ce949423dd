import pytest
from django.urls import reverse

from relief.models import Bag

pytestmark = pytest.mark.django_db


def url(bag):
    return reverse("ward:bag", args=[bag.pk])


def test_officer_sees_a_bag_of_their_ward_and_who_received_it(officer_a_client, hand_out_a):
    response = officer_a_client.get(url(hand_out_a.bag))
    assert response.status_code == 200
    assert "Đã trao" in response.text and hand_out_a.household.head_name in response.text


def test_officer_cannot_see_a_bag_of_another_ward(officer_b_client, hand_out_a):
    assert officer_b_client.get(url(hand_out_a.bag)).status_code == 404


def test_officer_cannot_see_a_bag_still_at_the_district(officer_a_client, stocked):
    at_district = Bag.objects.filter(state=Bag.State.AT_DISTRICT).first()
    assert officer_a_client.get(url(at_district)).status_code == 404


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_are_refused_the_bag_page(request, persona, hand_out_a):
    assert request.getfixturevalue(persona).get(url(hand_out_a.bag)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, hand_out_a):
    assert client.get(url(hand_out_a.bag)).status_code == 302


def test_the_bag_page_refuses_post(officer_a_client, hand_out_a):
    assert officer_a_client.post(url(hand_out_a.bag)).status_code == 405
