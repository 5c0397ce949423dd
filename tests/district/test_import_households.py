import io
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from households import jobs
from households.imports import HEADER
from households.models import ColumnMapping, Household, ImportJob, PendingImport
from relief import spreadsheets
from tests.conftest import client_for, make_household, sign_in
from tests.district.conftest import csv_bytes, household_row, upload, ward_list_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = reverse("district:import_households")
CONFIRM = reverse("district:import_households_confirm")
WARD = reverse("district:import_households_ward")


def renamed(row, title):
    """``row`` with its head's name under ``title`` (a word no list of ours knows) instead of its own column."""
    return {(title if key == "Họ và tên chủ hộ" else key): value for key, value in row.items()}


def send(client, name, content):
    return client.post(URL, {"file": upload(name, content)})


def test_the_upload_page_offers_a_template(staff_client):
    page = staff_client.get(URL).content.decode()
    assert reverse("district:import_households_template") in page


def test_the_template_is_an_xlsx_with_the_vietnamese_headers_and_a_guide(staff_client):
    response = staff_client.get(reverse("district:import_households_template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADER
    assert workbook.worksheets[1].title == "Hướng dẫn"


def test_upload_preview_confirm_imports_every_row_and_lands_on_the_finished_job(staff_client, confirm, ward_a, ward_b):
    rows = [household_row(1), household_row(2, ward="Phường 2")]
    response = send(staff_client, "danh-sach.xlsx", xlsx_bytes(rows))
    page = response.content.decode()
    assert "2</strong> dòng hợp lệ" in page and "Xác nhận nhập 2 dòng" in page
    assert not Household.objects.exists()
    token = response.context["token"]
    response = confirm(staff_client, token)
    job = ImportJob.objects.get()
    assert response.url == reverse("district:import_job", args=[job.pk])
    page = staff_client.get(response.url).content.decode()
    assert "Đã nhập 2 hộ" in page and ">Xong<" in page and "hx-trigger" not in page
    assert (job.status, job.imported, job.rows, job.upload) == ("done", 2, 2, None)
    assert Household.objects.filter(source="import", status="proposed").count() == 2
    assert "danh-sach.xlsx" in Household.objects.first().notes


def test_a_file_with_a_bad_row_cannot_be_confirmed_whole_and_says_which_row_whose_and_why(staff_client, ward_a):
    rows = [household_row(n) for n in range(1, 1001)]
    rows[9] = household_row(10, changes={"Số nhân khẩu": "mười"})
    response = send(staff_client, "ds.xlsx", xlsx_bytes(rows))
    page = response.content.decode()
    assert "Tệp còn 1 lỗi. Có thể sửa tệp rồi tải lên lại" in page
    assert '<td class="num">11</td><td>Nguyễn Văn Hộ 10</td><td>Số nhân khẩu</td>' in page
    assert "Xác nhận nhập" not in page and "Nhập 999 dòng hợp lệ, bỏ lại 1 dòng lỗi" in page
    assert not Household.objects.exists()


def test_a_file_whose_every_row_has_an_error_offers_nothing_to_import(staff_client, ward_a):
    rows = [household_row(n, changes={"Số nhân khẩu": "mười"}) for n in (1, 2)]
    response = send(staff_client, "ds.xlsx", xlsx_bytes(rows))
    assert response.context["token"] is None and not PendingImport.objects.exists()
    assert "Tệp còn 2 lỗi nên chưa nhập dòng nào" in response.content.decode()


def test_confirming_twice_imports_once(staff_client, confirm, ward_a):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1)])).context["token"]
    confirm(staff_client, token)
    response = staff_client.post(CONFIRM, {"token": token}, follow=True)
    assert Household.objects.count() == 1
    assert "Không tìm thấy tệp chờ nhập" in response.content.decode()


def test_a_token_of_someone_elses_upload_is_refused(staff_client, admin_client_, confirm, ward_a):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1)])).context["token"]
    confirm(admin_client_, token)
    assert not Household.objects.exists() and not ImportJob.objects.exists()


