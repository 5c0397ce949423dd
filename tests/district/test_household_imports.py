import io
import zipfile

import pytest
from openpyxl import Workbook

from households.imports import (
    HISTORY_FIELDS,
    HOUSEHOLD_FIELDS,
    ImportChanged,
    ImportRefused,
    household_import,
    household_import_check,
    household_template_guide,
)
from households.models import Household
from relief import spreadsheets
from relief.levels import words_for
from relief.spreadsheets import SpreadsheetError
from tests.conftest import make_household
from tests.district.conftest import csv_bytes, household_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def renamed(row, title):
    """``row`` with its head's name under ``title`` (a word no list of ours knows) instead of its own column."""
    return {(title if key == "Họ và tên chủ hộ" else key): value for key, value in row.items()}


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_clean_file_imports_every_row_as_proposed_households_with_their_categories(tmp_path, staff, ward_a, ward_b):
    rows = [household_row(1), household_row(2, ward="Phường 2", changes={"Diện": "Người có công"})]
    path = write(tmp_path, "ds.xlsx", xlsx_bytes(rows))
    assert household_import(path=path, user=staff, source_name="ds.xlsx") == 2
    first = Household.objects.get(national_id="079085000001")
    assert first.ward == ward_a and first.status == Household.Status.PROPOSED
    assert first.source == Household.Source.IMPORT and first.created_by == staff
    assert first.name_key == "nguyen van ho 1"
    assert sorted(first.categories.values_list("code", flat=True)) == ["ho-ngheo", "mat-viec-do-dich"]
    record = first.history.get()
    assert record.history_user == staff
    assert sorted(record.categories.values_list("category__code", flat=True)) == ["ho-ngheo", "mat-viec-do-dich"]
    assert Household.objects.get(national_id="079085000002").ward == ward_b


def test_one_bad_row_in_a_thousand_imports_nothing_and_names_the_row_and_column(tmp_path, staff, ward_a):
    rows = [household_row(n) for n in range(1, 1001)]
    rows[499]["CCCD"] = "12345"
    path = write(tmp_path, "ds.xlsx", xlsx_bytes(rows))
    with pytest.raises(ImportRefused) as refused:
        household_import(path=path, user=staff)
    report = refused.value.report
    assert report.error_count == 1
    problem = report.errors[0]
    assert (problem.row, problem.column) == (501, "CCCD")  # row 1 is the header
    assert "12 chữ số" in problem.message
    assert not Household.objects.exists()


def test_the_same_file_fixed_imports_every_row(tmp_path, staff, ward_a):
    rows = [household_row(n) for n in range(1, 1001)]
    rows[499]["CCCD"] = "12345"
    with pytest.raises(ImportRefused):
        household_import(path=write(tmp_path, "bad.xlsx", xlsx_bytes(rows)), user=staff)
    rows[499]["CCCD"] = "079085000500"
    assert household_import(path=write(tmp_path, "fixed.xlsx", xlsx_bytes(rows)), user=staff) == 1000
    assert Household.objects.count() == 1000


def test_a_csv_with_or_without_bom_and_with_semicolons_reads_the_same(tmp_path, staff, ward_a):
    for name, content in (
        ("bom.csv", csv_bytes([household_row(1)], bom=True)),
        ("plain.csv", csv_bytes([household_row(2)], bom=False)),
        ("semi.csv", csv_bytes([household_row(3)], delimiter=";")),
    ):
        report = household_import_check(path=write(tmp_path, name, content), user=staff)
        assert (report.error_count, report.good_rows) == (0, 1), name


def test_every_kind_of_mistake_is_reported_in_vietnamese_by_column(tmp_path, staff, ward_a):
    row = household_row(
        1,
        ward="Phường 99",
        changes={
            "Họ và tên chủ hộ": "",
            "Số điện thoại": "12",
            "Số nhân khẩu": "99999999999",
            "Diện": "Hộ giàu",
            "Cư trú": "trên mây",
        },
    )
    report = household_import_check(path=write(tmp_path, "ds.xlsx", xlsx_bytes([row])), user=staff)
    by_column = {problem.column: problem.message for problem in report.errors}
    assert set(by_column) == {"Họ và tên chủ hộ", "Số điện thoại", "Số nhân khẩu", "Diện", "Phường", "Cư trú"}
    assert "Thiếu họ và tên chủ hộ" in by_column["Họ và tên chủ hộ"]
    assert "Không có diện “Hộ giàu”" in by_column["Diện"]
    assert "Phường 99" in by_column["Phường"]


