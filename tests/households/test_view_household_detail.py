import pytest
from django.urls import reverse

from households.hand_outs import distribution_cancel

pytestmark = pytest.mark.django_db


def url(household):
    return reverse("ward:household", args=[household.pk])


def test_officer_sees_a_household_of_their_ward_with_its_hand_outs(officer_a_client, household_a, hand_out_a):
    response = officer_a_client.get(url(household_a))
    assert response.status_code == 200
    assert household_a.head_name in response.text and hand_out_a.bag.serial in response.text
    assert reverse("ward:cancel_hand_out", args=[hand_out_a.pk]) in response.text


def test_a_hand_out_that_can_still_be_cancelled_offers_its_cancel_above_the_household_card(
    officer_a_client, household_a, hand_out_a
):
    page = officer_a_client.get(url(household_a)).text
    cancel = reverse("ward:cancel_hand_out", args=[hand_out_a.pk])
    near_top = page.index('data-testid="cancel-near-top"')
    assert near_top < page.index(f'id="hh-{household_a.pk}"') and page.index(cancel) > near_top
    assert "Hủy nếu nhầm" in page


def test_a_cancelled_hand_out_offers_no_cancel_above_the_card(officer_a_client, officer_a, household_a, hand_out_a):
    distribution_cancel(distribution=hand_out_a, cancelled_by=officer_a, reason="Nhầm hộ")
    assert 'data-testid="cancel-near-top"' not in officer_a_client.get(url(household_a)).text


def test_a_cancelled_hand_out_stays_in_the_history_with_its_reason(
    officer_a_client, officer_a, household_a, hand_out_a
):
    distribution_cancel(distribution=hand_out_a, cancelled_by=officer_a, reason="Nhầm hộ")
    response = officer_a_client.get(url(household_a))
    assert "Nhầm hộ" in response.text and hand_out_a.bag.serial in response.text
    assert "Trao túi</button>" in response.text


def test_another_officer_of_the_ward_is_not_offered_to_cancel(officer_a, ward_a, household_a, hand_out_a):
    from tests.conftest import client_for, make_user

    colleague = make_user("canbo_p1_b", "ward_officer", ward=ward_a)
    response = client_for(colleague).get(url(household_a))
    assert response.status_code == 200
    assert reverse("ward:cancel_hand_out", args=[hand_out_a.pk]) not in response.text


def test_the_page_warns_of_a_likely_duplicate_without_naming_another_wards_household(
    officer_a_client, household_a, household_b
):
    household_b.national_id = household_a.national_id
    household_b.save()
    page = officer_a_client.get(url(household_a)).text
    assert "Số CCCD này đã được đăng ký ở phường khác; quận sẽ đối chiếu và giải quyết." in page
    assert household_b.head_name not in page


def test_officer_cannot_see_a_household_of_another_ward(officer_b_client, household_a):
    assert officer_b_client.get(url(household_a)).status_code == 404


def test_an_unknown_household_is_not_found(officer_a_client, db):
    assert officer_a_client.get(reverse("ward:household", args=[987654])).status_code == 404


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_are_refused_the_household_page(request, persona, household_a):
    assert request.getfixturevalue(persona).get(url(household_a)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, household_a):
    assert client.get(url(household_a)).status_code == 302


def test_the_household_page_refuses_post(officer_a_client, household_a):
    assert officer_a_client.post(url(household_a)).status_code == 405
