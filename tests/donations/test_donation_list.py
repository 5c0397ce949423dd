"""The receipt list: every donation and reversal of the district, linked to each other, filtered and paginated."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.services import donation_record, donation_reverse
from tests.conftest import give
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db

URL = reverse("money:donation_list")


def receipt(donation):
    return reverse("money:receipt", args=[donation.pk])


def on(campaign, donor, staff, day, method="cash", amount=1_000_000):
    return donation_record(
        campaign=campaign,
        donor=donor,
        recorded_by=staff,
        received_on=datetime.date(2021, 8, day),
        method=method,
        amount=amount,
    )[0]


def test_only_district_staff_and_administrators_see_the_list(personas, donation):
    statuses = assert_staff_only(personas, URL)
    assert statuses["staff"] == statuses["admin"] == 200


def test_the_list_is_only_read(staff_client):
    assert staff_client.post(URL).status_code == 405


def test_a_donation_and_its_reversal_are_both_listed_and_linked(staff_client, donation, staff):
    reversal, _ = donation_reverse(donation=donation, recorded_by=staff, reason="Nhập nhầm")
    content = staff_client.get(URL).content.decode()
    assert content.count(f'href="{receipt(donation)}"') == 2  # its own row and the reversal's "điều chỉnh cho"
    assert content.count(f'href="{receipt(reversal)}"') == 2
    assert "-49.000.000 ₫" in content
    assert "Nhập nhầm" in content


def test_another_districts_receipts_are_not_listed(staff_client, donation, other_donation):
    content = staff_client.get(URL).content.decode()
    assert donation.receipt_number in content
    assert other_donation.receipt_number not in content


def test_the_administrator_sees_every_district(admin_client_, donation, other_donation):
    content = admin_client_.get(URL).content.decode()
    assert donation.receipt_number in content
    assert other_donation.receipt_number in content


def test_receipts_filter_by_campaign_method_and_date(staff_client, campaign, donor, staff):
    early = on(campaign, donor, staff, 18)
    transfer = on(campaign, donor, staff, 20, method="transfer")
    late = on(campaign, donor, staff, 22)

    def listed(**filters):
        content = staff_client.get(URL, filters).content.decode()
        return {d.receipt_number for d in (early, transfer, late) if d.receipt_number in content}

    assert listed(method="transfer") == {transfer.receipt_number}
    assert listed(since="19/08/2021") == {transfer.receipt_number, late.receipt_number}
    assert listed(since="19/08/2021", until="21/08/2021") == {transfer.receipt_number}
    assert listed(campaign=campaign.pk, method="cash") == {early.receipt_number, late.receipt_number}
    assert listed(q="BN000003") == {late.receipt_number}


def test_receipts_filter_by_donor_name_typed_without_diacritics(staff_client, campaign, donor, staff, district):
    from donations.models import Donor

    other = Donor.objects.create(name="Lê Thị Mai", district=district)
    mine = give(campaign, donor, staff, amount=1_000_000)[0]
    hers = give(campaign, other, staff, amount=1_000_000)[0]
    content = staff_client.get(URL, {"q": "le thi mai"}).content.decode()
    assert hers.receipt_number in content
    assert mine.receipt_number not in content


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"since": "32/08/2021"}, "Ngày không hợp lệ"),
        ({"until": "abc"}, "Ngày không hợp lệ"),
        ({"since": "22/08/2021", "until": "18/08/2021"}, "phải sau"),
        ({"method": "bitcoin"}, "Hình thức không hợp lệ"),
        ({"campaign": "abc"}, "Chương trình không có"),
        ({"campaign": "999999"}, "Chương trình không có"),
    ],
)
def test_a_filter_typed_wrong_is_reported_in_vietnamese_not_a_crash(staff_client, donation, filters, message):
    response = staff_client.get(URL, filters)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_another_districts_campaign_is_not_a_filter_choice(staff_client, donation, other_campaign):
    response = staff_client.get(URL, {"campaign": other_campaign.pk})
    assert "Chương trình không có" in response.content.decode()


def test_the_list_is_paginated_and_keeps_the_filters(staff_client, campaign, donor, staff):
    for _ in range(51):
        give(campaign, donor, staff, amount=1_000_000)
    first = staff_client.get(URL, {"method": "cash"})
    assert len(first.context["page"].object_list) == 50
    assert "method=cash&amp;trang=2" in first.content.decode()
    second = staff_client.get(URL, {"method": "cash", "trang": 2})
    assert len(second.context["page"].object_list) == 1
    assert staff_client.get(URL, {"trang": "abc"}).status_code == 200
    assert staff_client.get(URL, {"trang": "9999"}).context["page"].number == 2


def test_the_list_takes_the_same_number_of_queries_for_few_or_many_receipts(staff_client, campaign, donor, staff):
    give(campaign, donor, staff, amount=1_000_000)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(URL)
    for _ in range(20):
        donation = give(campaign, donor, staff, amount=1_000_000)[0]
    donation_reverse(donation=donation, recorded_by=staff, reason="Nhầm")
    with CaptureQueriesContext(connection) as many:
        staff_client.get(URL)
    assert len(many) == len(few)