def test_a_row_broken_between_preview_and_confirm_fails_the_job_with_the_row_and_why(staff_client, confirm, ward_a):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1)])).context["token"]
    ward_a.name = "Phường Mới"
    ward_a.code = "q5-moi"
    ward_a.save()
    page = staff_client.get(confirm(staff_client, token).url).content.decode()
    assert ">Lỗi<" in page and "Tệp còn lỗi, chưa nhập hộ nào" in page
    assert '<td class="num">2</td><td>Nguyễn Văn Hộ 1</td><td>Phường</td>' in page
    assert "Nhập lại" not in page  # the same file would fail again: the staff fix it and upload it again
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ds.pdf", b"%PDF-1.4", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV"),
        ("ds.xls", b"\xd0\xcf\x11\xe0", "Excel cũ"),
        ("ds.csv", b"", "Tệp trống"),
        ("ds.xlsx", b"PK\x03\x04 garbage", "Không đọc được tệp Excel"),
        ("ds.csv", csv_bytes([{"Tên": "A"}]), "Tệp thiếu cột"),
        ("ds.csv", "CCCD;Tên\n1;á\n".encode("cp1258"), "Tệp thiếu cột: “Họ và tên chủ hộ”"),
        ("ds.csv", b"\x00\x01\x02binary\x00" * 10, "không phải văn bản"),
    ],
)
def test_unreadable_files_are_refused_in_vietnamese(staff_client, ward_a, name, content, words):
    response = send(staff_client, name, content)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Household.objects.exists()


def test_a_post_without_a_file_asks_for_one(staff_client):
    assert "Hãy chọn tệp" in staff_client.post(URL, {}).content.decode()


def test_confirm_without_an_upload_explains_instead_of_failing(staff_client):
    response = staff_client.post(CONFIRM, {"token": "../../etc/passwd"}, follow=True)
    assert "Không tìm thấy tệp chờ nhập" in response.content.decode()


def test_a_ten_thousand_row_file_is_previewed_and_imported_in_reasonable_time(staff_client, confirm, ward_a, ward_b):
    rows = [household_row(n, ward="Phường 1" if n % 2 else "Phường 2") for n in range(1, 10_001)]
    content = xlsx_bytes(rows)
    started = time.monotonic()
    response = send(staff_client, "10000-ho.xlsx", content)
    assert response.context["report"].good_rows == 10_000
    previewed = time.monotonic()
    response = confirm(staff_client, response.context["token"])
    finished = time.monotonic()
    assert response.status_code == 302
    assert Household.objects.count() == 10_000
    assert Household.categories.through.objects.count() == 20_000
    assert Household.history.count() == 10_000
    assert apps.get_model("households", "HistoricalHousehold_categories").objects.count() == 20_000
    print(f"10,000 rows: preview {previewed - started:.1f} s, import {finished - previewed:.1f} s")
    assert finished - started < 120  # generous for a loaded CI machine; about 10 s on a quiet one


def test_a_new_upload_replaces_the_one_waiting_to_be_confirmed(staff_client, confirm, ward_a):
    first = send(staff_client, "a.csv", csv_bytes([household_row(1)])).context["token"]
    second = send(staff_client, "b.csv", csv_bytes([household_row(2)])).context["token"]
    confirm(staff_client, first)
    assert not Household.objects.exists()
    confirm(staff_client, second)
    assert list(Household.objects.values_list("national_id", flat=True)) == ["079085000002"]


def test_confirming_uses_the_rows_checked_at_the_preview_without_reading_the_file_again(
    staff_client, confirm, ward_a, monkeypatch
):
    token = send(staff_client, "ds.xlsx", xlsx_bytes([household_row(1), household_row(2)])).context["token"]

    def unread(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr("households.imports.read_rows", unread)
    response = confirm(staff_client, token)
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_a_household_registered_between_preview_and_confirm_with_the_same_cccd_stops_the_import_until_seen(
    staff_client, confirm, ward_a, ward_b, django_capture_on_commit_callbacks
):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1), household_row(2)])).context["token"]
    make_household(ward_b, "Trần Thị Bích", national_id="079085000002")

    job_url = confirm(staff_client, token, same_id_too="1").url
    page = staff_client.get(job_url).content.decode()
    assert Household.objects.count() == 1
    assert "<td>Nguyễn Văn Hộ 2</td><td>Đã có hộ Trần Thị Bích ở Phường 2 cùng CCCD •••••••••002.</td>" in page
    assert "Từ lúc xem trước, quận đã có thêm hộ trùng" in page and "Nhập lại" in page

    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("district:import_job_again", args=[job.pk]))
    assert response.url == job_url
    assert "Đã nhập 2 hộ" in staff_client.get(job_url).content.decode()
    assert Household.objects.filter(national_id="079085000002").count() == 2


def test_without_the_decision_a_cccd_registered_since_the_preview_is_not_imported_when_the_job_runs_again(
    staff_client, confirm, ward_a, ward_b, django_capture_on_commit_callbacks
):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1), household_row(2)])).context["token"]
    make_household(ward_b, "Trần Thị Bích", national_id="079085000002")
    job_url = confirm(staff_client, token).url
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("district:import_job_again", args=[ImportJob.objects.get().pk]))
    page = staff_client.get(job_url).content.decode()
    assert "Tệp còn lỗi, chưa nhập hộ nào" in page
    assert '<td class="num">3</td><td>Nguyễn Văn Hộ 2</td><td>CCCD</td><td>Đã có hộ Trần Thị Bích' in page
    assert Household.objects.filter(national_id="079085000002").count() == 1


