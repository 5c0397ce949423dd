"""A real Chromium driven by Playwright, against the app served by pytest-django's live server.

Debian's Chromium (``apt-get install chromium``) is used as it is: Playwright downloads no browser. Without it the
browser tests skip and say how to install it, except where REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from relief import two_factor
from relief.models import User

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would refuse the ORM calls
# the tests make to set up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Chromium is not installed: run `sudo apt-get install chromium` to run the browser tests."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


def login(page, live_server, username, password):
    """Log in through the login page; a person who must use two-factor sign-in has an app enrolled and types its
    code on the next page, as they would."""
    from tests.conftest import PASSWORD

    user = User.objects.filter(username=username).first()
    device = user and (
        two_factor.confirmed_app_device(user)
        or (user.must_use_two_factor and TOTPDevice.objects.create(user=user, confirmed=True))
    )
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password or PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    if device and "/dang-nhap/ma-xac-thuc/" in page.url:
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        page.get_by_label("Mã xác thực").fill(f"{code:06d}")
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_load_state()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
