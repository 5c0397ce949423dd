import pytest

from tests.browser.conftest import login

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
