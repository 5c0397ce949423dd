"""Households' names, ID and phone numbers: masked in lists and exports, absent from leaders' and public pages."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FULL_ID, FULL_PHONE, NAME = "079081000123", "0912345678", "Nguyễn Văn An"


def text_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(BytesIO(content))
        return "\n".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)
    return content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("district:households"),
        reverse("district:export", args=["households"]),
        reverse("district:export", args=["handouts"]),
    ],
)
def test_district_lists_and_exports_show_the_id_and_phone_masked(world, staff_client, url):
    text = text_of(staff_client.get(url))
    assert NAME in text
    assert FULL_ID not in text and FULL_PHONE not in text
    assert "123" in text


@pytest.mark.parametrize("url", [reverse("ward:households"), reverse("ward:signature_list")])
def test_ward_lists_show_the_id_and_phone_masked(world, officer_a_client, url):
    text = text_of(officer_a_client.get(url))
    assert NAME in text and FULL_ID not in text and FULL_PHONE not in text


@pytest.mark.parametrize(
    "url",
    [
        reverse("leaders:dashboard"),
        reverse("leaders:report"),
        reverse("leaders:export"),
        "ward",
        reverse("public:index"),
        "campaign",
        reverse("public:receipt_check") + "?so=Q5-2021-000001",
    ],
)
def test_leaders_and_public_pages_carry_no_households_personal_data(world, leader_client, url):
    url = {
        "ward": reverse("leaders:ward", args=[world["ward"].pk]),
        "campaign": reverse("public:campaign", args=[world["campaign"].code]),
    }.get(url, url)
    response = leader_client.get(url)
    assert response.status_code == 200
    text = text_of(response)
    for private in (NAME, FULL_ID, FULL_PHONE, "12 Trần Hưng Đạo", "•••123"):
        assert private not in text