def same_id_list():
    """Row 3 repeats row 2's CCCD, row 4 a registered household's; row 5 only a phone (a warning)."""
    rows = [
        household_row(1),
        household_row(2, changes={"CCCD": "079085000001"}),
        household_row(3, changes={"CCCD": "079085000777"}),
        household_row(4, changes={"Số điện thoại": "0900000001"}),
    ]
    return xlsx_bytes(rows)


def test_rows_whose_cccd_repeats_are_listed_on_the_preview_with_the_decision_to_import_them(staff_client, ward_a):
    make_household(ward_a, "Trần Thị Bích", national_id="079085000777")
    response = send(staff_client, "ds.xlsx", same_id_list())
    page = response.content.decode()
    assert response.context["report"].same_id == {
        3: "Trùng CCCD với dòng 2 của tệp.",
        4: "Đã có hộ Trần Thị Bích ở Phường 1 cùng CCCD •••••••••777.",
    }
    assert "Trùng số CCCD (2 dòng)" in page
    assert '<td class="num">3</td><td>Nguyễn Văn Hộ 2</td><td>Trùng CCCD với dòng 2 của tệp.</td>' in page
    assert 'name="same_id_too"' in page and "Vẫn nhập 2 dòng trùng số CCCD như hộ riêng — quận đã đối chiếu" in page
    assert "Nhập 2 dòng hợp lệ (thêm các dòng trùng nếu đã đánh dấu), bỏ lại 2 dòng lỗi hoặc trùng CCCD" in page
    assert "Trùng Số điện thoại với dòng 2 của tệp." in page


def test_without_the_decision_the_rows_whose_cccd_repeats_stay_out_and_come_back_with_what_they_repeat(
    staff_client, confirm, ward_a
):
    make_household(ward_a, "Trần Thị Bích", national_id="079085000777")
    token = send(staff_client, "ds.xlsx", same_id_list()).context["token"]
    values = [list(row) for row in rejected_workbook(staff_client).worksheets[0].iter_rows(values_only=True)]
    assert [(row[0], row[-1]) for row in values[1:]] == [
        ("Nguyễn Văn Hộ 2", "CCCD: Trùng CCCD với dòng 2 của tệp."),
        ("Nguyễn Văn Hộ 3", "CCCD: Đã có hộ Trần Thị Bích ở Phường 1 cùng CCCD •••••••••777."),
    ]
    page = staff_client.get(confirm(staff_client, token, good_only="1").url).content.decode()
    assert "Đã nhập 2 hộ" in page and "2 dòng lỗi hoặc trùng CCCD không nhập" in page
    assert Household.objects.filter(national_id="079085000001").count() == 1
    assert Household.objects.filter(national_id="079085000777").count() == 1


def test_confirming_the_whole_file_without_the_decision_is_refused_while_a_cccd_repeats(staff_client, confirm, ward_a):
    token = send(staff_client, "ds.xlsx", same_id_list()).context["token"]
    page = staff_client.get(confirm(staff_client, token).url).content.decode()
    assert "Tệp còn lỗi, chưa nhập hộ nào" in page
    assert "<td>Nguyễn Văn Hộ 2</td><td>CCCD</td><td>Trùng CCCD với dòng 2 của tệp.</td>" in page
    assert Household.objects.count() == 0


def test_with_the_decision_ticked_the_rows_whose_cccd_repeats_go_in_as_households_of_their_own(
    staff_client, confirm, ward_a
):
    make_household(ward_a, "Trần Thị Bích", national_id="079085000777")
    token = send(staff_client, "ds.xlsx", same_id_list()).context["token"]
    page = staff_client.get(confirm(staff_client, token, good_only="1", same_id_too="1").url).content.decode()
    assert "Đã nhập 4 hộ" in page
    assert Household.objects.filter(national_id="079085000001").count() == 2
    assert Household.objects.filter(national_id="079085000777").count() == 2


def test_a_ward_moved_out_of_the_district_between_preview_and_confirm_is_an_error_on_confirm(
    staff_client, confirm, ward_a, ward_b, other_district
):
    rows = [household_row(1), household_row(2, ward="Phường 2")]
    token = send(staff_client, "ds.csv", csv_bytes(rows)).context["token"]
    ward_b.district = other_district
    ward_b.save()
    confirm(staff_client, token)
    (problem,) = ImportJob.objects.get().problems["errors"]
    assert problem[:2] == [3, "Phường"]
    assert not Household.objects.exists()


