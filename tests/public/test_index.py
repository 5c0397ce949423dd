import pytest
from django.urls import reverse

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
