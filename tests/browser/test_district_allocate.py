import pytest
from playwright.sync_api import expect

from relief.models import Bag
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_allocate_bags_to_two_wards_on_one_screen(page, live_server, staff, funded_campaign, ward_a, ward_b):
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/phan-bo/")
    page.get_by_label("Số túi phân bổ cho Phường 1").fill("6")
    page.get_by_label("Số túi phân bổ cho Phường 2").fill("5")
    expect(page.locator("#plan-total")).to_have_text("11")
    expect(page.locator("#plan-total")).to_have_class("errors")  # more than the 10 in stock
    page.get_by_role("button", name="Lưu phân bổ").click()
    expect(page.get_by_role("alert")).to_contain_text("Quận chỉ còn 10 túi, kế hoạch cần 11 túi")
    assert not Bag.objects.filter(ward__isnull=False).exists()

    page.get_by_label("Số túi phân bổ cho Phường 2").fill("4")
    page.get_by_role("button", name="Lưu phân bổ").dblclick()
    expect(page.get_by_role("status")).to_contain_text("Đã phân bổ 10 túi cho 2 phường")
    screenshot(page, "district-allocate")
    assert Bag.objects.filter(ward=ward_a).count() == 6 and Bag.objects.filter(ward=ward_b).count() == 4
