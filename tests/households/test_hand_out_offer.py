"""The household card offers "Trao túi" only while the household holds fewer bags than the campaign allows, and never
on the card that confirms a hand-out, on every page that shows the card."""

import pytest
from django.urls import reverse

from households.hand_outs import distribution_record
from tests.households.conftest import hand_out_data

pytestmark = pytest.mark.django_db

PAGES = [
    pytest.param(lambda pk: (reverse("ward:households"), {}), id="register"),
    pytest.param(lambda pk: (reverse("ward:households"), {"served": "yes"}), id="register-served-filter"),
    pytest.param(lambda pk: (reverse("ward:queue"), {"q": "nguyen van an"}), id="quick-hand-out"),
    pytest.param(lambda pk: (reverse("ward:household", args=[pk]), {}), id="household-page"),
]


@pytest.fixture
def two_bag_campaign(stocked):
    stocked.household_limit = 2
    stocked.save(update_fields=["household_limit"])
    return stocked


def hand_outs(household, campaign, officer, times):
    for _ in range(times):
        distribution_record(household=household, campaign=campaign, recorded_by=officer)


def offers_a_bag(response, household):
    assert response.status_code == 200
    return reverse("ward:hand_out", args=[household.pk]) in response.text


@pytest.mark.parametrize("page", PAGES)
def test_the_card_offers_a_second_bag_while_the_campaign_allows_two(
    officer_a_client, officer_a, household_a, two_bag_campaign, page
):
    hand_outs(household_a, two_bag_campaign, officer_a, 1)
    url, query = page(household_a.pk)
    assert offers_a_bag(officer_a_client.get(url, query), household_a)


@pytest.mark.parametrize("page", PAGES)
def test_the_card_offers_no_bag_to_a_household_that_holds_the_campaigns_limit(
    officer_a_client, officer_a, household_a, two_bag_campaign, page
):
    hand_outs(household_a, two_bag_campaign, officer_a, 2)
    url, query = page(household_a.pk)
    response = officer_a_client.get(url, query)
    assert not offers_a_bag(response, household_a)
    assert "Đã nhận túi" in response.text


def test_the_card_offers_the_first_bag_to_an_approved_household(officer_a_client, household_a, stocked):
    assert offers_a_bag(officer_a_client.get(reverse("ward:households")), household_a)


def test_the_hand_out_answer_confirms_the_bag_and_offers_no_other_even_when_the_campaign_allows_two(
    officer_a_client, household_a, two_bag_campaign
):
    response = officer_a_client.post(
        reverse("ward:hand_out", args=[household_a.pk]), hand_out_data(two_bag_campaign), HTTP_HX_REQUEST="true"
    )
    assert "Đã trao túi" in response.text and "Đã nhận túi" in response.text
    assert not offers_a_bag(response, household_a)


def test_a_refused_hand_out_answer_offers_no_bag_past_the_limit(
    officer_a_client, officer_a, household_a, two_bag_campaign
):
    hand_outs(household_a, two_bag_campaign, officer_a, 2)
    response = officer_a_client.post(
        reverse("ward:hand_out", args=[household_a.pk]), hand_out_data(two_bag_campaign), HTTP_HX_REQUEST="true"
    )
    assert 'role="alert"' in response.text
    assert not offers_a_bag(response, household_a)


def test_the_register_search_is_sent_on_typing_and_submitting_only(officer_a_client, stocked):
    response = officer_a_client.get(reverse("ward:households"))
    assert 'hx-trigger="input delay:300ms, submit"' in response.text
