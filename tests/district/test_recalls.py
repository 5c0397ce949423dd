import uuid

import pytest
from django.urls import reverse

from district.services import recall_once
from relief.models import Bag, Recall, WriteOff
from relief.services import write_off_propose
from tests.conftest import client_for, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ledger_balances_afterwards")]


def in_stock(ward):
    return Bag.objects.filter(ward=ward, state=Bag.State.ALLOCATED).count()


def recall(client, campaign, **data):
    body = {"campaign": campaign.pk, "submission_key": str(uuid.uuid4()), "reason": "Phường thừa túi", **data}
    return client.post(reverse("district:recalls"), body)


def test_staff_recall_bags_from_a_ward_to_the_district(staff_client, stocked, ward_a):
    response = recall(staff_client, stocked, ward=ward_a.pk, quantity="2")
    assert response.status_code == 302
    assert in_stock(ward_a) == 2
    page = staff_client.get(response.url).content.decode()
    assert "Đã thu hồi 2 túi: Phường 1 → kho đơn vị tổ chức" in page and "Phường thừa túi" in page


def test_staff_transfer_bags_between_two_wards(staff_client, stocked, ward_a, ward_b):
    recall(staff_client, stocked, ward=ward_a.pk, quantity="1", to_ward=ward_b.pk)
    assert (in_stock(ward_a), in_stock(ward_b)) == (3, 4)


def test_a_recall_beyond_the_wards_stock_is_refused_in_words_and_moves_nothing(staff_client, stocked, ward_a):
    response = recall(staff_client, stocked, ward=ward_a.pk, quantity="9")
    assert response.status_code == 200
    assert "chỉ còn 4 túi trong kho" in response.content.decode()
    assert in_stock(ward_a) == 4 and not Recall.objects.exists()


def test_a_recall_without_a_reason_or_to_the_same_ward_is_refused(staff_client, stocked, ward_a):
    assert "Hãy ghi lý do" in recall(staff_client, stocked, ward=ward_a.pk, quantity="1", reason="").content.decode()
    same = recall(staff_client, stocked, ward=ward_a.pk, quantity="1", to_ward=ward_a.pk).content.decode()
    assert "Đơn vị nhận phải khác" in same
    assert in_stock(ward_a) == 4


def test_a_ward_of_another_district_cannot_be_named(staff_client, stocked, other_district):
    foreign = other_district.wards.create(code="x-p1", name="Phường X")
    response = recall(staff_client, stocked, ward=foreign.pk, quantity="1")
    assert "Đơn vị không thuộc chương trình" in response.content.decode()


def test_a_recall_posted_twice_with_one_key_recalls_once(stocked, ward_a, staff):
    key = uuid.uuid4()
    for _ in range(2):
        recall_once(campaign=stocked, ward=ward_a, quantity=1, reason="Thừa", created_by=staff, submission_key=key)
    assert Recall.objects.count() == 1
    assert in_stock(ward_a) == 3


def test_the_link_of_a_refused_reversal_opens_the_recall_form_filled_in(staff_client, stocked, ward_a):
    page = staff_client.get(reverse("district:recalls"), {"ward": ward_a.pk, "quantity": 3}).content.decode()
    assert f'<option value="{ward_a.pk}" selected>' in page and 'value="3"' in page


@pytest.fixture
def proposed(stocked, ward_a, officer_a):
    bag = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    return write_off_propose(bag=bag, reason="Bao rách, gạo ướt", proposed_by=officer_a)


def test_staff_see_the_write_offs_wards_propose(staff_client, proposed):
    page = staff_client.get(reverse("district:write_offs")).content.decode()
    assert proposed.bag.serial in page and "Bao rách, gạo ướt" in page


def test_staff_approve_a_write_off_and_the_bag_is_void(staff_client, proposed):
    response = staff_client.post(reverse("district:write_off_decision", args=[proposed.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert Bag.objects.get(pk=proposed.bag_id).state == Bag.State.VOID


def test_a_refusal_without_a_note_is_refused_and_changes_nothing(staff_client, proposed):
    response = staff_client.post(
        reverse("district:write_off_decision", args=[proposed.pk]), {"decision": "refuse"}, follow=True
    )
    assert "phải ghi lý do" in response.content.decode()
    assert WriteOff.objects.get(pk=proposed.pk).status == WriteOff.Status.WAITING


def test_staff_of_another_district_cannot_decide_a_write_off(proposed, other_district):
    stranger = client_for(make_user("canbo_quan_khac", "district_staff", district=other_district))
    response = stranger.post(reverse("district:write_off_decision", args=[proposed.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert Bag.objects.get(pk=proposed.bag_id).state == Bag.State.ALLOCATED
