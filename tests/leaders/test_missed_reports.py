"""Leaders see, per ward, the reports of households the lists missed: open, overdue and resolved."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("leaders:dashboard")


def reports(figures):
    return figures.reports_open, figures.reports_overdue, figures.reports_resolved


def test_the_dashboard_counts_each_ward_s_open_overdue_and_resolved_reports(leader_client, missed_reports):
    response = leader_client.get(DASHBOARD)
    board = response.context["board"]
    by_ward = {row.ward.name: row.figures for row in board.rows}

    assert reports(by_ward["Phường 1"]) == (2, 1, 1)
    assert reports(by_ward["Phường 2"]) == (0, 0, 0)
    assert reports(board.totals) == (3, 1, 1)
    page = response.content.decode()
    assert "Báo bỏ sót: chờ / quá hạn / đã xử lý" in page and '<td class="num attention">2 / 1 / 1</td>' in page
    assert "Tổng cộng gồm cả 1 báo bỏ sót chưa rõ phường, chờ quận chuyển." in page


def test_the_dashboard_sorts_the_wards_by_overdue_reports_first(leader_client, missed_reports):
    board = leader_client.get(DASHBOARD, {"sort": "-reports"}).context["board"]
    assert [row.ward.name for row in board.rows] == ["Phường 1", "Phường 2"]
    board = leader_client.get(DASHBOARD, {"sort": "reports"}).context["board"]
    assert [row.ward.name for row in board.rows] == ["Phường 2", "Phường 1"]


def test_the_dashboard_names_no_person_of_a_report(leader_client, missed_reports):
    page = leader_client.get(DASHBOARD).content.decode()
    assert "Lâm Văn Chờ" not in page and "Gầm cầu" not in page


def test_the_export_has_the_reports_of_each_ward_in_three_columns(leader_client, missed_reports):
    response = leader_client.get(reverse("leaders:export"))
    rows = list(openpyxl.load_workbook(BytesIO(response.content))["Theo phường"].iter_rows(values_only=True))

    assert rows[0][-3:] == ("Báo bỏ sót chờ xử lý", "Báo bỏ sót quá hạn", "Báo bỏ sót đã xử lý")
    assert rows[1][0] == "Phường 1" and rows[1][-3:] == (2, 1, 1)
    assert rows[2][0] == "Phường 2" and rows[2][-3:] == (0, 0, 0)
    assert rows[3][0] == "Tổng cộng" and rows[3][-3:] == (3, 1, 1)


def test_the_printed_report_has_the_reports_column(leader_client, missed_reports):
    page = leader_client.get(reverse("leaders:report")).content.decode()
    assert "Báo bỏ sót: chờ / quá hạn / đã xử lý" in page and "2 / 1 / 1" in page