def test_a_kept_file_that_no_longer_matches_its_preview_is_read_and_checked_again(staff_client, confirm, ward_a):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1)])).context["token"]
    PendingImport.objects.filter(token=token).update(upload=csv_bytes([household_row(1, changes={"CCCD": "12345"})]))
    confirm(staff_client, token)
    assert ImportJob.objects.get().problems["errors"][0][1] == "CCCD"
    assert not Household.objects.exists()


def test_the_previewed_file_waits_in_the_database_not_on_the_app_servers_disk(staff, staff_client, settings, ward_a):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1), household_row(2)])).context["token"]
    assert list(Path(settings.ANSINH_IMPORT_DIR).iterdir()) == []
    pending = PendingImport.objects.get()
    assert (pending.token, pending.uploaded_by, pending.rows, pending.source_name) == (token, staff, 2, "ds.csv")
    assert bytes(pending.upload).startswith("\ufeff".encode()) and '"rows"' in pending.preview


def test_another_app_server_with_its_own_import_directory_takes_the_confirmation(
    staff_client, confirm, settings, tmp_path, ward_a
):
    token = send(staff_client, "ds.csv", csv_bytes([household_row(1), household_row(2)])).context["token"]
    settings.ANSINH_IMPORT_DIR = str(tmp_path / "another-host")
    confirm(staff_client, token)
    assert Household.objects.count() == 2 and not PendingImport.objects.exists()


def test_a_new_upload_forgets_the_file_waiting_before_it(staff_client, ward_a):
    first = send(staff_client, "a.csv", csv_bytes([household_row(1)])).context["token"]
    second = send(staff_client, "b.csv", csv_bytes([household_row(2)])).context["token"]
    assert list(PendingImport.objects.values_list("token", flat=True)) == [second] != [first]


def test_an_upload_nobody_confirmed_for_a_day_is_forgotten_at_the_next_upload(staff_client, ward_a):
    first = send(staff_client, "a.csv", csv_bytes([household_row(1)])).context["token"]
    PendingImport.objects.filter(token=first).update(created_at=timezone.now() - timedelta(days=2))
    staff_client.cookies.clear()
    sign_in(staff_client, PendingImport.objects.get().uploaded_by)  # a new session: the first is not replaced
    send(staff_client, "b.csv", csv_bytes([household_row(2)]))
    assert not PendingImport.objects.filter(token=first).exists()


def test_the_preview_lists_the_rows_it_ignored_and_why(staff_client, ward_a):
    header = list(household_row(1))
    totals = ["Tổng cộng", None, None, None, None, None]
    content, first = ward_list_xlsx(header, [household_row(1)], titles=["DANH SÁCH HỘ"], totals=totals)
    page = send(staff_client, "ds.xlsx", content).content.decode()
    assert "1</strong> dòng hợp lệ" in page and "Dòng bỏ qua" in page
    assert '<td class="num">1</td><td>dòng tiêu đề phía trên bảng</td>' in page
    assert f'<td class="num">{first + 1}</td><td>dòng tổng cộng</td>' in page


def test_a_list_without_a_ward_column_asks_for_its_ward_on_the_preview_then_imports_into_it(
    staff_client, confirm, ward_a, ward_b
):
    header = ["STT", "Họ và tên chủ hộ", "Số CCCD/CMND", "SĐT", "Nơi ở hiện tại", "Số nhân khẩu", "Đối tượng"]
    row = dict(zip(header, [1, "Lê Văn Tám", "079085000008", "0912345678", "8 Hùng Vương", 3, "Hộ nghèo"], strict=True))
    content, _ = ward_list_xlsx(header, [row], titles=["DANH SÁCH HỘ"])
    response = send(staff_client, "ds.xlsx", content)
    page = response.content.decode()
    assert "Tệp không có cột Phường" in page and "Danh sách này của phường nào?" in page
    assert "<td>Số CCCD/CMND</td><td>CCCD</td>" in page and "<td>STT</td><td>Bỏ qua (không nhập)</td>" in page
    assert response.context["token"] is None and not PendingImport.objects.exists()
    token = response.context["ward_form"]["token"].value()

    response = staff_client.post(WARD, {"token": token, "ward": ward_b.pk})
    assert "Xác nhận nhập 1 dòng" in response.content.decode()
    confirm(staff_client, response.context["token"])
    assert Household.objects.get().ward == ward_b


