import pytest
from playwright.sync_api import expect

from households.models import CATEGORIES, Category, Household
from tests.browser.conftest import login, screenshot
from tests.district.conftest import household_row, xlsx_bytes

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
    expect(page.get_by_role("alert").first).to_contain_text("Tệp còn 1 lỗi nên chưa nhập dòng nào")
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
