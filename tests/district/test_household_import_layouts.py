"""Household lists laid out as wards send them: titles, two-row headers, column numbers, totals and signatures."""

import unicodedata

import pytest

from households.imports import household_import, household_import_check
from households.models import Household
from relief.spreadsheets import SpreadsheetError
from relief.text import fold
from tests.district.conftest import csv_bytes, household_row, ward_list_xlsx

pytestmark = pytest.mark.django_db

TITLES = ("UBND PHƯỜNG 1", "DANH SÁCH HỘ GIA ĐÌNH KHÓ KHĂN DO DỊCH COVID-19", "Kèm theo Tờ trình số 12/TTr-UBND")
HEADER = ["STT", "Họ và tên chủ hộ", "CCCD", "Số điện thoại", "Số nhà, đường", "Phường", "Số nhân khẩu", "Diện"]
SIGNATURES = (
    [None, "Người lập biểu", None, None, None, "TM. UBND PHƯỜNG"],
    [None, "(Ký, ghi rõ họ tên)", None, None, None, "CHỦ TỊCH"],
    [None, "Lê Thị Lập", None, None, None, "Phạm Văn Ký"],
)


def rows(count):
    return [{**household_row(n), "STT": n, "Số nhà, đường": f"{n} Trần Hưng Đạo"} for n in range(1, count + 1)]


