import datetime

import pytest
from django.urls import reverse

from relief.models import Bag, Distribution
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def url(distribution):
    return reverse("ward:cancel_hand_out", args=[distribution.pk])


def test_the_officer_who_recorded_a_hand_out_cancels_it_the_same_day(officer_a_client, officer_a, hand_out_a):
    assert officer_a_client.get(url(hand_out_a)).status_code == 200
    response = officer_a_client.post(url(hand_out_a), {"reason": "Nhầm hộ"})
    assert response.status_code == 302
    hand_out_a.refresh_from_db()
    assert (hand_out_a.cancelled_by, hand_out_a.cancel_reason) == (officer_a, "Nhầm hộ")
    assert Bag.objects.get(pk=hand_out_a.bag_id).state == Bag.State.ALLOCATED
    assert Distribution.objects.count() == 1  # the record stays, marked cancelled


def test_a_cancel_without_reason_is_refused_in_vietnamese(officer_a_client, hand_out_a):
    response = officer_a_client.post(url(hand_out_a), {"reason": "   "})
    assert response.status_code == 200 and "Hãy ghi lý do hủy lượt trao." in response.text
    hand_out_a.refresh_from_db()
    assert not hand_out_a.is_cancelled


def test_cancelling_twice_changes_nothing_the_second_time(officer_a_client, hand_out_a):
    officer_a_client.post(url(hand_out_a), {"reason": "Nhầm hộ"})
    response = officer_a_client.post(url(hand_out_a), {"reason": "Lần hai"})
    assert response.status_code == 200 and "Chỉ người ghi nhận mới được hủy" in response.text
    hand_out_a.refresh_from_db()
    assert hand_out_a.cancel_reason == "Nhầm hộ"


def test_a_colleague_of_the_same_ward_cannot_cancel(ward_a, hand_out_a):
    colleague = client_for(make_user("canbo_p1_b", "ward_officer", ward=ward_a))
    response = colleague.post(url(hand_out_a), {"reason": "Nhầm"})
    assert response.status_code == 200 and "Chỉ người ghi nhận mới được hủy" in response.text
    hand_out_a.refresh_from_db()
    assert not hand_out_a.is_cancelled


def test_a_hand_out_of_an_earlier_day_cannot_be_cancelled(officer_a_client, hand_out_a):
    Distribution.objects.filter(pk=hand_out_a.pk).update(
        handed_out_at=hand_out_a.handed_out_at - datetime.timedelta(days=1)
    )
    assert "chỉ trong ngày ghi nhận" in officer_a_client.get(url(hand_out_a)).text
    officer_a_client.post(url(hand_out_a), {"reason": "Muộn"})
    hand_out_a.refresh_from_db()
    assert not hand_out_a.is_cancelled


def test_officer_cannot_cancel_a_hand_out_of_another_ward(officer_b_client, hand_out_a):
    assert officer_b_client.get(url(hand_out_a)).status_code == 404
    assert officer_b_client.post(url(hand_out_a), {"reason": "x"}).status_code == 404
    hand_out_a.refresh_from_db()
    assert not hand_out_a.is_cancelled


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_cannot_cancel(request, persona, hand_out_a):
    assert request.getfixturevalue(persona).post(url(hand_out_a), {"reason": "x"}).status_code == 403


def test_anonymous_is_sent_to_log_in(client, hand_out_a):
    assert client.post(url(hand_out_a), {"reason": "x"}).status_code == 302
    hand_out_a.refresh_from_db()
    assert not hand_out_a.is_cancelled


def test_cancel_refuses_other_methods(officer_a_client, hand_out_a):
    assert officer_a_client.put(url(hand_out_a)).status_code == 405


def test_an_empty_cancel_form_is_refused(officer_a_client, hand_out_a):
    assert "Hãy ghi lý do hủy lượt trao." in officer_a_client.post(url(hand_out_a), {}).text
    hand_out_a.refresh_from_db()
    assert not hand_out_a.is_cancelled
