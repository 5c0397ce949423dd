"""While staff type an amount, the form shows what it will record, in figures and in words."""

import pytest
from django.urls import reverse

from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db

URL = reverse("money:amount_preview")


def preview(client, typed):
    return client.get(URL, {"amount": typed}).content.decode()


def test_only_district_staff_and_administrators_get_a_preview(personas):
    statuses = assert_staff_only(personas, URL, data={"amount": "49 triệu"})
    assert statuses["staff"] == statuses["admin"] == 200


def test_the_preview_answers_only_get(staff_client):
    assert staff_client.post(URL, {"amount": "1"}).status_code == 405


def test_a_readable_amount_is_shown_in_figures_and_words(staff_client):
    content = preview(staff_client, "1,5 triệu")
    assert '= <span class="money">1.500.000 ₫</span>' in content
    assert "Một triệu năm trăm nghìn đồng" in content


def test_an_unreadable_amount_says_why(staff_client):
    assert "Không đọc được số tiền" in preview(staff_client, "abc")
    assert "quá lớn" in preview(staff_client, "9" * 20)
    assert "Số tiền gõ dài quá" in preview(staff_client, "9" * 61)


def test_an_empty_amount_shows_nothing(staff_client):
    assert preview(staff_client, "").strip() == ""


def test_the_amount_field_asks_for_a_preview_as_staff_type(staff_client, campaign):
    content = staff_client.get(reverse("money:donation_new")).content.decode()
    assert f'hx-get="{URL}"' in content
    assert 'id="amount-preview"' in content
