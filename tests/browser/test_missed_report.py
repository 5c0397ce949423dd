"""On phones: someone reports a person the lists missed; the ward's officer finds it on the start page, registers
the household from it and hands a bag out in the same visit; the reporter's code then reads "Đã giải quyết"."""

import re

import pytest
from playwright.sync_api import expect

from households.models import CATEGORIES, Category, MissedReport
from relief.models import Distribution
from tests.browser.conftest import PHONE, _page, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def test_a_report_from_a_phone_becomes_a_household_and_a_hand_out_in_one_visit(
    browser, phone_page, live_server, officer_a, stocked, ward_a
):
    reporter = phone_page
    reporter.goto(f"{live_server.url}/cong-khai/chuong-trinh/{stocked.code}/bao-bo-sot/")
    reporter.get_by_label("Nơi người đó đang ở").select_option(label=ward_a.name)
    reporter.get_by_label("Họ tên người cần hỗ trợ").fill("Trần Văn Tư")
    reporter.get_by_label("Hiện đang ở đâu").fill("Gầm cầu Chữ Y")
    reporter.get_by_label("Mô tả thêm").fill("Bán vé số, mất việc từ tháng 7")
    reporter.get_by_role("button", name="Gửi báo cáo").click()
    expect(reporter.locator(".message.success")).to_contain_text("Mã theo dõi của bạn")
    code = reporter.locator("strong.code").inner_text()
    assert code == MissedReport.objects.get().code
    assert reporter.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(reporter, "missed-report-filed-360")

    context, officer = _page(browser, PHONE)
    try:
        login(officer, live_server, officer_a.username, None)
        officer.goto(f"{live_server.url}/phuong/")
        expect(officer.get_by_text("1 báo bị bỏ sót chờ xác minh")).to_be_visible()
        officer.get_by_role("link", name="Trần Văn Tư").click()
        officer.get_by_role("link", name="Lập hồ sơ hộ từ báo cáo này").click()
        expect(officer.get_by_label("Họ và tên chủ hộ")).to_have_value("Trần Văn Tư")
        officer.get_by_role("button", name="Lưu").click()
        expect(officer.locator("body")).to_contain_text("có thể trao túi ngay")
        officer.get_by_role("button", name="Trao túi").click()
        expect(officer.locator("body")).to_contain_text(re.compile(r"Đã trao túi Q5-2021-T\d+"))
        assert officer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(officer, "missed-report-handed-out-360")
    finally:
        context.close()

    assert Distribution.objects.filter(household__head_name="Trần Văn Tư").count() == 1
    reporter.goto(f"{live_server.url}/cong-khai/theo-doi/?ma={code}")
    expect(reporter.get_by_role("status")).to_contain_text("Đã giải quyết")
    expect(reporter.locator("body")).not_to_contain_text("Trần Văn Tư")
