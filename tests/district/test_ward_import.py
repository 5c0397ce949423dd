"""A ward officer uploads their own ward's household list: the district's import, for the officer's ward only, its
households proposed to the district."""

import pytest
from django.urls import reverse

from households.models import Household, ImportJob
from tests.conftest import client_for, make_household, make_user
from tests.district.conftest import csv_bytes, household_row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = reverse("ward_import:households")
CONFIRM = reverse("ward_import:confirm")


def without_ward(row):
    return {key: value for key, value in row.items() if key != "Phường"}


def send(client, rows, name="ds.xlsx"):
    return client.post(URL, {"file": upload(name, xlsx_bytes(rows))})


def test_an_officer_s_list_without_a_ward_column_is_their_ward_s_and_arrives_proposed_to_the_district(
    officer_a, officer_a_client, confirm_ward, ward_a
):
    response = send(officer_a_client, [without_ward(household_row(n)) for n in (1, 2)])
    page = response.content.decode()
    assert "2</strong> dòng hợp lệ" in page and "Các hộ nhập vào ở trạng thái “Đề xuất”, chờ quận duyệt." in page
    assert "Phường 1: 2 hộ" in page and "Sửa cách đọc các cột" not in page
    response = confirm_ward(officer_a_client, response.context["token"])
    job = ImportJob.objects.get()
    assert response.url == reverse("ward_import:job", args=[job.pk])
    page = officer_a_client.get(response.url).content.decode()
    assert "Đã nhập 2 hộ" in page and "Hộ gia đình của đơn vị" in page
    assert (job.started_by, job.district_id, job.status) == (officer_a, ward_a.district_id, "done")
    households = Household.objects.all()
    assert {(h.ward_id, h.status, h.created_by_id) for h in households} == {(ward_a.pk, "proposed", officer_a.pk)}


def test_a_row_naming_another_ward_is_an_error_of_that_row(officer_a_client, ward_a, ward_b):
    rows = [household_row(1), household_row(2, ward="Phường 2")]
    report = send(officer_a_client, rows).context["report"]
    assert (report.good_rows, report.error_count) == (1, 1)
    assert report.errors[0].row == 3 and report.errors[0].column == "Phường"


def test_the_good_rows_go_in_and_the_rejected_ones_come_back_to_the_officer(officer_a_client, confirm_ward, ward_a):
    rows = [household_row(1), household_row(2, changes={"Số nhân khẩu": "mười"})]
    response = send(officer_a_client, rows)
    assert "Nhập 1 dòng hợp lệ, bỏ lại 1 dòng lỗi" in response.content.decode()
    rejected = officer_a_client.get(reverse("ward_import:rejected"))
    assert rejected.status_code == 200 and rejected["Content-Disposition"].startswith("attachment")
    confirm_ward(officer_a_client, response.context["token"], good_only="1")
    assert Household.objects.count() == 1


def test_another_officer_the_leader_and_an_anonymous_visitor_cannot_follow_an_officer_s_job(
    officer_a, officer_a_client, officer_b, leader_client, client, staff_client, confirm_ward, ward_a
):
    response = send(officer_a_client, [household_row(1)])
    confirm_ward(officer_a_client, response.context["token"])
    job = ImportJob.objects.get()
    url = reverse("ward_import:job", args=[job.pk])
    assert client_for(officer_b).get(url).status_code == 404
    assert client_for(officer_b).post(reverse("ward_import:job_again", args=[job.pk])).status_code == 404
    assert leader_client.get(url).status_code == 403
    assert client.get(url).status_code == 302
    assert staff_client.get(reverse("district:import_job", args=[job.pk])).status_code == 200  # the district's


def test_a_second_officer_of_the_same_ward_does_not_see_the_first_one_s_job(officer_a_client, confirm_ward, ward_a):
    response = send(officer_a_client, [household_row(1)])
    confirm_ward(officer_a_client, response.context["token"])
    colleague = make_user("phuong1_b", "ward_officer", district=ward_a.district, ward=ward_a)
    job = ImportJob.objects.get()
    assert client_for(colleague).get(reverse("ward_import:job", args=[job.pk])).status_code == 404


def test_district_staff_use_their_own_import_not_the_officer_s(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_a_csv_from_the_officer_and_the_template_download(officer_a_client, ward_a):
    response = officer_a_client.post(URL, {"file": upload("ds.csv", csv_bytes([without_ward(household_row(1))]))})
    assert response.context["report"].good_rows == 1
    template = officer_a_client.get(reverse("ward_import:template"))
    assert template.status_code == 200 and "mau-danh-sach-ho.xlsx" in template["Content-Disposition"]


def test_the_officer_s_household_list_links_to_the_import(officer_a_client):
    assert URL in officer_a_client.get(reverse("ward:households")).content.decode()


def test_a_number_registered_in_another_ward_is_warned_without_naming_that_household(officer_a_client, ward_a, ward_b):
    make_household(ward_b, "Hồ Thị Khác", national_id="079085000001", phone="0900000001")
    make_household(ward_b, "Hồ Văn Khác Nữa", national_id="079085000001")
    make_household(ward_a, "Lê Văn Cùng Phường", phone="0900000002")
    response = send(officer_a_client, [without_ward(household_row(n)) for n in (1, 2)])
    report = response.context["report"]
    assert report.same_id == {2: "Số CCCD này đã được đăng ký ở phường khác; quận sẽ đối chiếu và giải quyết."}
    warnings = [(problem.row, problem.column, problem.message) for problem in report.warnings]
    assert warnings == [
        (2, "Số điện thoại", "Số điện thoại này đã được đăng ký ở phường khác; quận sẽ đối chiếu và giải quyết."),
        (3, "Số điện thoại", "Đã có hộ Lê Văn Cùng Phường ở Phường 1 cùng Số điện thoại 090••••002."),
    ]
    page = response.content.decode()
    assert "Hồ Thị Khác" not in page and "Phường 2" not in page


def test_an_officer_cannot_import_a_row_whose_cccd_repeats_even_by_posting_the_decision(
    officer_a_client, confirm_ward, ward_a
):
    rows = [without_ward(household_row(1)), without_ward(household_row(2, changes={"CCCD": "079085000001"}))]
    response = send(officer_a_client, rows)
    page = response.content.decode()
    assert "Trùng CCCD với dòng 2 của tệp." in page and 'name="same_id_too"' not in page
    confirm_ward(officer_a_client, response.context["token"], good_only="1", same_id_too="1")
    assert Household.objects.filter(national_id="079085000001").count() == 1