def test_the_ward_of_a_list_can_be_chosen_with_the_upload(staff_client, ward_a, ward_b):
    row = {key: value for key, value in household_row(1).items() if key != "Phường"}
    response = staff_client.post(URL, {"file": upload("ds.csv", csv_bytes([row])), "ward": ward_b.pk})
    assert response.context["report"].summary == {"Phường 2": 1}


def test_a_ward_answer_without_its_waiting_file_or_for_another_district_is_refused(
    staff_client, ward_a, other_district
):
    response = staff_client.post(WARD, {"token": "x" * 30, "ward": ward_a.pk}, follow=True)
    assert "Không tìm thấy tệp vừa xem trước" in response.content.decode()
    header = ["Họ và tên chủ hộ", "CCCD", "Số điện thoại", "Địa chỉ", "Số nhân khẩu", "Diện"]
    row = {key: value for key, value in household_row(1).items() if key in header}
    token = send(staff_client, "ds.csv", csv_bytes([row])).context["ward_form"]["token"].value()
    outsider = other_district.wards.first()
    response = staff_client.post(WARD, {"token": token, "ward": outsider.pk}, follow=True)
    assert "Không tìm thấy tệp vừa xem trước" in response.content.decode()
    assert not Household.objects.exists()


def test_the_preview_shows_what_it_read_otherwise_than_written(staff_client, ward_a):
    row = household_row(
        1, changes={"CCCD": 79085000001, "Diện": "Mất việc làm do dịch", "Địa chỉ": "78 Hùng Vương (ở trọ)"}
    )
    page = send(staff_client, "ds.xlsx", xlsx_bytes([{**row, "Cư trú": None}])).content.decode()
    assert "Diện “Mất việc làm do dịch” đọc là <strong>Mất việc do dịch</strong>" in page
    assert '<td class="num">2</td><td>CCCD</td><td>Thêm số 0 Excel đã bỏ ở đầu: •••••••••001</td>' in page
    assert "<td>Cư trú</td><td>Tạm trú (địa chỉ ghi “ở trọ”)</td>" in page
    assert "079085000001" not in page


REJECTED = reverse("district:import_households_rejected")


def messy_list_with_two_bad_rows():
    header = [
        "STT",
        "Họ và tên chủ hộ",
        "CCCD",
        "Số điện thoại",
        "Số nhà, đường",
        "Khu phố",
        "Phường",
        "Số nhân khẩu",
        "Diện",
    ]
    rows = [{**household_row(n), "STT": n, "Số nhà, đường": f"{n} Lê Lợi", "Khu phố": 2} for n in (1, 2, 3)]
    rows[1]["Số nhân khẩu"] = "hai"
    rows[2]["CCCD"] = "12345"
    return ward_list_xlsx(
        header, rows, titles=["DANH SÁCH HỘ"], groups={"Địa chỉ": ("Số nhà, đường", "Khu phố")}, totals=["Tổng cộng"]
    )


def rejected_workbook(client):
    response = client.get(REJECTED)
    assert response["Content-Disposition"].endswith('filename="dong-loi-ds.xlsx"')
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_good_rows_go_in_and_the_bad_ones_come_back_as_a_workbook_to_fix_and_upload_again(
    staff_client, confirm, ward_a
):
    content, _ = messy_list_with_two_bad_rows()
    response = send(staff_client, "ds.xlsx", content)
    assert "Nhập 1 dòng hợp lệ, bỏ lại 2 dòng lỗi" in response.content.decode()
    token = response.context["token"]

    sheet = rejected_workbook(staff_client).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:6] == ["STT", "Họ và tên chủ hộ", "CCCD", "Số điện thoại", "Địa chỉ", None]
    assert values[0][-1] == "Lỗi" and values[1][4:6] == ["Số nhà, đường", "Khu phố"]
    assert [row[1] for row in values[2:]] == ["Nguyễn Văn Hộ 2", "Nguyễn Văn Hộ 3"]
    assert values[2][-1].startswith("Số nhân khẩu: ") and values[3][-1].startswith("CCCD: Số CCCD phải có 12 chữ số")

    job_url = confirm(staff_client, token, good_only="1").url
    assert "Đã nhập 1 hộ" in staff_client.get(job_url).content.decode()
    assert Household.objects.get().address == "1 Lê Lợi, Khu phố 2"

    sheet.cell(row=3, column=8, value=2)
    sheet.cell(row=4, column=3, value="079085000003")
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    response = send(staff_client, "ds.xlsx", buffer.getvalue())
    assert response.context["report"].unmapped == ["STT", "Lỗi"]
    confirm(staff_client, response.context["token"])
    assert Household.objects.count() == 3
    assert Household.objects.get(national_id="079085000003").address == "3 Lê Lợi, Khu phố 2"


