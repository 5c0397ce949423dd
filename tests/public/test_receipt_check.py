import pytest
from django.urls import reverse

from donations.models import Donor
from donations.services import donation_reverse
from tests.conftest import give

pytestmark = pytest.mark.django_db
URL = reverse("public:receipt_check")


@pytest.fixture
def receipt(funded_campaign):
    return funded_campaign.donations.get()


def test_anyone_sees_the_receipt_form(anyone, db):
    response = anyone.get(URL)

    assert response.status_code == 200
    assert "Số biên nhận" in response.text


def test_nobody_can_post_to_the_receipt_check(client, db):
    assert client.post(URL, {"number": "Q5-2021-BN000001"}).status_code == 405


def test_a_receipt_shows_its_amount_date_and_campaign_and_nothing_about_the_donor(anyone, receipt):
    response = anyone.get(URL, {"number": receipt.receipt_number})

    text = response.text
    assert response.status_code == 200
    assert "10.000.000 ₫" in text and "20/08/2021" in text and "Túi an sinh xã hội Quận 5" in text
    assert "Nguyễn Văn Hảo" not in text
    assert "Mạnh thường quân" not in text


def test_a_receipt_number_typed_in_lower_case_with_spaces_is_found(client, receipt):
    response = client.get(URL, {"number": "  q5-2021-bn 000001 "})

    assert response.context["receipt"]["receipt_number"] == receipt.receipt_number


def test_an_unknown_number_gets_a_clear_answer_not_an_error(client, receipt):
    response = client.get(URL, {"number": "Q5-2021-BN999999"})

    assert response.status_code == 200
    assert "Không tìm thấy biên nhận số" in response.text


def test_a_number_with_odd_characters_is_refused_in_vietnamese(client, db):
    response = client.get(URL, {"number": "<script>' OR 1=1"})

    assert response.status_code == 200
    assert "Số biên nhận chỉ gồm chữ, số và dấu gạch nối" in response.text
    assert "<script>'" not in response.text


def test_an_empty_form_asks_for_a_number_without_looking_anything_up(client, receipt):
    response = client.get(URL)

    assert response.context["searched"] is False
    assert "Không tìm thấy" not in response.text


def test_a_receipt_taken_back_later_says_it_was_corrected(client, funded_campaign, staff):
    donor = Donor.objects.create(name="Phan Văn Lộn", anonymous=False)
    gift, _ = give(funded_campaign, donor, staff, amount=300_000)
    reversal, _ = donation_reverse(donation=gift, recorded_by=staff, reason="Ghi trùng")

    assert "đã được điều chỉnh" in client.get(URL, {"number": gift.receipt_number}).text
    assert "bút toán điều chỉnh" in client.get(URL, {"number": reversal.receipt_number}).text