def check(tmp_path, content, user, name="ds.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return path, household_import_check(path=path, user=user)


def ignored(report):
    return [(problem.row, problem.message) for problem in report.ignored]


def test_title_rows_above_the_header_are_skipped_and_listed(tmp_path, staff, ward_a):
    content, first = ward_list_xlsx(HEADER, rows(2), titles=TITLES)
    _, report = check(tmp_path, content, staff)
    assert (report.error_count, report.good_rows) == (0, 2)
    assert first == 6
    assert ignored(report) == [(number, "dòng tiêu đề phía trên bảng") for number in (1, 2, 3)]


def test_a_two_row_header_with_merged_cells_is_read_as_one(tmp_path, staff, ward_a):
    header = [*HEADER[:5], "Khu phố", *HEADER[5:]]
    content, first = ward_list_xlsx(header, rows(2), groups={"Địa chỉ": ("Số nhà, đường", "Khu phố")})
    _, report = check(tmp_path, content, staff)
    assert (report.error_count, report.good_rows) == (0, 2)
    assert first == 4  # a blank row, the header's two rows
    assert report.mapping["address"] == "Địa chỉ / Số nhà, đường"
    assert report.mapping["neighbourhood"] == "Địa chỉ / Khu phố"
    assert report.unmapped == ["STT"]


def test_a_row_numbering_the_columns_is_skipped_and_listed(tmp_path, staff, ward_a):
    content, first = ward_list_xlsx(HEADER, rows(1), column_numbers=True)
    _, report = check(tmp_path, content, staff)
    assert (report.error_count, report.good_rows) == (0, 1)
    assert ignored(report) == [(first - 1, "dòng đánh số cột")]


def test_a_totals_row_with_a_sum_formula_is_skipped_not_an_error(tmp_path, staff, ward_a):
    totals = ["Tổng cộng", None, None, None, None, None, "=SUM(G3:G4)"]
    content, first = ward_list_xlsx(HEADER, rows(2), totals=totals)
    _, report = check(tmp_path, content, staff)
    assert (report.error_count, report.good_rows) == (0, 2)
    assert ignored(report) == [(first + 2, "dòng tổng cộng")]


def test_the_signatures_and_the_signers_names_below_the_list_are_skipped(tmp_path, staff, ward_a):
    content, first = ward_list_xlsx(HEADER, rows(2), signatures=([], *SIGNATURES))
    _, report = check(tmp_path, content, staff)
    assert (report.error_count, report.good_rows) == (0, 2)
    assert ignored(report) == [
        (first + 2, "dòng trống"),
        (first + 3, "phần ký tên cuối danh sách"),
        (first + 4, "phần ký tên cuối danh sách"),
        (first + 5, "phần ký tên cuối danh sách"),
    ]


@pytest.mark.parametrize("note", ["Ngày 5 tháng 3 năm 2021 chuyển đến", "Xác nhận của tổ trưởng", "Chủ tịch hội CCB"])
def test_a_household_without_papers_whose_note_reads_like_a_signature_is_data_and_so_are_the_rows_after_it(
    tmp_path, staff, ward_a, note
):
    header = [*HEADER, "Ghi chú"]
    listed = rows(3)
    listed[0].update({"CCCD": None, "Số điện thoại": None, "Ghi chú": note})
    content, first = ward_list_xlsx(header, listed, signatures=([], *SIGNATURES))
    path, report = check(tmp_path, content, staff)
    assert (report.error_count, report.good_rows) == (0, 3)
    assert [row for row, message in ignored(report) if message == "phần ký tên cuối danh sách"] == [
        first + 4,
        first + 5,
        first + 6,
    ]
    household_import(path=path, user=staff)
    assert Household.objects.get(head_name="Nguyễn Văn Hộ 1").notes.endswith(note)


def test_a_csv_with_title_rows_above_its_header_is_read_the_same(tmp_path, staff, ward_a):
    content = "Danh sách hộ phường 1\n\n".encode() + csv_bytes([household_row(1)], bom=False)
    _, report = check(tmp_path, content, staff, "ds.csv")
    assert (report.error_count, report.good_rows) == (0, 1)
    assert ignored(report) == [(1, "dòng tiêu đề phía trên bảng")]


def test_a_sheet_whose_first_rows_name_no_header_says_which_columns_it_lacks(tmp_path, staff, ward_a):
    content, _ = ward_list_xlsx(["Tên", "Số"], [{"Tên": "A", "Số": 1}], titles=TITLES)
    with pytest.raises(SpreadsheetError, match="Tệp thiếu cột: “Họ và tên chủ hộ”"):
        check(tmp_path, content, staff)


def test_a_ward_list_with_every_layout_feature_imports_only_its_households(tmp_path, staff, ward_a):
    header = [*HEADER[:5], "Khu phố", *HEADER[5:]]
    totals = ["Tổng cộng", None, None, None, None, None, None, "=SUM(H8:H10)"]
    content, first = ward_list_xlsx(
        header,
        rows(3),
        titles=TITLES,
        groups={"Địa chỉ": ("Số nhà, đường", "Khu phố")},
        column_numbers=True,
        totals=totals,
        signatures=SIGNATURES,
    )
    path, report = check(tmp_path, content, staff)
    assert (report.error_count, report.good_rows) == (0, 3)
    reasons = dict(ignored(report))
    assert [reasons[row] for row in (1, 2, 3)] == ["dòng tiêu đề phía trên bảng"] * 3
    assert reasons[first - 1] == "dòng đánh số cột"
    assert reasons[first + 3] == "dòng tổng cộng"
    assert [reasons[first + 4 + n] for n in range(3)] == ["phần ký tên cuối danh sách"] * 3
    assert household_import(path=path, user=staff) == 3
    assert sorted(Household.objects.values_list("head_name", flat=True)) == [
        "Nguyễn Văn Hộ 1",
        "Nguyễn Văn Hộ 2",
        "Nguyễn Văn Hộ 3",
    ]


def police_row(n):
    """A row of a list in the words a ward office or the police use, without a ward column."""
    return {
        "STT": n,
        "Họ và tên chủ hộ": f"Trần Thị Lan {n}",
        "Số CCCD/CMND": f"079185{n:06d}",
        "SĐT": f"09{n:08d}",
        "Nơi ở hiện tại": f"{n} Hùng Vương",
        "Khu phố": 3,
        "Số nhân khẩu": 2,
        "Đối tượng": "Hộ nghèo",
        "Quê quán": "Quảng Ngãi",
        "Ghi chú": "Bán vé số",
        "Ngày sinh": "01/01/1985",
    }


@pytest.mark.parametrize("spelling", [str, str.upper, fold])
def test_header_words_are_known_in_any_case_with_or_without_diacritics(tmp_path, staff, ward_a, spelling):
    header = [
        "Họ và tên chủ hộ", "Số CCCD/CMND", "SĐT", "Nơi ở hiện tại", "Phường", "Số nhân khẩu", "Diện hỗ trợ",
    ]  # fmt: skip
    values = ["Lê Văn Tám", "079085000008", "0912 345 678", "8 Hùng Vương", "Phường 1", 3, "Hộ nghèo"]
    row = dict(zip(header, values, strict=True))
    written = {spelling(name): value for name, value in row.items()}
    _, report = check(tmp_path, csv_bytes([written]), staff, "ds.csv")
    assert (report.error_count, report.good_rows) == (0, 1)
    assert list(report.mapping) == ["head_name", "national_id", "phone", "address", "ward", "members", "categories"]


def test_extra_columns_go_into_the_address_and_notes_and_the_rest_are_listed_as_ignored(tmp_path, staff, ward_a):
    content, _ = ward_list_xlsx(list(police_row(1)), [police_row(1)])
    path, report = check(tmp_path, content, staff)
    assert report.needs_ward and not report.ok and report.unmapped == ["STT", "Ngày sinh"]
    report = household_import_check(path=path, user=staff, ward=ward_a)
    assert (report.error_count, report.good_rows, report.ok) == (0, 1, True)
    assert report.columns_read() == [
        ("Họ và tên chủ hộ", "Họ và tên chủ hộ"),
        ("Số CCCD/CMND", "CCCD"),
        ("SĐT", "Số điện thoại"),
        ("Nơi ở hiện tại", "Địa chỉ"),
        ("Số nhân khẩu", "Số nhân khẩu"),
        ("Đối tượng", "Diện"),
        ("Khu phố", "Địa chỉ (nối sau số nhà, đường)"),
        ("Quê quán", "Ghi chú (“Quê quán: …”)"),
        ("Ghi chú", "Ghi chú"),
    ]


def test_a_list_without_a_ward_column_is_imported_into_the_ward_chosen_for_it(tmp_path, staff, ward_a, ward_b):
    content, _ = ward_list_xlsx(list(police_row(1)), [police_row(1), police_row(2)])
    path = tmp_path / "ds.xlsx"
    path.write_bytes(content)
    assert household_import_check(path=path, user=staff, ward=ward_b, keep_preview=True).ok
    assert household_import(path=path, user=staff, source_name="ds.xlsx") == 2
    household = Household.objects.get(national_id="079185000001")
    assert household.ward == ward_b
    assert household.address == "1 Hùng Vương, Khu phố 3"
    assert household.notes == "Nhập từ tệp ds.xlsx; Quê quán: Quảng Ngãi; Bán vé số"
    assert household.phone == "0900000001"


def test_a_row_naming_no_ward_in_a_ward_column_takes_the_ward_chosen_and_others_keep_theirs(
    tmp_path, staff, ward_a, ward_b
):
    rows = [household_row(1, ward=""), household_row(2, ward="Phường 2")]
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes(rows))
    report = household_import_check(path=path, user=staff, ward=ward_a)
    assert report.summary == {"Phường 1": 1, "Phường 2": 1}


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the combining marks Windows-1258 has