def test_numbers_excel_stored_as_numbers_get_their_leading_zero_back(tmp_path, staff, ward_a):
    row = household_row(1, changes={"CCCD": 79085000001, "Số điện thoại": 912345678, "Số nhân khẩu": 4.0, "Phường": 1})
    path = write(tmp_path, "ds.xlsx", xlsx_bytes([row]))
    household_import(path=path, user=staff)
    household = Household.objects.get()
    assert (household.national_id, household.phone, household.members) == ("079085000001", "0912345678", 4)


def test_a_cccd_already_registered_goes_in_only_on_the_staff_s_decision_and_a_phone_is_a_warning(
    tmp_path, staff, ward_a, ward_b
):
    make_household(ward_b, "Trần Thị Bích", national_id="079085000001")
    rows = [household_row(1), household_row(2, changes={"Số điện thoại": "0900000001"})]
    report = household_import_check(path=write(tmp_path, "ds.xlsx", xlsx_bytes(rows)), user=staff)
    assert report.error_count == 0
    assert report.same_id == {2: "Đã có hộ Trần Thị Bích ở Phường 2 cùng CCCD •••••••••001."}
    assert [(problem.row, problem.message) for problem in report.warnings] == [
        (3, "Trùng Số điện thoại với dòng 2 của tệp.")
    ]
    with pytest.raises(ImportRefused) as refused:
        household_import(path=write(tmp_path, "ds1.xlsx", xlsx_bytes(rows)), user=staff)
    assert [(p.row, p.name, p.column) for p in refused.value.report.errors] == [(2, "Nguyễn Văn Hộ 1", "CCCD")]
    assert household_import(path=write(tmp_path, "ds2.xlsx", xlsx_bytes(rows)), user=staff, good_only=True) == 1
    household_import(path=write(tmp_path, "ds3.xlsx", xlsx_bytes(rows)), user=staff, same_id_too=True)
    assert Household.objects.filter(national_id="079085000001").count() == 2


def test_a_ward_of_another_district_is_an_error(tmp_path, staff, ward_a, other_district):
    report = household_import_check(
        path=write(tmp_path, "ds.xlsx", xlsx_bytes([household_row(1, ward="Đông Ngạc")])), user=staff
    )
    assert report.errors[0].column == "Phường"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ds.xlsx", b"not a zip at all", "Không đọc được tệp Excel"),
        ("ds.csv", b"\x00\x01\x02binary\x00" * 10, "không phải văn bản"),
        ("ds.csv", xlsx_bytes([household_row(1)]), "có thể là tệp Excel bị đổi tên"),
        ("ds.csv", b"", "Tệp trống"),
        ("ds.csv", csv_bytes([{"Họ và tên chủ hộ": "A", "Khác": "B"}]), "Tệp thiếu cột"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(tmp_path, staff, ward_a, name, content, words):
    with pytest.raises(SpreadsheetError) as error:
        household_import_check(path=write(tmp_path, name, content), user=staff)
    assert words in " ".join(error.value.messages)


def test_a_header_naming_a_required_column_with_an_unknown_word_is_kept_to_be_mapped_not_refused(
    tmp_path, staff, ward_a
):
    rows = [renamed(household_row(n), "Tên người đứng đầu") for n in (1, 2)]
    report = household_import_check(path=write(tmp_path, "ds.xlsx", xlsx_bytes(rows)), user=staff)
    assert report.missing == ["Họ và tên chủ hộ"]
    assert ("Tên người đứng đầu", "") in report.columns
    assert (report.good_rows, report.error_count, report.ok) == (0, 0, False)


def test_a_list_without_cccd_and_phone_columns_is_read_with_those_empty(tmp_path, staff, ward_a):
    rows = [{k: v for k, v in household_row(n).items() if k not in ("CCCD", "Số điện thoại")} for n in (1, 2)]
    path = write(tmp_path, "ds.xlsx", xlsx_bytes(rows))
    report = household_import_check(path=path, user=staff)
    assert (report.good_rows, report.error_count, report.absent) == (2, 0, ["CCCD", "Số điện thoại"])
    household_import(path=path, user=staff)
    assert list(Household.objects.values_list("national_id", "phone")) == [("", ""), ("", "")]


def test_a_file_with_only_its_header_says_so(tmp_path, staff, ward_a):
    with pytest.raises(SpreadsheetError, match="chưa có dòng dữ liệu"):
        household_import_check(path=write(tmp_path, "ds.xlsx", xlsx_bytes([])), user=staff)


def damaged(part):
    """A real .xlsx with one part replaced by garbage, or with its bytes flipped when ``part`` is None."""
    good = xlsx_bytes([household_row(1)])
    if part is None:
        flipped = bytearray(good)
        for position in range(200, len(flipped) - 200, 97):
            flipped[position] ^= 0x5A
        return bytes(flipped)
    source, out = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, b"<garbage" if name == part else source.read(name))
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", None])
def test_a_damaged_excel_file_is_refused_not_crashed_on(tmp_path, staff, ward_a, part):
    with pytest.raises(SpreadsheetError, match="Không đọc được tệp Excel"):
        household_import_check(path=write(tmp_path, "ds.xlsx", damaged(part)), user=staff)