def test_confirming_a_file_with_errors_as_a_whole_imports_nothing(staff_client, confirm, ward_a):
    content, _ = messy_list_with_two_bad_rows()
    token = send(staff_client, "ds.xlsx", content).context["token"]
    page = staff_client.get(confirm(staff_client, token).url).content.decode()
    assert "Tệp còn lỗi, chưa nhập hộ nào" in page
    assert not Household.objects.exists()


def test_the_rejected_rows_of_an_upload_that_is_not_waiting_are_not_found(staff_client, ward_a):
    response = staff_client.get(REJECTED, follow=True)
    assert "Không tìm thấy tệp chờ nhập có dòng lỗi" in response.content.decode()


MAPPING = reverse("district:import_households_mapping")


def list_with_a_to_column(n):
    row = {**household_row(n), "Tổ": f"Tổ {n}", "Ghi chú": "gọi trước khi đến"}
    return row


def mapping_post(response, **chosen):
    """The preview's mapping form as posted, with the columns titled as ``chosen``'s keys set to its values."""
    form = response.context["mapping_form"]
    data = {"token": form["token"].value()}
    for field in form.column_fields():
        data[field.html_name] = chosen.get(field.label, field.value())
    return data


def test_a_column_mapped_on_the_preview_is_read_so_and_the_district_remembers_it_for_the_next_list(
    staff, staff_client, confirm, ward_a
):
    response = send(staff_client, "ds.xlsx", xlsx_bytes([list_with_a_to_column(1)]))
    assert response.context["report"].unmapped == ["Tổ"]
    assert "Sửa cách đọc các cột" in response.content.decode()

    response = staff_client.post(MAPPING, mapping_post(response, **{"Tổ": "neighbourhood", "Ghi chú": ""}))
    report = response.context["report"]
    assert report.mapping["neighbourhood"] == "Tổ" and "note" not in report.mapping
    assert report.unmapped == ["Ghi chú"]
    assert sorted(ColumnMapping.objects.values_list("title_key", "field")) == [("ghi chu", ""), ("to", "neighbourhood")]
    confirm(staff_client, response.context["token"])
    household = Household.objects.get()
    assert household.address == "1 Trần Hưng Đạo, Tổ 1" and "gọi trước" not in household.notes

    response = send(staff_client, "ds2.xlsx", xlsx_bytes([list_with_a_to_column(2)]))
    assert response.context["report"].mapping["neighbourhood"] == "Tổ"


def test_a_list_naming_its_head_s_name_with_an_unknown_word_shows_the_mapping_and_reads_once_it_is_mapped(
    staff_client, confirm, ward_a
):
    rows = [renamed(household_row(n), "Người đại diện") for n in (1, 2)]
    response = send(staff_client, "ds.xlsx", xlsx_bytes(rows))
    page = response.content.decode()
    assert "Tệp thiếu cột" not in page and '<details class="mapping" open>' in page
    assert "Chưa biết cột nào trong tệp là Họ và tên chủ hộ. Hãy chọn cột cho thông tin này" in page

    response = staff_client.post(MAPPING, mapping_post(response, **{"Người đại diện": "head_name"}))
    assert (response.context["report"].good_rows, response.context["report"].missing) == (2, [])
    confirm(staff_client, response.context["token"])
    assert sorted(Household.objects.values_list("head_name", flat=True)) == ["Nguyễn Văn Hộ 1", "Nguyễn Văn Hộ 2"]
    assert send(staff_client, "ds2.xlsx", xlsx_bytes(rows)).context["report"].missing == []


def test_a_column_mapped_back_to_what_its_title_says_is_forgotten(staff, staff_client, ward_a):
    response = send(staff_client, "ds.xlsx", xlsx_bytes([list_with_a_to_column(1)]))
    response = staff_client.post(MAPPING, mapping_post(response, **{"Ghi chú": ""}))
    assert ColumnMapping.objects.count() == 1
    staff_client.post(MAPPING, mapping_post(response, **{"Ghi chú": "note"}))
    assert not ColumnMapping.objects.exists()


def test_one_field_chosen_for_two_columns_is_refused_and_nothing_is_remembered(staff_client, ward_a):
    response = send(staff_client, "ds.xlsx", xlsx_bytes([list_with_a_to_column(1)]))
    response = staff_client.post(MAPPING, mapping_post(response, Tổ="phone"), follow=True)
    assert "“Số điện thoại” được chọn cho hai cột (“Số điện thoại” và “Tổ”)" in response.content.decode()
    assert not ColumnMapping.objects.exists()


