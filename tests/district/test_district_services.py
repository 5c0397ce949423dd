import pytest
from django.core.exceptions import ValidationError

from district.services import PlanAlreadyApplied, allocation_plan_apply, district_stock
from relief.models import Allocation, Bag

pytestmark = pytest.mark.django_db


def test_a_plan_allocates_each_ward_its_bags_and_records_who(funded_campaign, ward_a, ward_b, staff):
    allocations = allocation_plan_apply(
        campaign=funded_campaign, quantities={ward_a: 3, ward_b: 2}, created_by=staff, plan_key="k1"
    )
    assert [(a.ward, a.quantity) for a in allocations] == [(ward_a, 3), (ward_b, 2)]
    assert district_stock(funded_campaign) == 5
    assert all(a.created_by == staff for a in allocations)
    assert len({a.submission_key for a in Allocation.objects.all()} - {None}) == 2


def test_the_same_plan_key_twice_is_applied_once(funded_campaign, ward_a, staff):
    allocation_plan_apply(campaign=funded_campaign, quantities={ward_a: 1}, created_by=staff, plan_key="k1")
    with pytest.raises(PlanAlreadyApplied):
        allocation_plan_apply(campaign=funded_campaign, quantities={ward_a: 1}, created_by=staff, plan_key="k1")
    assert Bag.objects.filter(ward=ward_a).count() == 1


def test_a_plan_beyond_the_stock_moves_no_bag_at_all(funded_campaign, ward_a, ward_b, staff):
    with pytest.raises(ValidationError, match="Quận chỉ còn 10 túi, kế hoạch cần 12 túi"):
        allocation_plan_apply(
            campaign=funded_campaign, quantities={ward_a: 6, ward_b: 6}, created_by=staff, plan_key="k1"
        )
    assert district_stock(funded_campaign) == 10


def test_an_empty_plan_is_refused(funded_campaign, ward_a, staff):
    with pytest.raises(ValidationError, match="ít nhất một phường"):
        allocation_plan_apply(campaign=funded_campaign, quantities={ward_a: 0}, created_by=staff, plan_key="k1")


def test_a_ward_of_another_district_is_refused(funded_campaign, other_district, staff):
    with pytest.raises(ValidationError, match="không thuộc quận"):
        allocation_plan_apply(
            campaign=funded_campaign, quantities={other_district.wards.get(): 1}, created_by=staff, plan_key="k1"
        )


def test_a_plan_key_sent_again_with_other_wards_allocates_nothing_more(funded_campaign, ward_a, ward_b, staff):
    allocation_plan_apply(campaign=funded_campaign, quantities={ward_a: 1}, created_by=staff, plan_key="k1")
    with pytest.raises(PlanAlreadyApplied):
        allocation_plan_apply(campaign=funded_campaign, quantities={ward_b: 2}, created_by=staff, plan_key="k1")
    assert list(Allocation.objects.values_list("ward", "quantity")) == [(ward_a.pk, 1)]
