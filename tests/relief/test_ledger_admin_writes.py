"""``check_ledger`` reports every inconsistency a write outside the services (the admin, a hand-made SQL fix) can
leave: counters, receipt numbers with a gap, a bag's state against its allocation and hand-out, and records of one
district pointing at another district's campaign, ward or donor. Each test breaks one thing with an UPDATE."""

import pytest
from django.db.models import F

from audit.ledger import ledger_problems
from donations.models import BagFunding, Donor
from households.hand_outs import distribution_record
from relief.models import Allocation, Bag, Campaign, Distribution, Ward, WardRequest
from relief.services import ward_request_create
from tests.conftest import give, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(stocked, household_a, officer_a):
    """The stocked campaign with one bag handed out in ward A; the ledger balances."""
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    assert ledger_problems() == []
    return distribution


def reported(text):
    problems = ledger_problems()
    assert any(text in problem for problem in problems), problems
    return problems


def test_a_receipt_counter_put_back_is_reported(handed):
    Campaign.objects.filter(pk=handed.campaign_id).update(last_receipt_seq=0)
    reported("bộ đếm biên nhận ghi 0 nhưng số cuối là 1")


def test_a_bag_counter_put_back_is_reported(handed):
    Campaign.objects.filter(pk=handed.campaign_id).update(last_bag_number=3)
    reported("bộ đếm túi ghi 3 nhưng số cuối là 10")


def test_a_receipt_number_skipped_is_reported_as_a_gap(handed, donor, staff):
    campaign = handed.campaign
    Campaign.objects.filter(pk=campaign.pk).update(last_receipt_seq=F("last_receipt_seq") + 1)
    give(campaign, donor, staff, amount=campaign.bag_value)
    problems = reported("số biên nhận bị hở: có 2 số nhưng chạy từ 1 đến 3")
    assert not any("bộ đếm biên nhận" in problem for problem in problems)


def test_a_bag_in_a_ward_without_an_allocation_is_reported(handed):
    Bag.objects.filter(pk=handed.bag_id).update(allocation=None)
    reported(f"Túi {handed.bag.serial} ở phường nhưng không thuộc đợt phân bổ nào")


def test_a_bag_sent_back_to_the_district_still_tied_to_its_allocation_is_reported(handed, ward_a):
    spare = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    Bag.objects.filter(pk=spare.pk).update(state=Bag.State.AT_DISTRICT, ward=None)
    reported(f"Túi {spare.serial} ở quận nhưng vẫn gắn với một đợt phân bổ")


def test_a_bag_moved_to_another_ward_than_its_allocation_is_reported(handed, ward_a, ward_b):
    spare = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    Bag.objects.filter(pk=spare.pk).update(ward=ward_b)
    reported(f"Túi {spare.serial} không thuộc chương trình hoặc phường của đợt phân bổ của nó")


def test_an_allocation_smaller_than_its_bags_is_reported(handed, ward_a):
    allocation = Allocation.objects.get(ward=ward_a)
    Allocation.objects.filter(pk=allocation.pk).update(quantity=1)
    reported(f"Đợt phân bổ #{allocation.pk} có 4 túi, nhiều hơn 1 túi đã phân bổ")


def test_an_allocation_moved_to_a_ward_of_another_district_is_reported(handed, ward_a, other_district):
    allocation = Allocation.objects.get(ward=ward_a)
    Allocation.objects.filter(pk=allocation.pk).update(ward=Ward.objects.get(district=other_district))
    reported(f"Đợt phân bổ #{allocation.pk} gửi túi cho phường ngoài quận")


def test_a_ward_request_moved_to_a_ward_of_another_district_is_reported(handed, ward_a, officer_a, other_district):
    request = ward_request_create(
        campaign=handed.campaign, ward=ward_a, quantity=2, reason="Thiếu", created_by=officer_a
    )
    WardRequest.objects.filter(pk=request.pk).update(ward=Ward.objects.get(district=other_district))
    reported(f"Đề nghị #{request.pk} của phường ngoài quận của chương trình")


def test_a_campaign_moved_into_another_district_is_reported(handed, other_district):
    Campaign.objects.filter(pk=handed.campaign_id).update(district=other_district)
    problems = reported("nằm ở phường ngoài quận của chương trình")
    assert any("Khoản" in problem and "nhà hảo tâm của quận khác" in problem for problem in problems)
    assert any("gửi túi cho phường ngoài quận" in problem for problem in problems)


def test_a_donor_moved_to_another_district_is_reported(handed, donor, other_district):
    Donor.objects.filter(pk=donor.pk).update(district=other_district)
    reported("nhà hảo tâm của quận khác")


def test_a_hand_out_moved_onto_another_wards_household_is_reported(handed, ward_b):
    Distribution.objects.filter(pk=handed.pk).update(household=make_household(ward_b, "Trần Văn Khác"))
    reported(f"Túi {handed.bag.serial} được trao cho hộ của phường khác")


def test_a_hand_out_moved_to_another_campaign_is_reported(handed, district):
    other = Campaign.objects.create(code="Q5-2022", name="Đợt hai", district=district)
    Distribution.objects.filter(pk=handed.pk).update(campaign=other)
    reported(f"Túi {handed.bag.serial} được trao trong một chương trình khác chương trình của túi")


def test_a_handed_out_bag_put_back_in_stock_is_reported(handed):
    Bag.objects.filter(pk=handed.bag_id).update(state=Bag.State.ALLOCATED)
    reported(f"Túi {handed.bag.serial} có lượt trao nhưng không ở trạng thái đã trao")


def test_saving_a_campaign_loaded_before_a_donation_puts_no_counter_back(funded_campaign, donor, staff):
    stale = Campaign.objects.get(pk=funded_campaign.pk)
    give(funded_campaign, donor, staff, amount=funded_campaign.bag_value)
    stale.household_limit = 2
    stale.save()
    fresh = Campaign.objects.get(pk=funded_campaign.pk)
    assert (fresh.household_limit, fresh.last_receipt_seq, fresh.last_bag_number) == (2, 2, 11)
    assert ledger_problems() == []


def test_a_bag_paid_by_a_donation_of_another_campaign_is_reported(handed, district, donor, staff):
    other = Campaign.objects.create(code="Q5-2022", name="Đợt hai", district=district)
    donation, _ = give(other, donor, staff, amount=other.bag_value)
    BagFunding.objects.filter(bag=handed.bag).update(donation=donation)
    reported(f"Túi {handed.bag.serial} được trả bằng khoản ủng hộ của chương trình khác")
