import pytest

from relief.models import Bag
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_allocate_bags_to_two_wards_on_one_screen(page, live_server, staff, funded_campaign, ward_a, ward_b):
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/phan-bo/")
    page.get_by_label("Số túi phân bổ cho Phường 1").fill("6")
    page.get_by_label("Số túi phân bổ cho Phường 2").fill("5")
    assert page.locator("#plan-total").inner_text() == "11"
    assert "errors" in page.locator("#plan-total").get_attribute("class")  # more than the 10 in stock
    page.get_by_role("button", name="Lưu phân bổ").click()
    page.wait_for_load_state()
    assert "Quận chỉ còn 10 túi, kế hoạch cần 11 túi" in page.get_by_role("alert").inner_text()
    assert not Bag.objects.filter(ward__isnull=False).exists()

    page.get_by_label("Số túi phân bổ cho Phường 2").fill("4")
    page.get_by_role("button", name="Lưu phân bổ").dblclick()
    page.wait_for_load_state()
    assert "Đã phân bổ 10 túi cho 2 phường" in page.locator("body").inner_text()
    screenshot(page, "district-allocate")
    assert Bag.objects.filter(ward=ward_a).count() == 6 and Bag.objects.filter(ward=ward_b).count() == 4
