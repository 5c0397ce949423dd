import pytest
from django.urls import reverse

from households.hand_outs import distribution_record
from relief.models import Campaign

pytestmark = pytest.mark.django_db
URL = reverse("public:index")


def test_anyone_sees_the_list_of_campaigns(anyone, campaign, district):
    Campaign.objects.create(code="Q5-2020", name="Túi an sinh năm trước", district=district, is_open=False)

    response = anyone.get(URL)

    assert response.status_code == 200
    text = response.text
    assert "Chương trình đang thực hiện" in text and "Túi an sinh xã hội Quận 5" in text
    assert "Chương trình đã kết thúc" in text and "Túi an sinh năm trước" in text
    assert reverse("public:campaign", args=["Q5-2021"]) in text


def test_the_list_says_so_when_there_is_no_campaign(client, db):
    assert "Chưa có chương trình nào" in client.get(URL).text


def test_nobody_can_post_to_the_list(client, campaign):
    assert client.post(URL).status_code == 405


def test_each_campaign_shows_its_money_received_bags_funded_and_bags_handed_out(
    anyone, stocked, household_a, officer_a, district
):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    Campaign.objects.create(code="Q5-2020", name="Túi an sinh năm trước", district=district, is_open=False)

    response = anyone.get(URL)

    rows = {
        campaign.code: (money, bags["funded"], bags["handed_out"])
        for campaign, money, bags in response.context["campaigns"]
    }
    assert rows == {"Q5-2021": (10_000_000, 10, 1), "Q5-2020": (0, 0, 0)}
    assert "10.000.000 ₫" in response.text and "Túi đã trao" in response.text


def test_the_list_of_campaigns_takes_as_many_queries_for_many_campaigns_as_for_one(
    client, campaign, district, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get(URL)
    for n in range(10):
        Campaign.objects.create(code=f"Q5-20{n:02d}", name=f"Đợt {n}", district=district, is_open=False)
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200
