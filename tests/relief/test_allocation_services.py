import pytest
from django.core.exceptions import ValidationError

from relief.models import Allocation, Bag, WardRequest
from relief.services import allocation_create, ward_request_create, ward_request_decide

pytestmark = pytest.mark.django_db


def test_an_allocation_moves_bags_from_the_district_to_the_ward(funded_campaign, ward_a, staff):
    allocation = allocation_create(campaign=funded_campaign, ward=ward_a, quantity=4, created_by=staff)
    bags = Bag.objects.filter(allocation=allocation)
    assert bags.count() == 4
    assert set(bags.values_list("state", "ward_id")) == {(Bag.State.ALLOCATED, ward_a.pk)}
    assert bags.first().history.first().history_user == staff


def test_the_district_cannot_allocate_more_bags_than_it_holds(funded_campaign, ward_a, staff):
    with pytest.raises(ValidationError, match="chỉ còn 10 túi"):
        allocation_create(campaign=funded_campaign, ward=ward_a, quantity=11, created_by=staff)
    assert not Allocation.objects.exists()
    assert Bag.objects.filter(state=Bag.State.AT_DISTRICT).count() == 10


def test_bags_cannot_go_to_a_ward_of_another_district(funded_campaign, other_district, staff):
    with pytest.raises(ValidationError):
        allocation_create(campaign=funded_campaign, ward=other_district.wards.first(), quantity=1, created_by=staff)


def test_an_allocation_of_zero_bags_is_refused(funded_campaign, ward_a, staff):
    with pytest.raises(ValidationError):
        allocation_create(campaign=funded_campaign, ward=ward_a, quantity=0, created_by=staff)


def test_a_request_approved_in_part_allocates_the_bags_approved(funded_campaign, ward_a, officer_a, staff):
    request = ward_request_create(
        campaign=funded_campaign, ward=ward_a, quantity=8, reason="Còn 8 hộ chờ", created_by=officer_a
    )
    ward_request_decide(ward_request=request, decided_by=staff, approved_quantity=5)
    request.refresh_from_db()
    assert (request.status, request.approved_quantity) == (WardRequest.Status.PARTLY_APPROVED, 5)
    assert Bag.objects.filter(ward=ward_a, allocation__request=request).count() == 5


def test_a_refusal_needs_a_reason_and_allocates_nothing(funded_campaign, ward_a, officer_a, staff):
    request = ward_request_create(campaign=funded_campaign, ward=ward_a, quantity=3, reason="x", created_by=officer_a)
    with pytest.raises(ValidationError):
        ward_request_decide(ward_request=request, decided_by=staff, approved_quantity=0)
    ward_request_decide(ward_request=request, decided_by=staff, approved_quantity=0, note="Quận đã hết túi")
    request.refresh_from_db()
    assert request.status == WardRequest.Status.REFUSED
    assert not Allocation.objects.exists()


def test_a_request_is_decided_only_once(funded_campaign, ward_a, officer_a, staff):
    request = ward_request_create(campaign=funded_campaign, ward=ward_a, quantity=3, reason="x", created_by=officer_a)
    ward_request_decide(ward_request=request, decided_by=staff, approved_quantity=3)
    with pytest.raises(ValidationError):
        ward_request_decide(ward_request=request, decided_by=staff, approved_quantity=3)
    assert Bag.objects.filter(ward=ward_a).count() == 3


def test_approving_more_than_the_district_holds_changes_nothing(funded_campaign, ward_a, officer_a, staff):
    request = ward_request_create(campaign=funded_campaign, ward=ward_a, quantity=20, reason="x", created_by=officer_a)
    with pytest.raises(ValidationError):
        ward_request_decide(ward_request=request, decided_by=staff, approved_quantity=20)
    request.refresh_from_db()
    assert request.status == WardRequest.Status.WAITING
