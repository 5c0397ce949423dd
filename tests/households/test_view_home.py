import datetime

import pytest
from django.urls import reverse

from households.hand_outs import distribution_cancel, distribution_record
from relief.models import Campaign
from relief.selectors import ward_figures
from relief.services import ward_request_create
from tests.conftest import make_household

pytestmark = pytest.mark.django_db
URL = reverse("ward:home")


def test_officer_lands_on_their_ward_page_with_the_selector_figures(officer_a_client, stocked, ward_a, hand_out_a):
    make_household(ward_a, "Lê Thị Cúc", status="proposed")
    response = officer_a_client.get(URL)
    assert response.status_code == 200
    figures = response.context["home"].figures
    assert figures == ward_figures(stocked, [ward_a])[ward_a.pk]
    assert (figures.in_stock, figures.handed_out, figures.households_proposed) == (3, 1, 1)
    assert response.context["home"].handed_out_today == 1
    assert response.context["home"].latest == [hand_out_a]
    assert hand_out_a.bag.serial in response.text


def test_home_counts_no_cancelled_hand_out_today(officer_a_client, officer_a, hand_out_a):
    distribution_cancel(distribution=hand_out_a, cancelled_by=officer_a, reason="Nhầm hộ")
    response = officer_a_client.get(URL)
    assert response.context["home"].handed_out_today == 0
    assert "Đã hủy: Nhầm hộ" in response.text


def test_home_shows_the_ward_requests_and_their_status(officer_a_client, officer_a, stocked, ward_a):
    ward_request_create(campaign=stocked, ward=ward_a, quantity=7, reason="Thiếu túi", created_by=officer_a)
    assert "Đang chờ quận" in officer_a_client.get(URL).text


def test_officer_sees_only_their_ward_figures(officer_b_client, stocked, ward_b, hand_out_a):
    response = officer_b_client.get(URL)
    assert response.context["home"].figures.in_stock == 3
    assert response.context["home"].latest == []
    assert hand_out_a.household.head_name not in response.text


def test_home_defaults_to_the_most_recent_open_campaign_and_lets_the_officer_pick(
    officer_a_client, officer_a, stocked, district
):
    newer = Campaign.objects.create(
        code="Q5-2022", name="Đợt 2", district=district, starts_on=datetime.date(2022, 1, 1)
    )
    Campaign.objects.create(code="Q5-OLD", name="Đã đóng", district=district, is_open=False)
    response = officer_a_client.get(URL)
    assert response.context["campaign"] == newer
    assert response.context["campaigns"] == [newer, stocked]
    picked = officer_a_client.get(URL, {"campaign": stocked.pk})
    assert picked.context["campaign"] == stocked
    assert officer_a_client.get(reverse("ward:households")).context["campaign"] == stocked  # remembered


def test_officer_cannot_pick_another_district_campaign(officer_a_client, stocked, other_district):
    foreign = Campaign.objects.create(code="BTL", name="Bắc Từ Liêm", district=other_district)
    assert officer_a_client.get(URL, {"campaign": foreign.pk}).context["campaign"] == stocked


def test_home_without_an_open_campaign_says_so(officer_a_client, campaign):
    campaign.is_open = False
    campaign.save()
    assert "chưa mở chương trình" in officer_a_client.get(URL).text


def test_home_takes_a_fixed_number_of_queries(
    officer_a_client, officer_a, stocked, ward_a, django_assert_max_num_queries
):
    for n in range(3):
        household = make_household(ward_a, f"Hộ số {n}", address=f"{n} Nguyễn Trãi")
        distribution_record(household=household, campaign=stocked, recorded_by=officer_a)
    with django_assert_max_num_queries(15):
        officer_a_client.get(URL)


def test_district_staff_is_refused_the_ward_page(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_leader_is_refused_the_ward_page(leader_client):
    assert leader_client.get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_posting_to_the_ward_page_is_not_allowed(officer_a_client):
    assert officer_a_client.post(URL).status_code == 405
