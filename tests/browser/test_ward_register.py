"""A ward officer registers a household on a phone, is warned of a duplicate, and prints the signature list."""

import re

import pytest
from playwright.sync_api import expect

from households.models import CATEGORIES, Category, Household
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def test_an_officer_registers_a_household_after_correcting_a_cccd_the_duplicate_warning_showed_taken_on_a_phone(
    phone_page, live_server, officer_a, campaign, household_b
):
    page = phone_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/ho/them/")
    page.get_by_label("Họ và tên chủ hộ").fill("Trần Thị Bích")
    page.get_by_label("Số CCCD / CMND").fill("0791850004")
    page.get_by_label("Số điện thoại").fill("0912")
    page.get_by_label("Địa chỉ").fill("8 Hùng Vương")
    page.get_by_label("Hộ nghèo").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Số CCCD phải có 12 chữ số (hoặc CMND cũ 9 chữ số).")).to_be_visible()
    expect(page.get_by_text("Số điện thoại phải có 10 chữ số")).to_be_visible()
    screenshot(page, "ward-household-form-errors-phone")

    page.get_by_label("Số CCCD / CMND").fill(household_b.national_id)
    page.get_by_label("Số điện thoại").fill("")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Số CCCD này đã được đăng ký ở phường khác")).to_be_visible()
    expect(page.get_by_text("Phường 2")).to_have_count(0)
    screenshot(page, "ward-household-duplicate-phone")
    assert Household.objects.filter(ward=officer_a.ward).count() == 0

    # A CCCD belongs to one person: no "not a duplicate" tick, the number is corrected (or the district decides).
    expect(page.get_by_test_id("same-national-id")).to_contain_text("Một số CCCD chỉ thuộc về một người")
    expect(page.get_by_label("Tôi đã kiểm tra: đây không phải hộ trùng, vẫn lưu.")).to_have_count(0)
    page.get_by_label("Số CCCD / CMND").fill("079190000321")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("chờ quận duyệt")
    household = Household.objects.get(ward=officer_a.ward)
    assert (household.status, household.national_id) == ("proposed", "079190000321")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_signature_list_prints_as_a_clean_a4_document(page, live_server, officer_a, campaign, ward_a):
    for n in range(40):
        Household.objects.create(
            ward=ward_a, head_name=f"Nguyễn Văn {n:02d}", address=f"{n} Hùng Vương", status="approved"
        )
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/danh-sach-ky-nhan/")
    expect(page.get_by_role("heading", name="DANH SÁCH NHẬN TÚI AN SINH XÃ HỘI")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Xem")).to_be_hidden()
    expect(page.locator(".sign-table tbody tr")).to_have_count(40)
    screenshot(page, "ward-signature-list-print")
    # Letter unless the print CSS asks for A4: the page size proves the stylesheet's @page rule applies.
    pdf = page.pdf(format="Letter", prefer_css_page_size=True)
    sizes = {tuple(round(float(n)) for n in box.split()[2:]) for box in re.findall(rb"/MediaBox \[([^\]]+)\]", pdf)}
    assert sizes == {(595, 842)}, sizes  # A4 in points
