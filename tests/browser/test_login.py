import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_logs_in_on_a_phone_and_lands_on_their_wards_page(phone_page, live_server, officer_a):
    login(phone_page, live_server, officer_a.username, None)
    assert phone_page.url.endswith("/phuong/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Phường 1"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing runs off the screen


def test_a_wrong_password_is_refused_in_vietnamese(page, live_server, officer_a):
    login(page, live_server, officer_a.username, "sai-mat-khau")
    assert "dang-nhap" in page.url
    assert "Tên đăng nhập và mật khẩu chính xác" in page.get_by_role("alert").inner_text()


def test_district_staff_pass_the_code_of_their_app_after_the_password(page, live_server, staff):
    login(page, live_server, staff.username, None)
    assert page.url.endswith("/quan/")
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_staff_without_an_app_enrol_on_a_phone_with_the_qr_code(phone_page, live_server, staff):
    phone_page.goto(f"{live_server.url}/dang-nhap/")
    phone_page.get_by_label("Tên đăng nhập").fill(staff.username)
    phone_page.get_by_label("Mật khẩu").fill(PASSWORD)
    phone_page.get_by_role("button", name="Đăng nhập").click()
    phone_page.wait_for_url("**/tai-khoan/xac-thuc-hai-buoc/**")
    assert phone_page.locator("figure.qr svg").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    device = TOTPDevice.objects.get(user=staff)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    phone_page.get_by_label("Mã xác thực").fill(f"{code:06d}")
    phone_page.get_by_role("button", name="Bật xác thực hai bước").click()
    assert phone_page.get_by_test_id("recovery-codes").locator("li").count() == 10


def test_keyboard_focus_shows_white_on_the_red_top_bar_and_blue_on_the_page(page, live_server, db):
    page.goto(f"{live_server.url}/dang-nhap/")
    focus_ring = """() => {
        const focused = document.activeElement;
        return [focused.closest(".topbar") !== null, getComputedStyle(focused).outlineColor];
    }"""
    page.keyboard.press("Tab")
    assert page.evaluate(focus_ring) == [True, "rgb(255, 255, 255)"]  # the brand link, white on #b3261e
    page.get_by_label("Tên đăng nhập").focus()
    page.keyboard.press("Tab")
    assert page.evaluate(focus_ring) == [False, "rgb(31, 111, 235)"]  # the password box, blue on white
