import pytest
from django.urls import reverse

from households.reports import report_missed
from relief.models import WardRequest
from relief.services import ward_request_create, ward_request_decide
from tests.conftest import make_household

pytestmark = pytest.mark.django_db
URL = reverse("ward:requests")


def test_officer_asks_the_district_for_more_bags(officer_a_client, officer_a, campaign, ward_a):
    response = officer_a_client.post(URL, {"campaign": campaign.pk, "quantity": "20", "reason": "Còn 20 hộ chờ"})
    assert response.status_code == 302
    ward_request = WardRequest.objects.get()
    assert (ward_request.ward, ward_request.quantity, ward_request.created_by) == (ward_a, 20, officer_a)
    assert "Đang chờ quận" in officer_a_client.get(URL).text


def test_officer_sees_each_request_status(officer_a_client, officer_a, staff, stocked, ward_a):
    approved = ward_request_create(campaign=stocked, ward=ward_a, quantity=3, reason="a", created_by=officer_a)
    ward_request_decide(ward_request=approved, decided_by=staff, approved_quantity=2)
    refused = ward_request_create(campaign=stocked, ward=ward_a, quantity=5, reason="b", created_by=officer_a)
    ward_request_decide(ward_request=refused, decided_by=staff, approved_quantity=0, note="Quận hết túi")
    ward_request_create(campaign=stocked, ward=ward_a, quantity=9, reason="c", created_by=officer_a)
    text = officer_a_client.get(URL).text
    assert "Duyệt một phần: 2 túi" in text
    assert 'Từ chối</span> <span class="muted">Quận hết túi' in text
    assert "Đang chờ quận" in text


def test_officer_does_not_see_the_requests_of_another_ward(officer_b_client, officer_a, campaign, ward_a):
    ward_request_create(campaign=campaign, ward=ward_a, quantity=11, reason="Phường 1 thiếu", created_by=officer_a)
    assert "11 túi" not in officer_b_client.get(URL).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quantity": "0"}, "Số túi phải lớn hơn 0."),
        ({"quantity": "-4"}, "Số túi phải lớn hơn 0."),
        ({"quantity": "mười"}, "Số túi phải là một số nguyên."),
        ({"quantity": ""}, "Hãy nhập số túi cần thêm."),
        ({"reason": "   "}, "Hãy ghi lý do đề nghị."),
        ({"campaign": "999"}, "Chương trình này đã đóng hoặc không thuộc quận."),
    ],
)
def test_a_bad_request_is_refused_in_vietnamese_and_nothing_is_sent(officer_a_client, campaign, data, message):
    response = officer_a_client.post(URL, {"campaign": campaign.pk, "quantity": "5", "reason": "Thiếu", **data})
    assert response.status_code == 200 and message in response.text
    assert not WardRequest.objects.exists()


def test_a_closed_campaign_takes_no_request(officer_a_client, campaign):
    campaign.is_open = False
    campaign.save()
    response = officer_a_client.post(URL, {"campaign": campaign.pk, "quantity": "5", "reason": "Thiếu"})
    assert response.status_code == 200 and not WardRequest.objects.exists()


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_are_refused_the_request_page(request, persona, campaign):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"campaign": campaign.pk, "quantity": "5", "reason": "x"}).status_code == 403
    assert not WardRequest.objects.exists()


def test_anonymous_is_sent_to_log_in(client, campaign):
    assert client.post(URL, {"campaign": campaign.pk, "quantity": "5", "reason": "x"}).status_code == 302
    assert not WardRequest.objects.exists()


def test_the_request_page_refuses_other_methods(officer_a_client):
    assert officer_a_client.delete(URL).status_code == 405


def test_an_empty_request_form_is_refused_with_the_missing_fields_named(officer_a_client, campaign):
    response = officer_a_client.post(URL, {})
    assert "Hãy nhập số túi cần thêm." in response.text and "Hãy ghi lý do đề nghị." in response.text
    assert not WardRequest.objects.exists()


def test_the_request_form_shows_the_wards_stock_and_suggests_what_its_waiting_households_need(
    officer_a_client, stocked, ward_a
):
    for n in range(6):
        make_household(ward_a, f"Hộ chờ {n}", address=f"{n} Hùng Vương")
    response = officer_a_client.get(reverse("ward:requests"))
    page = response.content.decode()
    assert "Phường đang giữ <strong>4</strong> túi" in page and "cần thêm khoảng <strong>2</strong> túi" in page
    assert response.context["form"]["quantity"].value() == 2


def test_the_request_form_suggests_bags_for_the_wards_open_reports_too(officer_a_client, stocked, ward_a, ward_b):
    for n in range(5):
        make_household(ward_a, f"Hộ chờ {n}", address=f"{n} Hùng Vương")
    for name in ("Trần Văn Tư", "Lê Thị Năm"):
        report_missed(campaign=stocked, ward=ward_a, name=name, staying_at="Gầm cầu Chữ Y")
    report_missed(campaign=stocked, ward=ward_b, name="Đinh Văn Tám", staying_at="Hẻm 5 Trần Phú")
    response = officer_a_client.get(reverse("ward:requests"))
    # 5 waiting and 2 open reports beyond the 4 bags held; ward B's report is not ward A's.
    assert response.context["form"]["quantity"].value() == 3
    assert "cần thêm khoảng <strong>3</strong> túi" in response.content.decode()


def test_a_partial_approval_reaches_the_ward_with_the_districts_note(officer_a_client, stocked, ward_a, staff):
    ward_request = ward_request_create(
        campaign=stocked, ward=ward_a, quantity=3, reason="Thêm hộ mới", created_by=staff
    )
    ward_request_decide(ward_request=ward_request, decided_by=staff, approved_quantity=1, note="Quận chỉ còn 3 túi")
    assert "Quận chỉ còn 3 túi" in officer_a_client.get(reverse("ward:requests")).content.decode()
