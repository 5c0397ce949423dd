import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from households.hand_outs import distribution_record
from tests.conftest import client_for, give, make_household

pytestmark = pytest.mark.django_db


def sheet_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]


def export(client, kind, **query):
    return client.get(reverse("district:export", args=[kind]), query)


def test_households_are_exported_with_their_categories(staff_client, household_a, household_b):
    rows = sheet_of(export(staff_client, "households"))
    assert rows[0][:3] == ["Mã hộ", "Họ và tên chủ hộ", "CCCD"]
    assert [row[1] for row in rows[1:]] == ["Nguyễn Văn An", "Trần Thị Bích"]
    assert rows[1][2] == "•••••••••123" and rows[1][3] == "091••••678" and rows[1][7] == "Hộ nghèo"


def test_the_household_export_follows_the_lists_filters(staff_client, household_a, household_b, ward_b):
    rows = sheet_of(export(staff_client, "households", ward=ward_b.pk))
    assert [row[1] for row in rows[1:]] == ["Trần Thị Bích"]


def test_a_cell_that_looks_like_a_formula_is_written_as_text(staff_client, ward_a):
    make_household(ward_a, '=HYPERLINK("http://x","bấm")', address="+1 Trần Hưng Đạo", notes="@SUM(1)")
    response = export(staff_client, "households")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    row = workbook.worksheets[0][2]
    name, address = row[1], row[4]
    assert name.value == '\'=HYPERLINK("http://x","bấm")' and name.data_type == "s"
    assert (address.value, row[11].value) == ("'+1 Trần Hưng Đạo", "'@SUM(1)")


def test_staff_export_only_their_district(staff_client, household_a, other_district):
    make_household(other_district.wards.get(), "Người Quận Khác")
    rows = sheet_of(export(staff_client, "households"))
    assert "Người Quận Khác" not in [row[1] for row in rows]


def test_donations_and_donors_are_exported(staff_client, campaign, donor, staff):
    give(campaign, donor, staff, amount=3_000_000)
    donations = sheet_of(export(staff_client, "donations"))
    assert donations[1][:3] == ["Q5-2021-BN000001", "20/08/2021", "Nguyễn Văn Hảo"] and donations[1][5] == 3_000_000
    donors = sheet_of(export(staff_client, "donors"))
    assert donors[1][0] == "Nguyễn Văn Hảo" and donors[1][-1] == 3_000_000


def test_handouts_are_exported(staff_client, stocked, household_a, officer_a):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    rows = sheet_of(export(staff_client, "handouts"))
    assert rows[1][:2] == ["Q5-2021-T000001", "Nguyễn Văn An"]


def test_an_empty_list_still_has_its_header(staff_client, ward_a):
    assert sheet_of(export(staff_client, "handouts")) == [
        ["Mã túi", "Họ và tên chủ hộ", "CCCD", "Phường", "Thời điểm trao", "Người nhận thay", "Người ghi nhận",
         "Đã hủy", "Lý do hủy"],
    ]  # fmt: skip


def test_exporting_a_long_list_takes_a_bounded_number_of_queries(staff_client, ward_a, django_assert_max_num_queries):
    from households.models import Household

    Household.objects.bulk_create(
        [Household(ward=ward_a, head_name=f"Hộ {n}", name_key=f"ho {n}", address="x") for n in range(300)]
    )
    with django_assert_max_num_queries(10):
        rows = sheet_of(export(staff_client, "households"))
    assert len(rows) == 301


def test_a_ward_s_own_lists_head_their_unit_column_khu_pho(ward_campaign_under_way):
    client = client_for(ward_campaign_under_way.ward_staff)
    households = sheet_of(export(client, "households"))
    assert (households[0][5], sorted(row[5] for row in households[1:])) == ("Khu phố", ["Khu phố 1", "Khu phố 2"])
    handouts = sheet_of(export(client, "handouts"))
    assert (handouts[0][3], handouts[1][3]) == ("Khu phố", "Khu phố 1")
