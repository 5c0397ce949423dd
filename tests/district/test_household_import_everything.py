"""One ward list with every kind of mess at once, and generated lists written out messily and read back."""

import io
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from households.imports import household_import, household_import_check
from households.models import Household
from tests.district.conftest import ward_list_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "STT", "HỌ VÀ TÊN CHỦ HỘ", "Số CCCD/CMND", "SĐT", "Số nhà, đường", "Khu phố", "So nhan khau", "Đối tượng",
    "Quê quán", "Ghi chú", "Ngày sinh",
]  # fmt: skip


def messy_row(n, **changes):
    return {
        "STT": n,
        "HỌ VÀ TÊN CHỦ HỘ": unicodedata.normalize("NFD", f"Phạm\u00a0Thị Hồng {n}") + "\u200b",
        "Số CCCD/CMND": 79185000000 + n,
        "SĐT": f"+84 90 000.{n:04d}",
        "Số nhà, đường": f"{n} Hùng Vương (ở trọ)",
        "Khu phố": 4,
        "So nhan khau": 2,
        "Đối tượng": "Lao động tự do ngoại tỉnh; Mất việc làm do dịch",
        "Quê quán": "Quảng Ngãi",
        "Ghi chú": "Bán vé số",
        "Ngày sinh": "01/01/1985",
        **changes,
    }


def test_a_ward_list_with_every_kind_of_mess_imports_its_good_rows_clean_and_says_what_it_did(tmp_path, staff, ward_a):
    rows = [messy_row(1), messy_row(2, **{"So nhan khau": "hai"}), messy_row(3)]
    totals = ["Tổng cộng", None, None, None, None, None, "=SUM(G8:G10)"]
    signatures = ([None, "Người lập biểu", None, None, None, "TM. UBND PHƯỜNG"], [None, "Lê Thị Lập"])
    content, first = ward_list_xlsx(
        HEADER,
        rows,
        titles=("UBND PHƯỜNG 1", "DANH SÁCH LAO ĐỘNG TỰ DO NGOẠI TỈNH", "Kèm theo Tờ trình số 12/TTr-UBND"),
        groups={"Địa chỉ": ("Số nhà, đường", "Khu phố")},
        column_numbers=True,
        totals=totals,
        signatures=signatures,
    )
    path = tmp_path / "ds.xlsx"
    path.write_bytes(content)

    report = household_import_check(path=path, user=staff, keep_preview=True)
    assert report.needs_ward and not report.ok
    report = household_import_check(path=path, user=staff, ward=ward_a, keep_preview=True)

    assert (report.good_rows, report.error_count, report.partly_ok) == (2, 1, True), report.errors
    assert [(p.row, p.name, p.column) for p in report.errors] == [(first + 1, "Phạm Thị Hồng 2", "Số nhân khẩu")]
    reasons = {p.row: p.message for p in report.ignored}
    assert [reasons[row] for row in (1, 2, 3, first - 1, first + 3, first + 4, first + 5)] == [
        "dòng tiêu đề phía trên bảng", "dòng tiêu đề phía trên bảng", "dòng tiêu đề phía trên bảng",
        "dòng đánh số cột", "dòng tổng cộng", "phần ký tên cuối danh sách", "phần ký tên cuối danh sách",
    ]  # fmt: skip
    assert report.unmapped == ["STT", "Ngày sinh"]
    assert report.readings == [
        ("Lao động tự do ngoại tỉnh", "Lao động tự do"),
        ("Mất việc làm do dịch", "Mất việc do dịch"),
    ]
    corrected = [(p.row, p.column, p.message) for p in report.corrected]
    assert (first, "CCCD", "Thêm số 0 Excel đã bỏ ở đầu: •••••••••001") in corrected
    assert (first, "Cư trú", "Tạm trú (địa chỉ ghi “ở trọ”)") in corrected

    assert household_import(path=path, user=staff, source_name="ds.xlsx", good_only=True) == 2
    household = Household.objects.get(national_id="079185000001")
    assert household.head_name == "Phạm Thị Hồng 1"
    assert household.phone == "0900000001"
    assert household.address == "1 Hùng Vương (ở trọ), Khu phố 4"
    assert household.residence == "temporary" and household.ward == ward_a
    assert household.notes == "Nhập từ tệp ds.xlsx; Quê quán: Quảng Ngãi; Bán vé số"
    assert sorted(household.categories.values_list("code", flat=True)) == ["lao-dong-tu-do", "mat-viec-do-dich"]
    assert not Household.objects.filter(head_name__startswith="Lê Thị Lập").exists()


