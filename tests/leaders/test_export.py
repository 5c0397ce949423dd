from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from relief.models import Ward
from relief.services import allocation_create

pytestmark = pytest.mark.django_db
URL = reverse("leaders:export")


def workbook(response):
    return openpyxl.load_workbook(BytesIO(response.content))


@pytest.mark.parametrize("persona", ["leader_client", "staff_client", "admin_client_"])
def test_leaders_staff_and_administrators_download_the_figures(request, persona, in_progress):
    response = request.getfixturevalue(persona).get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert 'filename="tong-hop-Q5-2021-' in response["Content-Disposition"]


def test_a_ward_officer_is_refused(officer_a_client, in_progress):
    assert officer_a_client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, in_progress):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_leader_cannot_post_to_the_export(leader_client, in_progress):
    assert leader_client.post(URL).status_code == 405


def test_the_workbook_holds_the_dashboards_ward_table_and_totals(leader_client, in_progress):
    board = leader_client.get(reverse("leaders:dashboard")).context["board"]
    rows = list(workbook(leader_client.get(URL))["Theo phường"].iter_rows(values_only=True))

    assert rows[0][:4] == ("Phường", "Hộ được duyệt", "Hộ đã nhận", "Hộ còn chờ")
    assert rows[1] == ("Phường 1", 3, 1, 2, 4, 1, 3, 0, round(1 / 3, 4), 1, 0, 0, 0)
    assert rows[2] == ("Phường 2", 1, 0, 1, 3, 0, 3, 0, 0, 0, 0, 0, 0)
    total = board.totals
    assert rows[3][:7] == ("Tổng cộng", total.households_approved, 1, 3, 7, 1, 6)


def test_the_workbook_has_the_summary_categories_days_and_money(leader_client, in_progress):
    book = workbook(leader_client.get(URL))

    assert book.sheetnames == [
        "Tổng hợp",
        "Theo phường",
        "Theo diện",
        "Theo cư trú",
        "Trao theo ngày",
        "Tiền theo nguồn",
    ]
    summary = dict(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert summary["Tiền đã nhận (đồng)"] == 10_000_000
    assert summary["Quận"] == "Quận 5"
    assert summary["Người lập"] == "Lãnh đạo"
    assert [row[1] for row in book["Trao theo ngày"].iter_rows(min_row=2, values_only=True)] == [1, 1]


def test_a_name_that_looks_like_a_formula_is_written_as_text(leader_client, in_progress, district, staff):
    Ward.objects.create(district=district, code="q5-evil", name='=HYPERLINK("http://evil.example","Phường 9")')

    sheet = workbook(leader_client.get(URL))["Theo phường"]

    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    evil = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert evil.value == '\'=HYPERLINK("http://evil.example","Phường 9")'
    assert evil.data_type == "s"


def test_the_export_follows_the_filters(leader_client, in_progress, ward_a, staff):
    allocation_create(campaign=in_progress, ward=ward_a, quantity=1, created_by=staff)

    response = leader_client.get(URL, {"sort": "-allocated", "date_from": "2001-01-01", "date_to": "2001-01-31"})

    book = workbook(response)
    assert [row[0] for row in book["Theo phường"].iter_rows(min_row=2, values_only=True)][:2] == [
        "Phường 1",
        "Phường 2",
    ]
    assert list(book["Trao theo ngày"].iter_rows(min_row=2, values_only=True)) == [("Tổng cộng", 0)]


def test_money_in_the_summary_is_formatted_as_dong(leader_client, in_progress):
    sheet = workbook(leader_client.get(URL))["Tổng hợp"]

    money = next(row[1] for row in sheet.iter_rows() if row[0].value == "Tiền đã nhận (đồng)")
    assert money.value == 10_000_000
    assert "₫" in money.number_format


def test_without_any_campaign_there_is_nothing_to_export(leader_client, db):
    assert leader_client.get(URL).status_code == 404
