"""The ward's queue of missed-household reports: verify, then register, link or close, every step in the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from households.hand_outs import distribution_record
from households.models import Household, MissedReport
from households.reports import report_close, report_missed
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(stocked, ward_a):
    return report_missed(
        campaign=stocked, ward=ward_a, name="Trần Văn Tư", phone="0912345678", staying_at="Gầm cầu Chữ Y",
        situation="Bán vé số, mất việc",
    )  # fmt: skip


def test_the_wards_start_page_shows_the_open_report_with_its_age(officer_a_client, reported):
    page = officer_a_client.get(reverse("ward:home")).content.decode()
    assert "1 báo bị bỏ sót chờ xác minh" in page and "Trần Văn Tư" in page and "báo 0" in page


def test_another_wards_officer_sees_nothing_of_the_report(officer_b_client, reported):
    assert "Trần Văn Tư" not in officer_b_client.get(reverse("ward:home")).content.decode()
    assert officer_b_client.get(reverse("ward:missed_report", args=[reported.pk])).status_code == 404


def test_an_overdue_report_is_flagged(officer_a_client, reported):
    MissedReport.objects.filter(pk=reported.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    assert "quá hạn" in officer_a_client.get(reverse("ward:missed_reports")).content.decode()


def test_registering_from_a_report_prefills_the_form_and_resolves_the_report(
    officer_a_client, reported, stocked, officer_a
):
    form_url = f"{reverse('ward:household_create')}?bao={reported.pk}"
    form = officer_a_client.get(form_url).context["form"]
    assert (form["head_name"].value(), form["address"].value()) == ("Trần Văn Tư", "Gầm cầu Chữ Y")
    body = {
        "head_name": "Trần Văn Tư", "phone": "0912345678", "address": "Gầm cầu Chữ Y", "members": "1",
        "residence": Household.Residence.NONE, "source": Household.Source.SELF_REPORT, "notes": "",
    }  # fmt: skip
    response = officer_a_client.post(form_url, body)
    assert response.status_code == 302
    household = Household.objects.get(head_name="Trần Văn Tư")
    reported.refresh_from_db()
    assert (reported.status, reported.household) == (MissedReport.Status.REGISTERED, household)
    assert reported.history.first().history_user == officer_a
    # Verified on the spot, so approved at once and the bag can follow in the same visit.
    assert household.status == Household.Status.APPROVED
    assert household.history.first().history_user == officer_a
    distribution = distribution_record(household=household, campaign=stocked, recorded_by=officer_a)
    assert distribution.household == household


def test_a_report_of_a_household_already_registered_is_linked_to_it(officer_a_client, reported, ward_a):
    known = make_household(ward_a, "Trần Văn Tư", phone="0912345678")
    page = officer_a_client.get(reverse("ward:missed_report", args=[reported.pk])).content.decode()
    assert "Có thể đã có trong danh sách" in page
    officer_a_client.post(reverse("ward:missed_report", args=[reported.pk]), {"action": "link", "household": known.pk})
    reported.refresh_from_db()
    assert (reported.status, reported.household) == (MissedReport.Status.LINKED, known)


def test_a_report_cannot_be_linked_to_another_wards_household(officer_a_client, reported, household_b):
    body = {"action": "link", "household": household_b.pk}
    response = officer_a_client.post(reverse("ward:missed_report", args=[reported.pk]), body)
    assert "Không tìm thấy hộ này trong đơn vị của anh/chị" in response.content.decode()
    assert MissedReport.objects.get(pk=reported.pk).status == MissedReport.Status.OPEN


def test_closing_needs_a_reason_and_the_public_status_then_says_closed(officer_a_client, client, reported):
    target = reverse("ward:missed_report", args=[reported.pk])
    assert "Hãy ghi lý do" in officer_a_client.post(target, {"action": "close"}).content.decode()
    officer_a_client.post(target, {"action": "close", "reason": "Đã chuyển về quê"})
    page = client.get(reverse("public:report_status"), {"ma": reported.code.lower()}).content.decode()
    assert "Đã đóng" in page and "Đã chuyển về quê" not in page


def test_a_report_is_resolved_once(reported, officer_a):
    report_close(report=reported, reason="Trùng", closed_by=officer_a)
    with pytest.raises(ValidationError, match="đã được xử lý"):
        report_close(report=reported, reason="Lần nữa", closed_by=officer_a)


def test_an_officer_records_a_report_received_by_phone_for_the_ward(officer_a_client, stocked, ward_a, officer_a):
    body = {"channel": "phone", "name": "Đinh Văn Tám", "staying_at": "Hẻm 5 Trần Phú", "ward": "999"}
    assert officer_a_client.post(reverse("ward:missed_reports"), body).status_code == 302
    stored = MissedReport.objects.get(name="Đinh Văn Tám")
    assert (stored.ward, stored.channel, stored.created_by) == (ward_a, "phone", officer_a)


def test_the_queue_pages_title_holds_only_its_title(officer_a_client, stocked):
    page = officer_a_client.get(reverse("ward:missed_reports")).content.decode()
    title = page[page.index("<title>") + len("<title>") : page.index("</title>")]
    assert "Báo bị bỏ sót" in title
    assert "<form" not in title and "csrfmiddlewaretoken" not in title


def test_a_flood_of_reports_shows_the_fifty_nearest_their_deadline_and_counts_the_rest(
    officer_a_client, stocked, ward_a
):
    for n in range(52):
        report_missed(campaign=stocked, ward=ward_a, name=f"Người {n:03}", staying_at="Gầm cầu")
    page = officer_a_client.get(reverse("ward:missed_reports")).content.decode()
    assert "Người 049" in page and "Người 050" not in page
    assert "và 2 báo cáo khác" in page
