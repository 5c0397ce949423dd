import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import MissedReport
from households.reports import report_missed
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db
URL = reverse("district:missed_reports")


@pytest.fixture
def unrouted(stocked):
    return report_missed(campaign=stocked, name="Lê Thị Năm", staying_at="Nhà trọ 78 Hùng Vương")


def test_staff_route_a_report_whose_ward_is_unknown_to_a_ward(staff_client, unrouted, ward_b, officer_b_client):
    assert "Lê Thị Năm" in staff_client.get(URL).content.decode()
    staff_client.post(reverse("district:missed_report_route", args=[unrouted.pk]), {"ward": ward_b.pk})
    assert MissedReport.objects.get(pk=unrouted.pk).ward == ward_b
    assert "Lê Thị Năm" in officer_b_client.get(reverse("ward:missed_reports")).content.decode()


def test_staff_cannot_route_a_report_to_a_ward_of_another_district(staff_client, unrouted, other_district):
    foreign = other_district.wards.create(code="x-p1", name="Phường X")
    response = staff_client.post(
        reverse("district:missed_report_route", args=[unrouted.pk]), {"ward": foreign.pk}, follow=True
    )
    assert "Đơn vị không thuộc chương trình" in response.content.decode()
    assert MissedReport.objects.get(pk=unrouted.pk).ward is None


def test_staff_of_another_district_do_not_see_or_route_the_report(unrouted, other_district, ward_a):
    stranger = client_for(make_user("canbo_quan_khac", "district_staff", district=other_district))
    response = stranger.post(reverse("district:missed_report_route", args=[unrouted.pk]), {"ward": ward_a.pk})
    assert response.status_code == 404
    assert MissedReport.objects.get(pk=unrouted.pk).ward is None


def test_staff_enter_a_report_received_by_phone(staff_client, stocked, ward_a, staff):
    body = {"campaign": stocked.pk, "channel": "phone", "ward": ward_a.pk, "name": "Phạm Văn Sáu",
            "staying_at": "Chợ Kim Biên", "phone": "0987 654 321"}  # fmt: skip
    assert staff_client.post(URL, body).status_code == 302
    stored = MissedReport.objects.get()
    assert (stored.channel, stored.created_by, stored.phone) == ("phone", staff, "0987654321")
    assert stored.deadline - stored.created_at == datetime.timedelta(days=stocked.report_days)


def test_an_overdue_report_in_a_ward_is_flagged_to_the_district(staff_client, stocked, ward_a):
    late = report_missed(campaign=stocked, ward=ward_a, name="Võ Văn Bảy", staying_at="Bến xe")
    MissedReport.objects.filter(pk=late.pk).update(deadline=timezone.now() - datetime.timedelta(days=1))
    page = staff_client.get(URL).content.decode()
    assert "Võ Văn Bảy" in page and "quá hạn" in page


def test_a_flood_of_reports_shows_the_oldest_fifty_of_each_list_and_counts_the_rest(
    staff_client, stocked, ward_a, django_assert_max_num_queries
):
    for n in range(52):
        report_missed(campaign=stocked, name=f"Người {n:03}", staying_at="Gầm cầu")
        report_missed(campaign=stocked, ward=ward_a, name=f"Quá hạn {n:03}", staying_at="Gầm cầu")
    MissedReport.objects.filter(ward=ward_a).update(deadline=timezone.now() - datetime.timedelta(days=1))

    with django_assert_max_num_queries(20):
        page = staff_client.get(URL).content.decode()

    assert page.count('<select name="ward" id="route-') == 50
    assert "Người 049" in page and "Người 050" not in page
    assert "Quá hạn 049" in page and "Quá hạn 050" not in page
    assert page.count("và 2 báo cáo khác") == 2
    assert "104 báo cáo đang chờ xử lý" in page
