"""Today's shape in a browser: Phường Mẫu runs its own campaign over its khu phố, and its city's leader reads it."""

import pytest
from playwright.sync_api import expect

from donations.models import Donor
from households.models import CATEGORIES, Category
from relief.models import Bag, Distribution
from tests.browser.conftest import login, screenshot
from tests.conftest import make_household

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def test_a_ward_funds_allocates_and_hands_out_to_its_khu_pho_and_its_leader_reads_it(
    page, phone_page, live_server, two_tier
):
    Donor.objects.create(name="Lê Văn Tâm", district=two_tier.ward_unit)
    household = make_household(two_tier.kp1, "Lê Thị Một", national_id="079190000111")

    login(page, live_server, two_tier.ward_staff.username, None)
    page.goto(f"{live_server.url}/quan/tien/ung-ho/moi/")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'donor_query'")
    page.keyboard.type("le van tam")
    page.get_by_role("option", name="Lê Văn Tâm").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.type("6 triệu")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("01/09/2025")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bien-nhan/")
    assert "PM-2025-BN000001" in page.locator("body").inner_text()

    page.goto(f"{live_server.url}/quan/phan-bo/")
    expect(page.get_by_role("heading", name="Phân bổ túi cho các khu phố")).to_be_visible()
    page.get_by_label("Số túi phân bổ cho Khu phố 1").fill("4")
    page.get_by_label("Số túi phân bổ cho Khu phố 2").fill("2")
    page.get_by_role("button", name="Lưu phân bổ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã phân bổ 6 túi cho 2 khu phố")
    screenshot(page, "ward-campaign-allocate")
    assert Bag.objects.filter(ward=two_tier.kp1).count() == 4

    login(phone_page, live_server, two_tier.officer_kp1.username, None)
    phone_page.goto(f"{live_server.url}/phuong/")
    phone_page.get_by_role("link", name="Phát nhanh").first.click()
    phone_page.wait_for_load_state()
    phone_page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại").fill("le thi mot")
    card = phone_page.locator(f"#hh-{household.pk}")
    card.get_by_role("button", name="Trao túi").click()
    expect(card).to_contain_text("Đã trao túi PM-2025-T000001")
    expect(phone_page.get_by_test_id("stock")).to_have_text("3")
    screenshot(phone_page, "ward-campaign-khu-pho-hand-out-phone")
    assert Distribution.objects.get().ward == two_tier.kp1

    page.context.clear_cookies()
    login(page, live_server, two_tier.ward_leader.username, None)
    page.goto(f"{live_server.url}/lanh-dao/")
    expect(page.get_by_role("heading", name="Số liệu theo khu phố")).to_be_visible()
    row = page.locator("table.ward-table tbody tr", has_text="Khu phố 1")
    expect(row).to_contain_text("1")
    screenshot(page, "ward-campaign-leader")


def test_a_city_leader_rolls_up_the_ward_s_campaign_and_drills_down_to_a_khu_pho(
    page, live_server, ward_campaign_under_way
):
    world = ward_campaign_under_way
    login(page, live_server, world.city_leader.username, None)
    page.goto(f"{live_server.url}/lanh-dao/")
    rollup = page.get_by_test_id("rollup")
    expect(rollup).to_contain_text("Túi an sinh Thành phố Mẫu")
    expect(rollup).to_contain_text("Túi an sinh Phường Mẫu")
    expect(rollup).not_to_contain_text("Xã Khác")
    screenshot(page, "city-leader-rollup")

    rollup.get_by_role("link", name="Túi an sinh Phường Mẫu").click()
    expect(page.get_by_role("heading", name="Số liệu theo khu phố")).to_be_visible()
    page.locator("table.ward-table").get_by_role("link", name="Khu phố 1").click()
    expect(page.get_by_role("heading", name="Khu phố 1")).to_be_visible()
    screenshot(page, "city-leader-khu-pho")
