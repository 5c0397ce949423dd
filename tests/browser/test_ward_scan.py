"""Scanning on a 360 px phone: hand out a bag by photographing its label, find a person by photographing their
CCCD, register a household from a photographed CCCD, and a wrong bag refused.

Debian's Chromium on Linux has no ``BarcodeDetector`` (checked below), so the "Quét" buttons take the photo path
there: they open the phone's camera through the photo input, and the server reads the photo. The camera path is
exercised with Chromium's fake camera and a stand-in detector in ``test_ward_scan_camera.py``.
"""

import datetime

import pytest
from playwright.sync_api import expect

from households.models import CATEGORIES, Category, Household
from relief.models import Bag, Distribution
from tests.browser.conftest import ARTIFACTS, login, screenshot
from tests.scan_images import cases, encoded

pytestmark = pytest.mark.django_db(transaction=True)

CCCD_A = "079081000123|023456789|Nguyễn Văn An|15031981|Nam|12 Trần Hưng Đạo, Phường 1, Quận 5|20042021"
CCCD_NEW = "079186000789||Phạm Thị Dung|09091986|Nữ|5 An Dương Vương, Phường 1, Quận 5|01022023"


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def photo_file(text, name, case="rotated"):
    """A phone's photo of the code of ``text``, as a file the test hands to the file chooser."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.jpg"
    path.write_bytes(encoded(cases(text, "x")[case]))
    return str(path)


def scan(page, button, photo):
    """Tap a "Quét" button and take the photo: the file chooser stands for the phone's camera."""
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(photo)


def test_debians_chromium_has_no_barcode_detector_so_the_scan_buttons_take_a_photo(phone_page, live_server, officer_a):
    page = phone_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/phat-nhanh/")
    assert page.evaluate("'BarcodeDetector' in window") is False
    expect(page.get_by_role("button", name="Quét CCCD")).to_be_visible()
    expect(page.get_by_label("Hoặc chụp mã QR trên CCCD")).to_be_hidden()  # the button opens it
    expect(page.get_by_role("button", name="Tìm theo ảnh")).to_be_hidden()  # a photo is sent as soon as taken
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Quét CCCD").click()
    assert chooser.value.element.get_attribute("capture") == "environment"


def test_an_officer_finds_a_person_by_their_cccd_and_hands_out_the_bag_whose_label_was_photographed(
    phone_page, live_server, officer_a, stocked, household_a, ward_a
):
    page = phone_page
    third = Bag.objects.filter(ward=ward_a).order_by("number")[2]
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/phat-nhanh/")
    page.wait_for_load_state()

    scan(page, page.get_by_role("button", name="Quét CCCD"), photo_file(CCCD_A, "scan-cccd-a"))
    card = page.locator(f"#hh-{household_a.pk}")
    expect(card).to_contain_text("Nguyễn Văn An")
    expect(card).to_contain_text("•••••••••123")  # a scan is a search: the number stays masked
    screenshot(page, "ward-scan-cccd-found-phone")

    scan(page, card.get_by_role("button", name="Quét nhãn túi"), photo_file(third.serial, "scan-label-3", "skewed"))
    expect(card).to_contain_text(f"Đã trao túi {third.serial}")
    expect(page.get_by_test_id("stock")).to_have_text("3")
    screenshot(page, "ward-scan-handed-out-phone")
    assert Distribution.objects.get().bag == third
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Ready for the next person: the scanner's photo is forgotten and its button is there to tap.
    assert page.locator("#scan-photo").evaluate("input => input.value") == ""
    page.get_by_role("button", name="Người tiếp theo").click()
    expect(page.get_by_role("button", name="Quét CCCD")).to_be_visible()


def test_a_photographed_label_of_another_wards_bag_is_refused_saying_why(
    phone_page, live_server, officer_a, stocked, household_a, ward_b
):
    page = phone_page
    foreign = Bag.objects.filter(ward=ward_b).first()
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/phat-nhanh/")
    page.wait_for_load_state()
    page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại").fill("nguyen van an")
    card = page.locator(f"#hh-{household_a.pk}")
    scan(page, card.get_by_role("button", name="Quét nhãn túi"), photo_file(foreign.serial, "scan-label-foreign"))
    expect(card.get_by_role("alert")).to_contain_text(
        f"Túi {foreign.serial} không nằm trong kho của Phường 1: đây là túi của đơn vị khác."
    )
    expect(page.get_by_test_id("stock")).to_have_text("4")
    screenshot(page, "ward-scan-wrong-bag-phone")
    assert not Distribution.objects.exists()
    assert Bag.objects.get(pk=foreign.pk).state == Bag.State.ALLOCATED


def test_an_officer_registers_a_household_from_a_photographed_cccd_and_corrects_a_field(
    phone_page, live_server, officer_a, campaign
):
    page = phone_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/ho/them/")
    page.wait_for_load_state()
    page.get_by_label("Số điện thoại").fill("0903111222")  # typed before the scan: kept

    scan(page, page.get_by_role("button", name="Quét CCCD"), photo_file(CCCD_NEW, "scan-cccd-new", "low contrast"))
    expect(page.get_by_role("status")).to_contain_text("Đã điền số CCCD, họ tên, ngày sinh, giới tính và địa chỉ")
    expect(page.get_by_label("Họ và tên chủ hộ")).to_have_value("Phạm Thị Dung")
    expect(page.get_by_label("Số CCCD / CMND")).to_have_value("079186000789")
    expect(page.get_by_label("Ngày sinh chủ hộ")).to_have_value("09/09/1986")
    expect(page.get_by_label("Giới tính chủ hộ")).to_have_value("female")
    expect(page.get_by_label("Địa chỉ")).to_have_value("5 An Dương Vương, Phường 1, Quận 5")
    expect(page.get_by_label("Số điện thoại")).to_have_value("0903111222")
    screenshot(page, "ward-scan-register-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not Household.objects.exists()

    page.get_by_label("Địa chỉ").fill("5 An Dương Vương, tổ 3, Phường 1")
    page.get_by_label("Số nhân khẩu").fill("3")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm hộ Phạm Thị Dung")
    household = Household.objects.get()
    assert (household.national_id, household.head_birth_date, household.head_sex) == (
        "079186000789",
        datetime.date(1986, 9, 9),
        "female",
    )
    assert (household.address, household.members, household.phone) == (
        "5 An Dương Vương, tổ 3, Phường 1",
        3,
        "0903111222",
    )