def test_a_damaged_content_types_part_does_not_hide_an_intact_sheet(tmp_path, staff, ward_a):
    # calamine finds the sheet through the workbook's own parts, so the list of content types is not needed.
    report = household_import_check(path=write(tmp_path, "ds.xlsx", damaged("[Content_Types].xml")), user=staff)
    assert (report.error_count, report.good_rows) == (0, 1)


def test_an_excel_file_that_unzips_into_an_enormous_sheet_is_refused_before_it_is_read(
    tmp_path, staff, ward_a, settings
):
    settings.ANSINH_UPLOAD_MAX_UNZIPPED_BYTES = 1000
    with pytest.raises(SpreadsheetError, match="quá lớn khi giải nén"):
        household_import_check(path=write(tmp_path, "ds.xlsx", xlsx_bytes([household_row(1)])), user=staff)


def test_the_import_writes_every_column_of_a_household_and_of_its_history():
    # The import names its columns itself (COPY on PostgreSQL): a field added to Household must be added there too.
    def columns(model, *skip):
        return {field.attname for field in model._meta.concrete_fields} - set(skip)

    assert set(HOUSEHOLD_FIELDS) == columns(Household, "id")
    assert set(HISTORY_FIELDS) == columns(Household.history.model, "history_id")


def test_text_that_means_something_to_copy_is_stored_as_typed(tmp_path, staff, ward_a):
    name, address = "Lê Văn \\N", "12\\t Trần Hưng Đạo \\ hẻm \\\\ 3"
    rows = [household_row(1, changes={"Họ và tên chủ hộ": name, "Địa chỉ": address})]
    household_import(path=write(tmp_path, "ds.csv", csv_bytes(rows)), user=staff)
    household = Household.objects.get()
    assert (household.head_name, household.address) == (name, address)
    assert household.history.get().head_name == name


def test_a_household_file_over_the_row_limit_is_refused_in_vietnamese(tmp_path, staff, ward_a, monkeypatch):
    monkeypatch.setattr("households.imports.MAX_ROWS", 2)
    rows = [household_row(n) for n in range(1, 4)]
    with pytest.raises(SpreadsheetError, match="Tệp có hơn 2 dòng"):
        household_import_check(path=write(tmp_path, "ds.xlsx", xlsx_bytes(rows)), user=staff)


def test_a_true_or_false_cell_as_members_is_an_error_of_that_row(tmp_path, staff, ward_a):
    rows = [household_row(1, changes={"Số nhân khẩu": True}), household_row(2, changes={"Số nhân khẩu": 1})]
    report = household_import_check(path=write(tmp_path, "ds.xlsx", xlsx_bytes(rows)), user=staff)
    assert [(problem.row, problem.column) for problem in report.errors] == [(2, "Số nhân khẩu")]
    assert report.good_rows == 1


