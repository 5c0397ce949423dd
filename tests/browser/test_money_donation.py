"""District staff enter donations by keyboard alone, see the receipt, and see the campaign's totals move."""

import pytest

from donations.models import Donation, Donor
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def focused_name(page):
    return page.evaluate("document.activeElement && document.activeElement.name")


def test_staff_enter_donations_by_keyboard_and_the_totals_move(page, live_server, staff, campaign, donor):
    Donor.objects.create(name="Nguyễn Thị Lan", district=campaign.district)
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/tien/ung-ho/moi/")

    # The donor field has the focus: type the name without diacritics and choose with the keyboard.
    assert focused_name(page) == "donor_query"
    page.keyboard.type("nguyen van h")
    page.get_by_role("option", name="Nguyễn Văn Hảo").wait_for()
    screenshot(page, "money-donor-autocomplete")
    page.keyboard.press("Enter")
    assert page.locator("input[name=donor]").input_value() == str(donor.pk)
    assert page.get_by_role("combobox", name="Nhà hảo tâm").input_value() == "Nguyễn Văn Hảo"
    assert focused_name(page) == "amount"
    page.keyboard.type("49 triệu")
    page.locator("#amount-preview").get_by_text("Bốn mươi chín triệu đồng").wait_for()
    assert "= 49.000.000 ₫" in page.locator("#amount-preview").inner_text()
    page.keyboard.press("Tab")
    assert focused_name(page) == "received_on"
    page.keyboard.press("Control+A")
    page.keyboard.type("20/08/2021")
    page.keyboard.press("Enter")

    page.wait_for_url("**/bien-nhan/")
    body = page.locator("body").inner_text()
    assert "khoản này hoàn thành 49 túi" in body
    assert "Q5-2021-BN000001" in body
    assert page.locator("[data-amount-words]").inner_text() == "Bốn mươi chín triệu đồng"
    assert "ngày 20 tháng 8 năm 2021" in body
    screenshot(page, "money-receipt")
    page.emulate_media(media="print")
    assert page.locator(".receipt").is_visible()
    for screen_only in ("header.topbar", ".receipt-actions", ".messages", ".trace"):
        assert page.locator(screen_only).is_hidden(), screen_only
    screenshot(page, "money-receipt-print")
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/quan/tien/chuong-trinh/{campaign.pk}/")
    assert page.locator("[data-figure=net-cash]").inner_text() == "49.000.000 ₫"
    assert page.locator("[data-figure=funded]").inner_text() == "49"

    # A second donor, new: typed, "add new" chosen, then a bank transfer of 1,5 triệu, all by keyboard.
    page.goto(f"{live_server.url}/quan/tien/ung-ho/moi/")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'donor_query'")
    page.keyboard.type("Bà Sáu bán bánh mì")
    page.get_by_role("option", name="Thêm nhà hảo tâm mới").wait_for()
    assert page.get_by_role("combobox", name="Nhà hảo tâm").input_value() == "Bà Sáu bán bánh mì"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert focused_name(page) == "donor_kind"
    assert page.locator("input[name=new_donor]").is_checked()
    page.keyboard.press("Tab")  # organisation
    page.keyboard.press("Tab")  # phone
    page.keyboard.type("0912 345 678")
    page.keyboard.press("Tab")  # "stay anonymous in public": left unticked
    assert focused_name(page) == "donor_anonymous"
    page.keyboard.press("Tab")  # the method radios: arrows choose
    assert page.evaluate("document.activeElement.value") == "cash"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "transfer"
    page.keyboard.press("Tab")
    assert focused_name(page) == "amount"
    page.keyboard.type("1,5 triệu")
    screenshot(page, "money-donation-form")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bien-nhan/")
    assert "Một triệu năm trăm nghìn đồng" in page.locator("body").inner_text()
    new_donor = Donor.objects.get(name="Bà Sáu bán bánh mì")
    assert new_donor.phone == "0912345678"

    page.goto(f"{live_server.url}/quan/tien/chuong-trinh/{campaign.pk}/")
    assert page.locator("[data-figure=net-cash]").inner_text() == "50.500.000 ₫"
    assert page.locator("[data-figure=funded]").inner_text() == "50"
    assert page.locator("[data-figure=remainder]").inner_text() == "500.000 ₫"
    screenshot(page, "money-overview")
    assert Donation.objects.count() == 2

    page.goto(f"{live_server.url}/quan/tien/ung-ho/")
    assert page.locator("table.donations tbody tr").count() == 2
    screenshot(page, "money-donation-list")
    page.goto(f"{live_server.url}/quan/tien/nha-hao-tam/{donor.pk}/")
    assert "49.000.000 ₫" in page.locator("body").inner_text()
    screenshot(page, "money-donor-detail")


def test_a_double_click_on_save_records_the_donation_once(page, live_server, staff, campaign, donor):
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/tien/ung-ho/moi/")
    page.keyboard.type("hảo")
    page.get_by_role("option", name="Nguyễn Văn Hảo").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.type("2.000.000")
    page.get_by_role("button", name="Ghi và lập biên nhận").dblclick()
    page.wait_for_url("**/bien-nhan/")
    assert Donation.objects.count() == 1


def test_the_form_and_the_receipt_fit_a_phone(phone_page, live_server, staff, campaign, donor):
    login(phone_page, live_server, staff.username, None)
    phone_page.goto(f"{live_server.url}/quan/tien/ung-ho/moi/")
    phone_page.keyboard.type("abc")
    phone_page.get_by_role("button", name="Ghi và lập biên nhận").click()
    assert "Hãy gõ tên rồi chọn nhà hảo tâm" in phone_page.locator("body").inner_text()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone_page, "money-donation-form-phone-errors")
    phone_page.get_by_role("combobox", name="Nhà hảo tâm").fill("")
    phone_page.keyboard.type("hao")
    phone_page.get_by_role("option", name="Nguyễn Văn Hảo").wait_for()
    phone_page.keyboard.press("Enter")
    phone_page.keyboard.type("300 triệu")
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/bien-nhan/")
    assert "Ba trăm triệu đồng" in phone_page.locator(".receipt").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "money-receipt-phone")
