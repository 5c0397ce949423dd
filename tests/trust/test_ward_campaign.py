"""A ward's own campaign, today's shape: Phường Mẫu (under Thành phố Mẫu) over its khu phố, through the pages,
by each of its people: the ward's staff, a khu phố officer, the ward's leader."""

import uuid

import pytest
from django.urls import reverse

from audit.ledger import ledger_problems
from donations.models import Donation, Donor
from relief.models import Bag, Distribution
from tests.conftest import client_for, make_household

pytestmark = pytest.mark.django_db


def in_stock(ward):
    return Bag.objects.filter(ward=ward, state=Bag.State.ALLOCATED).count()


@pytest.fixture
def funded(two_tier):
    """Six bags' worth recorded by the ward's staff through the donation form."""
    donor = Donor.objects.create(name="Lê Văn Tâm", kind=Donor.Kind.BENEFACTOR, district=two_tier.ward_unit)
    campaign = two_tier.ward_campaign
    body = {
        "campaign": campaign.pk,
        "donor": donor.pk,
        "donor_query": donor.name,
        "method": "cash",
        "amount": "6.000.000",
        "received_on": "01/09/2025",
        "donor_kind": "individual",
        "submission_key": str(uuid.uuid4()),
    }
    two_tier.donation_page = client_for(two_tier.ward_staff).post(reverse("money:donation_new"), body, follow=True)
    return two_tier


def test_the_ward_s_staff_record_a_donation_for_the_ward_s_campaign(funded):
    donation = Donation.objects.get()
    assert (donation.campaign, donation.amount, donation.receipt_number) == (
        funded.ward_campaign,
        6_000_000,
        "PM-2025-BN000001",
    )
    assert "khoản này hoàn thành 6 túi" in funded.donation_page.text
    assert Bag.objects.filter(campaign=funded.ward_campaign, state=Bag.State.AT_DISTRICT).count() == 6


def test_the_ward_s_staff_allocate_bags_to_its_khu_pho(funded):
    client = client_for(funded.ward_staff)
    plan = {"campaign": funded.ward_campaign.pk, "plan_key": str(uuid.uuid4()), f"ward_{funded.kp1.pk}": 4}
    response = client.post(reverse("district:allocate"), {**plan, f"ward_{funded.kp2.pk}": 2})
    assert response.status_code == 302
    assert (in_stock(funded.kp1), in_stock(funded.kp2)) == (4, 2)
    assert "Đã phân bổ 6 túi cho 2 khu phố" in client.get(response["Location"]).text
    assert ledger_problems() == []


def test_the_ward_s_staff_are_told_the_ward_s_stock_when_a_plan_asks_for_more(funded):
    plan = {"campaign": funded.ward_campaign.pk, "plan_key": str(uuid.uuid4()), f"ward_{funded.kp1.pk}": 7}
    response = client_for(funded.ward_staff).post(reverse("district:allocate"), plan)
    assert "Phường chỉ còn 6 túi, kế hoạch cần 7 túi" in response.text
    assert in_stock(funded.kp1) == 0


def test_the_city_s_staff_cannot_allocate_the_ward_s_bags(funded):
    plan = {"campaign": funded.ward_campaign.pk, "plan_key": str(uuid.uuid4()), f"ward_{funded.kp1.pk}": 1}
    client_for(funded.city_staff).post(reverse("district:allocate"), plan)
    assert in_stock(funded.kp1) == 0


def test_a_khu_pho_officer_hands_a_bag_out_in_their_khu_pho(ward_campaign_under_way):
    world = ward_campaign_under_way
    household = make_household(world.kp1, "Nguyễn Thị Ba", national_id="079190000333")
    body = {"campaign": world.ward_campaign.pk, "request_key": str(uuid.uuid4())}
    response = client_for(world.officer_kp1).post(reverse("ward:hand_out", args=[household.pk]), body)
    assert response.status_code == 302
    handed = Distribution.objects.get(household=household)
    assert (handed.ward, handed.recorded_by, handed.bag.campaign) == (world.kp1, world.officer_kp1, world.ward_campaign)
    assert in_stock(world.kp1) == 1
    assert ledger_problems() == []


def test_a_khu_pho_officer_cannot_hand_out_to_a_household_of_the_other_khu_pho(ward_campaign_under_way):
    world = ward_campaign_under_way
    body = {"campaign": world.ward_campaign.pk, "request_key": str(uuid.uuid4())}
    response = client_for(world.officer_kp1).post(reverse("ward:hand_out", args=[world.household_kp2.pk]), body)
    assert response.status_code == 404
    assert not Distribution.objects.filter(household=world.household_kp2).exists()


def test_a_khu_pho_officer_lists_only_their_khu_pho_s_households_in_their_own_words(ward_campaign_under_way):
    page = client_for(ward_campaign_under_way.officer_kp1).get(reverse("ward:households")).text
    assert "Lê Thị Một" in page
    assert "Phạm Văn Hai" not in page
    assert 'data-testid="stock">2</strong>' in page
    assert "quận" not in page.lower() and "kho phường" not in page.lower()


def test_the_ward_s_leader_reads_the_campaign_by_khu_pho(ward_campaign_under_way):
    world = ward_campaign_under_way
    page = client_for(world.ward_leader).get(reverse("leaders:dashboard")).text
    assert "Túi an sinh Phường Mẫu" in page
    assert "Số liệu theo khu phố" in page
    assert reverse("leaders:ward", args=[world.kp1.pk]) in page and reverse("leaders:ward", args=[world.kp2.pk]) in page
    assert "Thành phố Mẫu" not in page.replace("Túi an sinh Thành phố Mẫu", "")
    assert client_for(world.ward_leader).get(reverse("leaders:ward", args=[world.city_ward.pk])).status_code == 404