def test_a_mapping_for_a_file_that_is_not_the_one_previewed_is_refused(staff_client, ward_a):
    response = send(staff_client, "ds.xlsx", xlsx_bytes([list_with_a_to_column(1)]))
    data = {**mapping_post(response), "token": "someone-elses-token-0000000"}
    response = staff_client.post(MAPPING, data, follow=True)
    assert "Không tìm thấy tệp vừa xem trước" in response.content.decode()
    assert not ColumnMapping.objects.exists()


CATEGORIES_CHOSEN = reverse("district:import_households_categories")


def category_post(response, **chosen):
    """The preview's category form as posted, each text in ``chosen`` given the category named there ("-" leaves
    it out)."""
    form = response.context["category_form"]
    names = {name: pk for pk, name in apps.get_model("households", "Category").objects.values_list("pk", "name")}
    data = {"token": form["token"].value()}
    for field in form.category_fields():
        choice = chosen.get(field.label, "")
        data[field.html_name] = choice if choice in ("", "-") else str(names[choice])
    return data


def list_with_categories_of_its_own():
    return [
        household_row(1, changes={"Diện": "Tiểu thương chợ Kim Biên"}),
        household_row(2, changes={"Diện": "Hộ nghèo; Diện xã hội hóa"}),
        household_row(3, changes={"Diện": "tiểu thương chợ kim biên"}),
    ]


def test_a_category_nothing_reads_is_chosen_once_for_the_whole_file_and_the_district_remembers_it(
    staff, staff_client, confirm, ward_a
):
    CategoryMapping = apps.get_model("households", "CategoryMapping")
    response = send(staff_client, "ds.xlsx", xlsx_bytes(list_with_categories_of_its_own()))
    report = response.context["report"]
    assert report.error_count == 3 and report.unknown_categories == ["Tiểu thương chợ Kim Biên", "Diện xã hội hóa"]
    assert "Diện chưa đọc được" in response.content.decode()

    response = staff_client.post(
        CATEGORIES_CHOSEN,
        category_post(response, **{"Tiểu thương chợ Kim Biên": "Hoàn cảnh khó khăn", "Diện xã hội hóa": "-"}),
    )
    report = response.context["report"]
    assert (report.error_count, report.good_rows, report.unknown_categories) == (0, 3, [])
    assert response.context["category_form"] is None
    assert sorted(CategoryMapping.objects.values_list("text_key", "category__name", "updated_by")) == [
        ("dien xa hoi hoa", None, staff.pk),
        ("tieu thuong cho kim bien", "Hoàn cảnh khó khăn", staff.pk),
    ]
    confirm(staff_client, response.context["token"])
    categories = {
        household.head_name: sorted(household.categories.values_list("name", flat=True))
        for household in Household.objects.all()
    }
    assert categories == {
        "Nguyễn Văn Hộ 1": ["Hoàn cảnh khó khăn"],
        "Nguyễn Văn Hộ 2": ["Hộ nghèo"],
        "Nguyễn Văn Hộ 3": ["Hoàn cảnh khó khăn"],
    }

    rows = [household_row(4, changes={"Diện": "TIỂU THƯƠNG CHỢ KIM BIÊN"})]
    report = send(staff_client, "ds2.xlsx", xlsx_bytes(rows)).context["report"]
    assert (report.error_count, report.unknown_categories) == (0, [])


def test_a_category_left_unchosen_stays_an_error_of_its_rows_and_nothing_is_remembered_for_it(staff_client, ward_a):
    CategoryMapping = apps.get_model("households", "CategoryMapping")
    response = send(staff_client, "ds.xlsx", xlsx_bytes(list_with_categories_of_its_own()))
    response = staff_client.post(CATEGORIES_CHOSEN, category_post(response, **{"Diện xã hội hóa": "-"}))
    report = response.context["report"]
    assert (report.error_count, report.unknown_categories) == (2, ["Tiểu thương chợ Kim Biên"])
    assert list(CategoryMapping.objects.values_list("text_key", flat=True)) == ["dien xa hoi hoa"]
    assert not Household.objects.exists()


def test_a_category_choice_for_a_file_that_is_not_the_one_previewed_or_of_no_category_is_refused(staff_client, ward_a):
    CategoryMapping = apps.get_model("households", "CategoryMapping")
    response = send(staff_client, "ds.xlsx", xlsx_bytes(list_with_categories_of_its_own()))
    data = category_post(response, **{"Diện xã hội hóa": "-"})
    page = staff_client.post(CATEGORIES_CHOSEN, {**data, "token": "someone-elses-token-0000000"}, follow=True)
    assert "Không tìm thấy tệp vừa xem trước" in page.content.decode()
    page = staff_client.post(CATEGORIES_CHOSEN, {**data, "category_1": "99999"}, follow=True)  # not offered
    assert "Hãy tải lên lại" in page.content.decode()
    assert not CategoryMapping.objects.exists()