def as_windows_1258(text):
    """``text`` as Windows saves it in its Vietnamese code page: a letter the page lacks is written as the letter
    without its tone (ô, ă, ơ … are in the page) followed by the tone as a combining mark."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
            tones = "".join(c for c in decomposed if c in TONE_MARKS)
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-8", ";"), ("utf-16", "\t"), ("utf-16", ","), ("cp1258", ","), ("cp1258", ";")],
)
def test_a_csv_in_any_encoding_excel_saves_is_read_through_the_same_table_finder(
    tmp_path, staff, ward_a, encoding, delimiter
):
    rows = [household_row(1, changes={"Họ và tên chủ hộ": "Nguyễn Thị Ánh Đào", "Diện": "Mất việc làm do dịch"})]
    text = csv_bytes(rows, bom=False, delimiter=delimiter).decode()
    text = f"DANH SÁCH HỘ KHÓ KHĂN PHƯỜNG 1\n\n{text}Tổng cộng{delimiter}1\n"
    content = as_windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    path, report = check(tmp_path, content, staff, "ds.csv")
    assert (report.error_count, report.good_rows) == (0, 1)
    assert ignored(report) == [(1, "dòng tiêu đề phía trên bảng"), (5, "dòng tổng cộng")]
    household_import(path=path, user=staff)
    household = Household.objects.get()
    assert household.head_name == "Nguyễn Thị Ánh Đào"
    assert list(household.categories.values_list("code", flat=True)) == ["mat-viec-do-dich"]
