"""The receipt: number, donor, amount in figures and words, campaign and legal basis, date, who received it."""

import re

import pytest
from django.urls import reverse

from donations.services import donation_reverse
from tests.conftest import give
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db


def url(donation):
    return reverse("money:receipt", args=[donation.pk])


def test_only_district_staff_and_administrators_see_a_receipt(personas, donation):
    statuses = assert_staff_only(personas, url(donation))
    assert statuses["staff"] == statuses["admin"] == 200


def test_a_receipt_is_only_read(staff_client, donation):
    assert staff_client.post(url(donation)).status_code == 405


def test_another_districts_receipt_is_not_found(staff_client, other_donation):
    assert staff_client.get(url(other_donation)).status_code == 404


def test_a_receipt_that_does_not_exist_is_not_found(staff_client, donation):
    assert staff_client.get(reverse("money:receipt", args=[999_999])).status_code == 404


def test_the_receipt_states_everything_an_official_receipt_needs(staff_client, donation):
    content = staff_client.get(url(donation)).content.decode()
    for expected in [
        "Q5-2021-BN000001",
        "Nguyễn Văn Hảo",
        "49.000.000 ₫",
        "Bốn mươi chín triệu đồng",
        "Túi an sinh xã hội Quận 5",
        "Kết luận số 492-KL/QU ngày 17/8/2021",
        "Quận 5, ngày 20 tháng 8 năm 2021",
        "Cán bộ quận",
        "Tiền mặt",
    ]:
        assert expected in content, expected


def test_the_words_are_right_for_the_seed_storys_amounts(staff_client, campaign, donor, staff):
    for amount, words in [
        (51_000_000, "Năm mươi mốt triệu đồng"),
        (300_000_000, "Ba trăm triệu đồng"),
        (1_505_000, "Một triệu năm trăm linh năm nghìn đồng"),
    ]:
        donation = give(campaign, donor, staff, amount=amount)[0]
        assert words in staff_client.get(url(donation)).content.decode()


def test_a_gift_in_kind_states_its_bags_in_figures_and_words(staff_client, campaign, donor, staff):
    donation = give(campaign, donor, staff, bags=25)[0]
    content = staff_client.get(url(donation)).content.decode()
    assert "25 túi" in content
    assert "Hai mươi lăm túi" in content


def test_a_reversal_receipt_names_the_receipt_it_corrects_and_why(staff_client, donation, staff):
    reversal, _ = donation_reverse(donation=donation, recorded_by=staff, reason="Nhập nhầm số tiền")
    content = staff_client.get(url(reversal)).content.decode()
    assert "Biên nhận điều chỉnh" in content
    assert "Số tiền điều chỉnh giảm" in content
    assert "Bốn mươi chín triệu đồng" in content
    assert url(donation) in content
    assert "Nhập nhầm số tiền" in content
    original = staff_client.get(url(donation)).content.decode()
    assert url(reversal) in original
    assert reverse("money:donation_reverse", args=[donation.pk]) not in original


def test_a_reversal_receipt_reads_as_a_correction_not_as_money_received(staff_client, donation, staff):
    reversal, _ = donation_reverse(donation=donation, recorded_by=staff, reason="Nhập nhầm số tiền")
    content = staff_client.get(url(reversal)).content.decode()
    assert "Khoản ủng hộ của" in content
    assert f"Điều chỉnh giảm khoản đã ghi ở biên nhận số {donation.receipt_number}" in content
    assert "Người lập" in content and "Người duyệt" in content
    gift = re.compile(r"Nội dung</dt>\s*<dd>Ủng hộ")
    assert "Nhận của" not in content and "Người nộp" not in content and not gift.search(content)
    original = staff_client.get(url(donation)).content.decode()
    assert "Nhận của" in original and "Người nộp" in original and gift.search(original)


def test_the_receipt_shows_where_the_bags_it_paid_for_are(staff_client, stocked):
    first = stocked.donations.get()
    content = staff_client.get(url(first)).content.decode()
    assert "10 túi" in content
    assert "Phường 1: 4 túi" in content
    assert "Phường 2: 3 túi" in content


def test_printing_is_a_button_of_our_script_not_inline_code(staff_client, donation):
    content = staff_client.get(url(donation)).content.decode()
    assert "data-print" in content
    assert "onclick" not in content
    assert "<script>" not in content


def test_the_receipt_takes_a_fixed_number_of_queries(staff_client, stocked, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # 6 for the receipt and its bags, 1 for its history
        staff_client.get(url(stocked.donations.get()))
