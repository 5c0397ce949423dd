"""Correcting a donation: only by a reversing entry with a reason, confirmed on its own page, never twice."""

import uuid

import pytest
from django.urls import reverse

from donations.models import BagFunding, Donation
from donations.services import campaign_money
from relief.models import Bag
from relief.services import allocation_create, bags_recall
from tests.conftest import give
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


def url(donation):
    return reverse("money:donation_reverse", args=[donation.pk])


def confirm(client, donation, reason="Nhập nhầm số tiền", key=None):
    return client.post(url(donation), {"reason": reason, "submission_key": str(key or uuid.uuid4())}, follow=True)


def test_only_district_staff_and_administrators_see_the_confirm_page(personas, donation):
    statuses = assert_staff_only(personas, url(donation))
    assert statuses["staff"] == statuses["admin"] == 200


def test_an_officer_or_a_leader_cannot_reverse_a_donation(officer_a_client, leader_client, client, donation):
    data = {"reason": "Nhầm", "submission_key": str(uuid.uuid4())}
    assert officer_a_client.post(url(donation), data).status_code == 403
    assert leader_client.post(url(donation), data).status_code == 403
    assert "/dang-nhap/" in client.post(url(donation), data)["Location"]
    assert Donation.objects.count() == 1


def test_the_confirm_page_refuses_other_methods(staff_client, donation):
    assert staff_client.put(url(donation)).status_code == 405


def test_another_districts_donation_cannot_be_reversed(staff_client, other_donation):
    assert staff_client.get(url(other_donation)).status_code == 404
    assert confirm(staff_client, other_donation).status_code == 404
    assert Donation.objects.count() == 1


def test_the_confirm_page_changes_nothing_until_confirmed(staff_client, donation):
    content = staff_client.get(url(donation)).content.decode()
    assert "Xác nhận điều chỉnh" in content
    assert Donation.objects.count() == 1


def test_a_confirmed_reversal_records_a_negative_entry_and_voids_the_unpaid_bags(staff_client, donation, campaign):
    response = confirm(staff_client, donation)
    reversal = Donation.objects.get(reverses=donation)
    assert response.redirect_chain[-1][0] == reverse("money:receipt", args=[reversal.pk])
    assert (reversal.amount, reversal.reason) == (-49 * MILLION, "Nhập nhầm số tiền")
    assert "49 túi tại quận bị hủy" in response.content.decode()
    assert Bag.objects.exclude(state=Bag.State.VOID).count() == 0
    assert campaign_money(campaign) == {"net_cash": 0, "in_bags": 0, "funding": 0, "surplus": 0, "remainder": 0}


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_reversal_without_a_proper_reason_is_refused_and_changes_nothing(staff_client, donation, reason):
    response = confirm(staff_client, donation, reason=reason)
    assert response.status_code == 200
    assert "Hãy ghi lý do điều chỉnh" in response.content.decode() or "Lý do dài quá" in response.content.decode()
    assert Donation.objects.count() == 1
    assert Bag.objects.filter(state=Bag.State.VOID).count() == 0


def test_a_garbage_form_key_is_refused(staff_client, donation):
    response = staff_client.post(url(donation), {"reason": "Nhầm", "submission_key": "abc"})
    assert "Biểu mẫu đã cũ" in response.content.decode()
    assert Donation.objects.count() == 1


def test_the_same_confirmation_sent_twice_reverses_once(staff_client, donation):
    key = uuid.uuid4()
    confirm(staff_client, donation, key=key)
    again = confirm(staff_client, donation, key=key)
    assert Donation.objects.filter(reverses=donation).count() == 1
    assert "đã được điều chỉnh trước đó" in again.content.decode()


def test_a_confirmation_sent_with_the_key_of_another_reversal_is_refused_and_reverses_nothing(
    staff_client, donation, campaign, donor, staff
):
    key = uuid.uuid4()
    confirm(staff_client, donation, key=key)
    other = give(campaign, donor, staff, amount=2 * MILLION)[0]
    response = confirm(staff_client, other, key=key)
    assert response.status_code == 200
    assert "Biểu mẫu này đã được dùng cho một khoản khác" in response.content.decode()
    assert not Donation.objects.filter(reverses=other).exists()


