import io
import time

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from households import imports as household_imports
from households.models import CATEGORIES, Category, Household
from tests.browser.conftest import login, screenshot
from tests.district.conftest import household_row, ward_list_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def categories(db):
    """The categories the data migration loads; a live-server test before this one may have flushed them."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def choose_file(page, name, rows):
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": xlsx_bytes(rows)}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra tệp").click()


def test_staff_fix_a_household_file_the_preview_flagged_then_import_it(page, live_server, staff, ward_a, ward_b):
    rows = [household_row(1), household_row(2, ward="Phường 2"), household_row(3, changes={"CCCD": "0790"})]
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/nhap/ho/")

    choose_file(page, "danh-sach-phuong.xlsx", rows)
    expect(page.get_by_role("alert").first).to_contain_text("Tệp còn 1 lỗi. Có thể sửa tệp rồi tải lên lại")
    problem = page.locator("table.problems tbody tr").first.inner_text()
    assert "4" in problem and "CCCD" in problem and "12 chữ số" in problem
    assert page.get_by_role("button", name="Xác nhận nhập 2 dòng").count() == 0
    screenshot(page, "district-import-1-row-error")

    rows[2] = household_row(3)
    choose_file(page, "danh-sach-phuong-da-sua.xlsx", rows)
    expect(page.locator(".preview")).to_contain_text("3 dòng hợp lệ")
    screenshot(page, "district-import-2-preview")
    page.get_by_role("button", name="Xác nhận nhập 3 dòng").click()

    expect(page.get_by_role("status")).to_contain_text("Đã nhập 3 hộ")  # the job's page, finished at once
    screenshot(page, "district-import-3-job")
    page.get_by_role("link", name="Danh sách hộ chờ duyệt").click()
    for n in (1, 2, 3):
        expect(page.get_by_text(f"Nguyễn Văn Hộ {n}", exact=True)).to_be_visible()
    screenshot(page, "district-import-4-households")
    assert Household.objects.filter(source=Household.Source.IMPORT).count() == 3


def test_staff_approve_imported_households_on_a_phone(phone_page, live_server, staff, ward_a):
    for n in (1, 2):
        Household.objects.create(ward=ward_a, head_name=f"Hộ thử {n}", address="1 Lê Lợi")
    login(phone_page, live_server, staff.username, None)
    phone_page.goto(f"{live_server.url}/quan/ho/?status=proposed")
    phone_page.get_by_label("Chọn tất cả trên trang").check()
    phone_page.get_by_role("button", name="Thực hiện").click()
    expect(phone_page.get_by_role("status")).to_contain_text("Đã duyệt 2 hộ")
    screenshot(phone_page, "district-households-phone")
    assert set(Household.objects.values_list("status", flat=True)) == {"approved"}


def messy_ward_list():
    """A ward's list as it comes: a title, no ward column, "Tổ" for the khu phố, a totals row, two bad rows."""
    header = ["STT", "Họ và tên chủ hộ", "Số CCCD/CMND", "SĐT", "Nơi ở hiện tại", "Tổ", "Số nhân khẩu", "Đối tượng"]
    rows = [
        {"STT": n, "Họ và tên chủ hộ": f"Trần Văn Tổ {n}", "Số CCCD/CMND": 79085000000 + n, "SĐT": f"09{n:08d}",
         "Nơi ở hiện tại": f"{n} Hùng Vương", "Tổ": f"Tổ {n}", "Số nhân khẩu": 2, "Đối tượng": "Mất việc làm do dịch"}
        for n in (1, 2, 3)
    ]  # fmt: skip
    rows[1]["Số nhân khẩu"] = "hai"
    rows[2]["Số CCCD/CMND"] = "12345"
    return ward_list_xlsx(header, rows, titles=["DANH SÁCH HỘ KHÓ KHĂN"], totals=["Tổng cộng"])[0]