def formula_workbook(cccd_cell):
    """A household list whose CCCD cell of the first row is ``cccd_cell``, saved by openpyxl: no cached values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER_ROW)
    sheet.append(["Nguyễn Văn Hộ", cccd_cell, "0912345678", "1 Trần Hưng Đạo", "Phường 1", 3, "Hộ nghèo"])
    sheet.append(["Trần Thị Hai", "079085000002", "0912345679", "2 Trần Hưng Đạo", "Phường 1", 2, "Hộ nghèo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER_ROW = ["Họ và tên chủ hộ", "CCCD", "Số điện thoại", "Địa chỉ", "Phường", "Số nhân khẩu", "Diện"]


def test_a_cccd_cell_holding_a_formula_without_its_value_is_an_error_of_its_row(tmp_path, staff, ward_a):
    path = write(tmp_path, "ds.xlsx", formula_workbook('=TEXT(79085000001,"000000000000")'))
    report = household_import_check(path=path, user=staff)
    assert [(problem.row, problem.column) for problem in report.errors] == [(2, "CCCD")]
    assert "công thức chưa có giá trị" in report.errors[0].message
    assert report.good_rows == 1 and not report.ok


def test_a_typed_cccd_beside_no_formula_imports_as_before(tmp_path, staff, ward_a):
    report = household_import_check(path=write(tmp_path, "ds.xlsx", formula_workbook("079085000001")), user=staff)
    assert (report.error_count, report.good_rows) == (0, 2)


def test_with_good_rows_only_a_file_read_again_imports_the_rows_without_errors(tmp_path, staff, ward_a):
    rows = [household_row(1), household_row(2, changes={"CCCD": "12345"}), household_row(3)]
    path = write(tmp_path, "ds.csv", csv_bytes(rows))
    with pytest.raises(ImportRefused):
        household_import(path=path, user=staff)
    assert household_import(path=path, user=staff, good_only=True) == 2
    assert sorted(Household.objects.values_list("national_id", flat=True)) == ["079085000001", "079085000003"]


def test_a_ward_running_its_own_list_over_khu_pho_reads_its_messages_in_khu_pho(tmp_path, two_tier):
    rows = [household_row(1, ward="Khu phố 9"), household_row(2, ward="Khu phố 1"), household_row(3, ward=None)]
    path = write(tmp_path, "ds.xlsx", xlsx_bytes(rows))
    report = household_import_check(path=path, user=two_tier.ward_staff, keep_preview=True)
    assert [problem.message for problem in report.errors] == [
        "Không có “Khu phố 9” trong các khu phố anh/chị quản lý (Khu phố 1, Khu phố 2).",
        "Thiếu tên khu phố.",
    ]
    make_household(two_tier.kp2, "Trần Thị Bích", phone="0900000002")
    with pytest.raises(ImportChanged) as changed:
        household_import(path=path, user=two_tier.ward_staff, good_only=True)
    assert str(changed.value).startswith("Từ lúc xem trước, phường đã có thêm hộ trùng")
    two_tier.kp1.name, two_tier.kp1.code = "Khu phố Một", "pm-kp-mot"
    two_tier.kp1.save()
    two_tier.kp2.name = "Khu phố 1"
    two_tier.kp2.save()
    with pytest.raises(ImportRefused) as refused:
        household_import(path=path, user=two_tier.ward_staff, good_only=True)
    messages = [problem.message for problem in refused.value.report.errors]
    assert "“Khu phố 1” nay là một khu phố khác so với lúc xem trước." in messages


def test_the_template_s_guide_speaks_of_the_reader_s_units(two_tier):
    guide = household_template_guide(words_for(two_tier.ward_staff))
    assert "Cột Phường: nếu tệp là danh sách của một khu phố và không có cột này, chọn khu phố khi tải lên" in guide[2]


def test_an_import_without_a_kept_preview_tells_how_far_its_reading_is(tmp_path, staff, ward_a, monkeypatch):
    monkeypatch.setattr(spreadsheets, "PROGRESS_EVERY", 2)
    heard = []
    path = write(tmp_path, "ds.csv", csv_bytes([household_row(n) for n in range(1, 6)]))
    household_import(path=path, user=staff, progress=lambda *step: heard.append(step))
    assert heard == [
        ("checking", 0, 0),
        ("reading", 2, 6),
        ("reading", 4, 6),
        ("reading", 6, 6),
        ("writing", 0, 5),
        ("writing", 5, 5),
        ("committing", 5, 5),
    ]


def test_an_officer_s_own_list_never_imports_a_repeated_cccd_even_when_asked_to(tmp_path, officer_a, ward_a):
    rows = [household_row(1), household_row(2, changes={"CCCD": "079085000001"})]
    path = write(tmp_path, "ds.xlsx", xlsx_bytes(rows))
    assert household_import(path=path, user=officer_a, good_only=True, same_id_too=True) == 1
