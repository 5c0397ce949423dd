import pytest
from django.urls import reverse

from relief.models import Bag, WardRequest
from relief.services import ward_request_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_request(funded_campaign, ward_a, officer_a):
    return ward_request_create(
        campaign=funded_campaign, ward=ward_a, quantity=4, reason="Thêm 4 hộ mất việc", created_by=officer_a
    )


def decide(client, ward_request, **data):
    return client.post(reverse("district:request_decide", args=[ward_request.pk]), data)


def bags_of(ward):
    return Bag.objects.filter(ward=ward, state=Bag.State.ALLOCATED).count()


def test_the_list_shows_waiting_requests_with_the_wards_figures(staff_client, ward_request):
    response = staff_client.get(reverse("district:requests"))
    page = response.content.decode()
    assert "Thêm 4 hộ mất việc" in page and "Xét đề nghị" in page


def test_approving_in_full_allocates_the_bags_asked_for(staff_client, ward_request, ward_a):
    response = decide(staff_client, ward_request, decision="approve")
    assert response.status_code == 302
    ward_request.refresh_from_db()
    assert ward_request.status == WardRequest.Status.APPROVED and bags_of(ward_a) == 4


def test_approving_in_part_allocates_that_many(staff_client, ward_request, ward_a):
    decide(staff_client, ward_request, decision="part", approved_quantity="2", note="Quận còn ít túi")
    ward_request.refresh_from_db()
    assert (ward_request.status, ward_request.approved_quantity, bags_of(ward_a)) == ("partly", 2, 2)


def test_refusing_needs_a_reason(staff_client, ward_request, ward_a):
    response = decide(staff_client, ward_request, decision="refuse", note="  ")
    assert "phải ghi lý do" in response.content.decode()
    ward_request.refresh_from_db()
    assert ward_request.status == WardRequest.Status.WAITING
    decide(staff_client, ward_request, decision="refuse", note="Phường còn đủ túi")
    ward_request.refresh_from_db()
    assert ward_request.status == WardRequest.Status.REFUSED and bags_of(ward_a) == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"decision": "part", "approved_quantity": "4"}, "từ 1 đến 3"),
        ({"decision": "part", "approved_quantity": "-1"}, "từ 1 trở lên"),
        ({"decision": "part", "approved_quantity": "999999999999"}, "quá lớn"),
        ({"decision": "part", "approved_quantity": "nhiều"}, "số nguyên"),
        ({"decision": "everything"}, "không hợp lệ"),
        ({}, "Hãy chọn duyệt hay từ chối"),
    ],
)
def test_bad_decisions_are_refused_in_vietnamese_and_change_nothing(staff_client, ward_request, ward_a, data, words):
    response = decide(staff_client, ward_request, **data)
    assert response.status_code == 200
    assert words in response.content.decode()
    ward_request.refresh_from_db()
    assert ward_request.status == WardRequest.Status.WAITING and bags_of(ward_a) == 0


def test_a_second_decision_on_the_same_request_allocates_nothing_more(staff_client, ward_request, ward_a):
    decide(staff_client, ward_request, decision="approve")
    response = decide(staff_client, ward_request, decision="approve")
    assert bags_of(ward_a) == 4
    assert response.status_code == 200
    assert "Đã duyệt" in response.content.decode()


def test_approving_more_than_the_district_holds_is_refused_with_the_reason(
    staff_client, funded_campaign, ward_a, officer_a
):
    big = ward_request_create(
        campaign=funded_campaign, ward=ward_a, quantity=11, reason="Nhiều hộ", created_by=officer_a
    )
    response = decide(staff_client, big, decision="approve")
    assert "Quận chỉ còn 10 túi" in response.content.decode()
    big.refresh_from_db()
    assert big.status == WardRequest.Status.WAITING and bags_of(ward_a) == 0