def test_staff_import_a_messy_ward_list_fix_its_ward_and_columns_then_the_rejected_rows(
    page, live_server, staff, ward_a, ward_b, tmp_path
):
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/nhap/ho/")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(
        {"name": "phuong-2.xlsx", "mimeType": XLSX, "buffer": messy_ward_list()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("alert").first).to_contain_text("Tệp không có cột Phường")
    page.get_by_label("Danh sách này của phường nào?").select_option(label="Phường 2")
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra với phường này").click()

    page.get_by_text("Sửa cách đọc các cột").click()
    page.get_by_label("Tổ", exact=True).select_option(label="Địa chỉ (nối sau số nhà, đường)")
    with page.expect_navigation():
        page.get_by_role("button", name="Đọc lại tệp với các cột này").click()
    expect(page.locator(".preview")).to_contain_text("1 dòng hợp lệ")
    expect(page.locator("table.problems").first).to_contain_text("Trần Văn Tổ 2")
    screenshot(page, "district-import-messy-preview")

    with page.expect_download() as download:
        page.get_by_role("link", name="tải về các dòng lỗi").click()
    rejected = tmp_path / "dong-loi.xlsx"
    download.value.save_as(rejected)
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập 1 dòng hợp lệ, bỏ lại 2 dòng lỗi").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nhập 1 hộ")

    workbook = load_workbook(rejected)
    sheet = workbook.worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Trần Văn Tổ 2", "Trần Văn Tổ 3"]
    sheet.cell(row=2, column=7, value=2)
    sheet.cell(row=3, column=3, value="079085000003")
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.goto(f"{live_server.url}/quan/nhap/ho/")
    page.get_by_label("Phường của danh sách (khi tệp không có cột Phường)").select_option(label="Phường 2")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(
        {"name": "dong-loi-phuong-2.xlsx", "mimeType": XLSX, "buffer": buffer.getvalue()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra tệp").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận nhập 2 dòng").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nhập 2 hộ")
    assert sorted(Household.objects.values_list("address", flat=True)) == [
        "1 Hùng Vương, Tổ 1", "2 Hùng Vương, Tổ 2", "3 Hùng Vương, Tổ 3",
    ]  # fmt: skip
    assert set(Household.objects.values_list("ward__name", flat=True)) == {"Phường 2"}


def test_staff_choose_a_category_for_words_the_list_uses_once_and_import_it(page, live_server, staff, ward_a):
    rows = [
        household_row(1, changes={"Diện": "Tiểu thương chợ Kim Biên"}),
        household_row(2, changes={"Diện": "tiểu thương chợ kim biên; Hộ nghèo"}),
    ]
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/nhap/ho/")
    choose_file(page, "tieu-thuong.xlsx", rows)
    expect(page.locator(".preview")).to_contain_text("2 lỗi")
    page.get_by_label("Tiểu thương chợ Kim Biên").select_option(label="Lao động tự do")
    with page.expect_navigation():
        page.get_by_role("button", name="Đọc lại tệp với các diện này").click()
    expect(page.locator(".preview")).to_contain_text("2 dòng hợp lệ")
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận nhập 2 dòng").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nhập 2 hộ")
    assert sorted(
        (household.head_name, sorted(household.categories.values_list("name", flat=True)))
        for household in Household.objects.all()
    ) == [("Nguyễn Văn Hộ 1", ["Lao động tự do"]), ("Nguyễn Văn Hộ 2", ["Hộ nghèo", "Lao động tự do"])]


def test_an_officer_imports_the_ward_s_own_list_on_a_phone_for_the_district_to_approve(
    phone_page, live_server, officer_a, ward_a
):
    rows = [{key: value for key, value in household_row(n).items() if key != "Phường"} for n in (1, 2, 3)]
    login(phone_page, live_server, officer_a.username, None)
    phone_page.goto(f"{live_server.url}/phuong/ho/")
    phone_page.get_by_role("link", name="Nhập từ tệp danh sách").click()
    choose_file(phone_page, "ds-phuong-1.xlsx", rows)
    expect(phone_page.locator(".preview")).to_contain_text("3 dòng hợp lệ")
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="Xác nhận nhập 3 dòng").click()
    expect(phone_page.get_by_role("status")).to_contain_text("Đã nhập 3 hộ")
    screenshot(phone_page, "ward-import-job-phone")
    assert set(Household.objects.values_list("ward__name", "status", "created_by__username")) == {
        ("Phường 1", "proposed", officer_a.username)
    }


def test_a_slow_check_shows_how_far_it_is_while_the_page_waits_for_the_preview(
    page, live_server, staff, ward_a, monkeypatch
):
    checked = household_imports._flag_duplicates

    def slowly(*args, **kwargs):  # a city's list: seconds of comparing with the register
        time.sleep(3)
        return checked(*args, **kwargs)

    monkeypatch.setattr(household_imports, "_flag_duplicates", slowly)
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/nhap/ho/")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(
        {"name": "ds.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes([household_row(1), household_row(2)])}
    )
    # Watched from inside the page, which tells the test through its console: Playwright's own locators wait for
    # the pending navigation, and the box is worth looking at only while the post is pending.
    told = []
    page.on("console", lambda message: told.append(message.text))
    page.evaluate(
        """() => {
            const watch = setInterval(() => {
                const box = document.getElementById("upload-progress");
                const bar = box && box.querySelector("progress");
                if (box && !box.hidden && bar && bar.getAttribute("value") === "2" && bar.getAttribute("max") === "2") {
                    console.log("progress shown: " + box.textContent.replace(/\\s+/g, " ").trim());
                    clearInterval(watch);
                }
            }, 100);
        }"""
    )
    # Clicked from the page, so that the test does not wait with Playwright for the navigation the post starts.
    page.evaluate("document.querySelector('form[data-progress-url] button[type=submit]').click()")
    expect(page.locator(".preview")).to_contain_text("2 dòng hợp lệ")
    assert "progress shown: Đã đọc mọi dòng; đang đối chiếu với các hộ đã đăng ký 100 %" in told
