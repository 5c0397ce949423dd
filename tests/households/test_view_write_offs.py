import pytest
from django.urls import reverse

from relief.models import Bag, WriteOff
from relief.services import bags_recall

pytestmark = pytest.mark.django_db


def propose(client, campaign, serial, reason="Bao rách"):
    return client.post(reverse("ward:write_offs"), {"campaign": campaign.pk, "serial": serial, "reason": reason})


def test_an_officer_proposes_writing_off_a_bag_of_the_ward_by_its_printed_number(officer_a_client, stocked):
    response = propose(officer_a_client, stocked, "2")
    assert response.status_code == 302
    write_off = WriteOff.objects.get()
    assert write_off.bag.number == 2 and write_off.status == WriteOff.Status.WAITING
    page = officer_a_client.get(response.url).content.decode()
    assert "Đã gửi đề xuất hủy túi" in page and write_off.bag.serial in page


def test_an_officer_cannot_name_a_bag_of_another_ward(officer_b_client, stocked, ward_a):
    serial = Bag.objects.filter(ward=ward_a).first().serial
    response = propose(officer_b_client, stocked, serial)
    assert response.status_code == 200
    assert "trong kho của phường" in response.content.decode()
    assert not WriteOff.objects.exists()


def test_a_proposal_without_a_reason_is_refused_in_words(officer_a_client, stocked):
    assert "Hãy ghi lý do" in propose(officer_a_client, stocked, "1", reason="").content.decode()
    assert not WriteOff.objects.exists()


def test_the_ward_sees_the_bags_the_district_took_back_and_why(officer_a_client, stocked, ward_a, staff):
    bags_recall(campaign=stocked, ward=ward_a, quantity=2, reason="Phường 2 thiếu túi gấp", created_by=staff)
    page = officer_a_client.get(reverse("ward:write_offs")).content.decode()
    assert "Phường 2 thiếu túi gấp" in page and "về kho quận" in page


def test_an_officer_of_another_ward_does_not_see_the_recall(officer_b_client, stocked, ward_a, staff):
    bags_recall(campaign=stocked, ward=ward_a, quantity=2, reason="Phường 2 thiếu túi gấp", created_by=staff)
    assert "Phường 2 thiếu túi gấp" not in officer_b_client.get(reverse("ward:write_offs")).content.decode()