def test_one_district_s_category_choices_do_not_read_another_district_s_lists(staff_client, ward_a):
    CategoryMapping = apps.get_model("households", "CategoryMapping")
    other = apps.get_model("relief", "District").objects.create(name="Quận 6", code="Q6")
    CategoryMapping.objects.create(district=other, text_key="tieu thuong cho kim bien", category=None)
    report = send(staff_client, "ds.xlsx", xlsx_bytes(list_with_categories_of_its_own())).context["report"]
    assert report.unknown_categories == ["Tiểu thương chợ Kim Biên", "Diện xã hội hóa"]


# --- how far the check of a large list is, while the page waits for its preview ----------------------------------


def test_the_check_of_an_upload_tells_its_page_how_far_it_is(staff, staff_client, ward_a, monkeypatch):
    monkeypatch.setattr(spreadsheets, "PROGRESS_EVERY", 2)
    heard = []
    reporter = jobs.progress_reporter
    monkeypatch.setattr(jobs, "progress_reporter", lambda key: lambda *step: (heard.append(step), reporter(key)(*step)))
    key = "6f1c9a52-8a43-4d7e-b0a4-2f5d8e3c7a10"
    staff_client.post(
        URL, {"file": upload("ds.csv", csv_bytes([household_row(n) for n in range(1, 6)])), "progress": key}
    )
    assert heard == [("reading", 2, 6), ("reading", 4, 6), ("reading", 6, 6), ("duplicates", 5, 5)]
    progress_url = reverse("district:import_households_progress", args=[key])
    page = staff_client.get(progress_url).content.decode()
    assert "Đã đọc mọi dòng; đang đối chiếu với các hộ đã đăng ký" in page and 'value="5"' in page


def test_the_upload_page_asks_how_far_the_check_is_under_a_key_of_its_own(staff_client):
    page = staff_client.get(URL)
    key = str(page.context["progress_key"])
    content = page.content.decode()
    assert f'data-progress-url="{reverse("district:import_households_progress", args=[key])}"' in content
    assert f'name="progress" value="{key}"' in content and "js/import_progress.js" in content
    assert str(staff_client.get(URL).context["progress_key"]) != key


def test_a_check_not_heard_from_says_the_list_is_being_read(staff_client):
    page = staff_client.get(
        reverse("district:import_households_progress", args=["6f1c9a52-8a43-4d7e-b0a4-2f5d8e3c7a10"])
    )
    assert "Đang tải tệp lên và đọc tệp" in page.content.decode() and "<progress" not in page.content.decode()


def test_one_user_cannot_hear_another_s_check(staff, staff_client, other_staff):
    key = "6f1c9a52-8a43-4d7e-b0a4-2f5d8e3c7a10"
    jobs.progress_reporter(jobs.preview_progress_key(staff, key))("reading", 10, 20)
    assert "<progress" in staff_client.get(reverse("district:import_households_progress", args=[key])).content.decode()
    other = client_for(other_staff).get(reverse("district:import_households_progress", args=[key]))
    assert "<progress" not in other.content.decode()


def test_a_ward_s_own_list_without_a_khu_pho_column_asks_for_its_khu_pho_in_the_ward_s_words(two_tier):
    client = client_for(two_tier.ward_staff)
    upload_page = client.get(URL).content.decode()
    assert "Khu phố của danh sách (khi tệp không có cột Khu phố)" in upload_page
    assert "Theo cột Khu phố trong tệp" in upload_page
    header = ["Họ và tên chủ hộ", "Số CCCD/CMND", "SĐT", "Nơi ở hiện tại", "Số nhân khẩu", "Đối tượng"]
    row = dict(zip(header, ["Lê Văn Tám", "079085000008", "0912345678", "8 Hùng Vương", 3, "Hộ nghèo"], strict=True))
    page = send(client, "ds.xlsx", ward_list_xlsx(header, [row])[0]).content.decode()
    assert "Tệp không có cột Khu phố" in page and "Danh sách này của khu phố nào?" in page
    assert "phường nào" not in page and "cột Phường" not in page
    refused = client.post(URL, {"file": upload("ds.xlsx", b"x"), "ward": two_tier.other_thon.pk}).content.decode()
    assert "Khu phố không hợp lệ." in refused
