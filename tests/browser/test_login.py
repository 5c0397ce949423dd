import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_logs_in_on_a_phone_and_sees_their_name(phone_page, live_server, officer_a):
    login(phone_page, live_server, officer_a.username, None)
    assert "Cán bộ Phường 1" in phone_page.locator("body").inner_text()


def test_a_wrong_password_is_refused_in_vietnamese(page, live_server, officer_a):
    login(page, live_server, officer_a.username, "sai-mat-khau")
    assert "dang-nhap" in page.url
    assert "Tên đăng nhập và mật khẩu chính xác" in page.get_by_role("alert").inner_text()