def test_a_donation_already_reversed_offers_no_second_reversal(staff_client, donation):
    confirm(staff_client, donation)
    page = staff_client.get(url(donation)).content.decode()
    assert "Xác nhận điều chỉnh" not in page
    response = confirm(staff_client, donation, reason="Lần nữa")
    assert "Khoản này đã được điều chỉnh bởi" in response.content.decode()
    assert Donation.objects.count() == 2


def test_a_reversal_cannot_itself_be_reversed(staff_client, donation):
    confirm(staff_client, donation)
    reversal = Donation.objects.get(reverses=donation)
    response = confirm(staff_client, reversal, reason="Đảo lại")
    assert "không điều chỉnh nó thêm lần nữa" in response.content.decode()
    assert Donation.objects.count() == 2


def test_a_reversal_that_would_unpay_bags_in_wards_is_refused_with_the_reason(
    staff_client, campaign, donor, staff, ward_a
):
    donation = give(campaign, donor, staff, amount=2 * MILLION)[0]
    allocation_create(campaign=campaign, ward=ward_a, quantity=2, created_by=staff)
    response = confirm(staff_client, donation)
    assert response.status_code == 200
    assert "Hãy thu hồi 2 túi từ phường về kho trước" in response.content.decode()
    assert f'href="/quan/thu-hoi/?campaign={campaign.pk}&amp;quantity=2"' in response.content.decode()
    assert Donation.objects.count() == 1
    assert Bag.objects.filter(state=Bag.State.ALLOCATED).count() == 2


def test_after_the_recall_the_link_asks_for_the_reversal_goes_through(staff_client, campaign, donor, staff, ward_a):
    donation = give(campaign, donor, staff, amount=2 * MILLION)[0]
    allocation_create(campaign=campaign, ward=ward_a, quantity=2, created_by=staff)
    confirm(staff_client, donation)
    bags_recall(campaign=campaign, ward=ward_a, quantity=2, reason="Khoản ủng hộ bị điều chỉnh", created_by=staff)
    confirm(staff_client, donation)
    assert Donation.objects.count() == 2
    assert Bag.objects.filter(state=Bag.State.VOID, unfunded=True).count() == 2


def test_money_stays_exact_across_donations_and_a_reversal_through_the_pages(
    staff_client, campaign, donor, staff, ward_a
):
    first = give(campaign, donor, staff, amount=1_500_000)[0]
    second = give(campaign, donor, staff, amount=1_500_000)[0]
    allocation_create(campaign=campaign, ward=ward_a, quantity=1, created_by=staff)
    confirm(staff_client, first, reason="Chuyển khoản bị trả lại")
    kept = Bag.objects.get(state=Bag.State.ALLOCATED)
    assert dict(BagFunding.objects.filter(bag=kept).values_list("donation_id", "amount")) == {second.pk: MILLION}
    assert Bag.objects.filter(state=Bag.State.VOID, unfunded=True).count() == 2
    assert campaign_money(campaign) == {
        "net_cash": 1_500_000,
        "in_bags": MILLION,
        "funding": 0,
        "surplus": 0,
        "remainder": 500_000,
    }
    overview = staff_client.get(reverse("money:campaign_overview", args=[campaign.pk])).content.decode()
    assert "1.500.000 ₫" in overview
    assert "500.000 ₫" in overview


def test_bags_given_in_kind_are_reversed_through_the_page(staff_client, campaign, donor, staff):
    donation = give(campaign, donor, staff, bags=5)[0]
    response = confirm(staff_client, donation, reason="Hàng chưa về")
    assert "5 túi tại quận bị hủy" in response.content.decode()
    assert Donation.objects.get(reverses=donation).bags_in_kind == -5
