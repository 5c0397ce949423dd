"""Cell values as ward lists hold them: numbers Excel rewrote, phones as people write them, names pasted from the
web, categories and residence in free text."""

import io
import re
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook

from households.imports import ImportRefused, household_import, household_import_check
from households.models import Household
from tests.district.conftest import csv_bytes, household_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def write(tmp_path, content, name="ds.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def stored(tmp_path, staff, rows):
    path = write(tmp_path, xlsx_bytes(rows))
    report = household_import_check(path=path, user=staff, keep_preview=True)
    assert report.error_count == 0, report.errors
    household_import(path=path, user=staff)
    return report, Household.objects.order_by("national_id", "phone")


def test_a_cccd_that_lost_its_leading_zero_gets_it_back_and_the_preview_says_so(tmp_path, staff, ward_a):
    report, households = stored(tmp_path, staff, [household_row(1, changes={"CCCD": 79085000001})])
    assert households.get().national_id == "079085000001"
    assert [(p.row, p.column, p.message) for p in report.corrected] == [
        (2, "CCCD", "Thêm số 0 Excel đã bỏ ở đầu: •••••••••001")
    ]


def test_a_number_that_a_leading_zero_would_not_make_a_valid_cccd_is_refused_as_typed(tmp_path, staff, ward_a):
    rows = [household_row(1, changes={"CCCD": 99985000001}), household_row(2, changes={"CCCD": 12345678})]
    report = household_import_check(path=write(tmp_path, xlsx_bytes(rows)), user=staff)
    assert [(p.row, p.column) for p in report.errors] == [(2, "CCCD"), (3, "CCCD")]
    assert not report.corrected


def test_an_old_cmnd_and_an_empty_cell_are_kept_as_they_are(tmp_path, staff, ward_a):
    rows = [household_row(1, changes={"CCCD": 271234567}), household_row(2, changes={"CCCD": None})]
    report, households = stored(tmp_path, staff, rows)
    assert list(households.values_list("national_id", flat=True)) == ["", "271234567"]
    assert not report.corrected


@pytest.mark.parametrize("phone", ["0912 345 678", "0912.345.678", "+84 912 345 678", "+84912345678", 912345678])
def test_phones_as_people_write_them_are_stored_as_ten_digits(tmp_path, staff, ward_a, phone):
    _, households = stored(tmp_path, staff, [household_row(1, changes={"Số điện thoại": phone})])
    assert households.get().phone == "0912345678"


def test_names_in_decomposed_unicode_with_invisible_spaces_are_stored_clean(tmp_path, staff, ward_a):
    name = unicodedata.normalize("NFD", "Nguyễn\u00a0Thị\u200b Ánh") + "\ufeff"
    address = unicodedata.normalize("NFD", "12\u00a0Trần Hưng Đạo")
    _, households = stored(tmp_path, staff, [household_row(1, changes={"Họ và tên chủ hộ": name, "Địa chỉ": address})])
    household = households.get()
    assert (household.head_name, household.address) == ("Nguyễn Thị Ánh", "12 Trần Hưng Đạo")


def number_cells_workbook(cells):
    """A list whose rows' "Số nhân khẩu" are ``cells``, each given as (value, data type) as Excel saves them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên chủ hộ", "CCCD", "Số điện thoại", "Địa chỉ", "Phường", "Số nhân khẩu", "Diện"])
    for n, (value, data_type) in enumerate(cells, start=1):
        sheet.append([f"Hộ {n}", f"079085{n:06d}", f"09{n:08d}", f"{n} Trần Hưng Đạo", "Phường 1", None, "Hộ nghèo"])
        cell = sheet.cell(row=n + 1, column=6)
        cell.value, cell.data_type = value, data_type
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_value(content, formula, value):
    """The workbook with ``formula`` saved with ``value`` beside it, as Excel saves a computed formula (openpyxl
    saves a formula alone)."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                saved = f"<f>{formula}</f><v>{value}</v>".encode()
                part = re.sub(rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?".encode(), saved, part)
                assert f"<v>{value}</v>".encode() in part
            target.writestr(name, part)
    return out.getvalue()


def test_a_formula_or_an_error_cell_in_a_number_column_is_an_error_of_its_row(tmp_path, staff, ward_a):
    content = number_cells_workbook([("=1+2", "f"), ("#N/A", "e"), (4, "n")])
    content = with_cached_value(content, "1+2", 3)
    report = household_import_check(path=write(tmp_path, content), user=staff)
    assert [(p.row, p.name, p.column) for p in report.errors] == [
        (2, "Hộ 1", "Số nhân khẩu"),
        (3, "Hộ 2", "Số nhân khẩu"),
    ]
    assert all("công thức hoặc ô lỗi" in p.message for p in report.errors)
    assert report.good_rows == 1


@pytest.mark.parametrize(
    ("written", "codes"),
    [
        ("Mất việc làm do dịch", ["mat-viec-do-dich"]),
        ("Lao động tự do ngoại tỉnh", ["lao-dong-tu-do"]),
        ("Gia đình chính sách; Hộ nghèo", ["gia-dinh-chinh-sach", "ho-ngheo"]),
        ("HỘ CẬN NGHÈO", ["ho-can-ngheo"]),
        ("ho ngheo, nguoi khuyet tat", ["ho-ngheo", "nguoi-yeu-the"]),
    ],
)
def test_categories_written_in_free_text_are_read_as_the_programs(tmp_path, staff, ward_a, written, codes):
    _, households = stored(tmp_path, staff, [household_row(1, changes={"Diện": written})])
    assert sorted(households.get().categories.values_list("code", flat=True)) == sorted(codes)


def test_the_preview_says_which_free_text_it_read_as_which_category(tmp_path, staff, ward_a):
    rows = [household_row(n, changes={"Diện": "Mất việc làm do dịch"}) for n in (1, 2)]
    report = household_import_check(path=write(tmp_path, xlsx_bytes(rows)), user=staff)
    assert report.readings == [("Mất việc làm do dịch", "Mất việc do dịch")]


@pytest.mark.parametrize(
    ("address", "residence", "shown"),
    [
        ("78 Hùng Vương (ở trọ)", "temporary", "Tạm trú (địa chỉ ghi “ở trọ”)"),
        ("12 Lê Lợi, tạm trú", "temporary", "Tạm trú (địa chỉ ghi “tạm trú”)"),
        ("Phòng 3, Lao động ngoại tỉnh", "other_province", "Ngoại tỉnh (địa chỉ ghi “ngoại tỉnh”)"),
        ("Gầm cầu Chữ Y", "none", "Không nơi cư trú ổn định (địa chỉ ghi “Gầm cầu”)"),
        ("Không nơi cư trú", "none", "Không nơi cư trú ổn định (địa chỉ ghi “Không nơi cư trú”)"),
    ],
)
def test_residence_is_read_from_the_address_and_shown_on_the_preview(
    tmp_path, staff, ward_a, address, residence, shown
):
    row = household_row(1, changes={"Địa chỉ": address, "Cư trú": None})
    report, households = stored(tmp_path, staff, [row])
    assert households.get().residence == residence
    assert [(p.row, p.column, p.message) for p in report.corrected] == [(2, "Cư trú", shown)]


def test_a_residence_written_in_its_own_column_wins_over_the_address(tmp_path, staff, ward_a):
    row = household_row(1, changes={"Địa chỉ": "78 Hùng Vương (ở trọ)", "Cư trú": "Thường trú"})
    report, households = stored(tmp_path, staff, [row])
    assert households.get().residence == "permanent" and not report.corrected


def test_a_csv_of_every_messy_value_imports_clean(tmp_path, staff, ward_a):
    rows = [
        household_row(1, changes={"CCCD": "79085000001", "Số điện thoại": "+84 912.345.678", "Cư trú": ""}),
        household_row(
            2,
            changes={
                "Họ và tên chủ hộ": unicodedata.normalize("NFD", "Trần\u00a0Văn Bé"),
                "Địa chỉ": "Gầm cầu Chữ Y",
                "Diện": "Lao động tự do ngoại tỉnh; Mất việc làm do dịch",
                "Cư trú": "",
            },
        ),
    ]
    path = write(tmp_path, csv_bytes(rows), "ds.csv")
    report = household_import_check(path=path, user=staff)
    assert (report.error_count, report.good_rows) == (0, 2)
    assert household_import(path=path, user=staff) == 2
    first, second = Household.objects.order_by("national_id")
    assert (first.national_id, first.phone, first.residence) == ("079085000001", "0912345678", "permanent")
    assert (second.head_name, second.residence) == ("Trần Văn Bé", "none")
    assert sorted(second.categories.values_list("code", flat=True)) == ["lao-dong-tu-do", "mat-viec-do-dich"]


def test_an_address_too_long_once_its_khu_pho_is_joined_is_an_error_beside_the_row_s_name(tmp_path, staff, ward_a):
    row = household_row(1, changes={"Địa chỉ": "x" * 245, "Khu phố": "12"})
    report = household_import_check(path=write(tmp_path, xlsx_bytes([row])), user=staff)
    assert [(p.row, p.name, p.column) for p in report.errors] == [(2, "Nguyễn Văn Hộ 1", "Địa chỉ")]


def test_a_row_whose_ward_changed_since_the_preview_is_an_error_beside_its_name(tmp_path, staff, ward_a):
    path = write(tmp_path, xlsx_bytes([household_row(1), household_row(2)]))
    household_import_check(path=path, user=staff, keep_preview=True)
    ward_a.name, ward_a.code = "Phường Mới", "q5-moi"
    ward_a.save()
    with pytest.raises(ImportRefused) as refused:
        household_import(path=path, user=staff)
    assert [(p.row, p.name) for p in refused.value.report.errors] == [(2, "Nguyễn Văn Hộ 1"), (3, "Nguyễn Văn Hộ 2")]
