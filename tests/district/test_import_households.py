import io
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from households.imports import HEADER
from households.models import Household, ImportJob, PendingImport
from tests.conftest import make_household, sign_in
from tests.district.conftest import csv_bytes, household_row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = reverse("district:import_households")
CONFIRM = reverse("district:import_households_confirm")


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


def test_a_file_with_a_bad_row_cannot_be_confirmed_and_says_which_row_and_why(staff_client, ward_a):
    rows = [household_row(n) for n in range(1, 1001)]
    rows[9] = household_row(10, changes={"Số nhân khẩu": "mười"})
    response = send(staff_client, "ds.xlsx", xlsx_bytes(rows))
    page = response.content.decode()
    assert response.context["token"] is None
    assert "Tệp còn 1 lỗi nên chưa nhập dòng nào" in page
    assert '<td class="num">11</td><td>Số nhân khẩu</td>' in page
    assert "Xác nhận nhập" not in page
    assert not Household.objects.exists()


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
    assert '<td class="num">2</td><td>Phường</td>' in page
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
        ("ds.csv", "CCCD;Tên\n1;á\n".encode("cp1258"), "UTF-8"),
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

    job_url = confirm(staff_client, token).url
    page = staff_client.get(job_url).content.decode()
    assert Household.objects.count() == 1
    assert "Đã có hộ Trần Thị Bích ở Phường 2 cùng CCCD 079085000002." in page
    assert "Từ lúc xem trước, quận đã có thêm hộ trùng" in page and "Nhập lại" in page

    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("district:import_job_again", args=[job.pk]))
    assert response.url == job_url
    assert "Đã nhập 2 hộ" in staff_client.get(job_url).content.decode()
    assert Household.objects.filter(national_id="079085000002").count() == 2


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