# --- generated households, written out messily, read back -------------------------------------------------------

NAMES = st.sampled_from(["Nguyễn Văn An", "Trần Thị Bích", "Lê Đức Thọ", "Phạm Ngọc Ánh", "Đỗ Thị Hằng"])
CATEGORY_TEXTS = {
    "ho-ngheo": ["Hộ nghèo", "HỘ NGHÈO", "ho ngheo"],
    "mat-viec-do-dich": ["Mất việc do dịch", "Mất việc làm do dịch"],
    "lao-dong-tu-do": ["Lao động tự do", "Lao động tự do ngoại tỉnh"],
}
HEADER_SPELLINGS = {
    "head_name": ["Họ và tên chủ hộ", "HỌ TÊN CHỦ HỘ", "ho va ten"],
    "national_id": ["CCCD", "Số CCCD/CMND", "so cmnd"],
    "phone": ["Số điện thoại", "SĐT", "Điện thoại"],
    "address": ["Địa chỉ", "Nơi ở hiện tại", "dia chi"],
    "members": ["Số nhân khẩu", "Nhân khẩu"],
    "categories": ["Diện", "Đối tượng", "Diện hỗ trợ"],
    "ward": ["Phường", "PHƯỜNG/XÃ", "phuong"],
}

households = st.lists(
    st.fixed_dictionaries(
        {
            "name": NAMES,
            "members": st.integers(1, 12),
            "category": st.sampled_from(sorted(CATEGORY_TEXTS)),
            "cccd_as_number": st.booleans(),
            "nfd": st.booleans(),
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    generated=households,
    titles=st.integers(0, 3),
    spelling=st.integers(0, 2),
    two_row_header=st.booleans(),
    totals=st.booleans(),
    data=st.data(),
)
def test_generated_households_written_into_a_messy_list_import_back_the_same(
    tmp_path_factory, staff, ward_a, generated, titles, spelling, two_row_header, totals, data
):
    Household.objects.all().delete()
    keys = list(HEADER_SPELLINGS)
    header = [HEADER_SPELLINGS[key][spelling % len(HEADER_SPELLINGS[key])] for key in keys]
    address_title = header[keys.index("address")]
    workbook = Workbook()
    sheet = workbook.active
    for n in range(titles):
        sheet.append([f"Dòng tiêu đề {n}"])
    if two_row_header:
        sheet.append(
            [*(title if key != "address" else "Thông tin chỗ ở" for key, title in zip(keys, header, strict=True))]
        )
        sheet.append([None if key != "address" else address_title for key in keys])
    else:
        sheet.append(header)
    expected = []
    for n, household in enumerate(generated, start=1):
        cccd = f"079085{n:06d}"
        name = household["name"] + f" {n}"
        written_name = unicodedata.normalize("NFD", name) if household["nfd"] else name
        category_text = data.draw(st.sampled_from(CATEGORY_TEXTS[household["category"]]))
        sheet.append([
            written_name, int(cccd) if household["cccd_as_number"] else cccd, f"09{n:08d}", f"{n} Lê Lợi",
            household["members"], category_text, "P.1",
        ])  # fmt: skip
        expected.append((cccd, name, f"09{n:08d}", f"{n} Lê Lợi", household["members"], household["category"]))
    if totals:
        sheet.append(["Tổng cộng", None, None, None, sum(h["members"] for h in generated)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path_factory.mktemp("list") / "ds.xlsx"
    path.write_bytes(buffer.getvalue())

    assert household_import(path=path, user=staff, good_only=False) == len(generated)
    stored = [
        (h.national_id, h.head_name, h.phone, h.address, h.members, h.categories.get().code)
        for h in Household.objects.order_by("national_id").prefetch_related("categories")
    ]
    assert stored == expected
