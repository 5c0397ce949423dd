"""Anyone, on a phone and without logging in, reads the disclosure page and checks a receipt."""

import pytest

from donations.models import Donor
from households.hand_outs import distribution_record
from tests.browser.conftest import screenshot
from tests.conftest import give, make_household

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_reads_the_disclosure_and_checks_a_receipt_on_a_phone(
    phone_page, live_server, stocked, ward_a, officer_a, staff
):
    # Built here rather than with the household_a fixture: earlier transactional tests flush its categories.
    household_a = make_household(ward_a, "Nguyễn Văn An", national_id="079081000123", phone="0912345678")
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    hidden = Donor.objects.create(name="Lý Thị Kín", anonymous=True)
    gift, _ = give(stocked, hidden, staff, amount=2_000_000)

    phone_page.goto(f"{live_server.url}/cong-khai/")
    phone_page.get_by_role("link", name="Túi an sinh xã hội Quận 5").click()

    text = phone_page.locator("main").inner_text()
    assert "Túi an sinh theo phường" in text and "Phường 1" in text
    assert "Nguyễn Văn Hảo" in text and "Nhà hảo tâm ẩn danh" in text
    assert "Lý Thị Kín" not in text and household_a.head_name not in text and household_a.phone not in text
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "public-campaign-phone")

    phone_page.get_by_role("link", name="Tra cứu biên nhận").first.click()
    phone_page.get_by_label("Số biên nhận").fill(gift.receipt_number.lower())
    phone_page.get_by_role("button", name="Tra cứu").click()

    result = phone_page.get_by_role("status").inner_text()
    assert "2.000.000 ₫" in result and "20/08/2021" in result
    assert "Lý Thị Kín" not in result
    screenshot(phone_page, "public-receipt-phone")
