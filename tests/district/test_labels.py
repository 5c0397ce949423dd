import pytest
from django.urls import reverse

from district.labels import bag_qr
from relief.models import Bag
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = reverse("district:labels")


def sheet(client, campaign, **query):
    return client.get(URL, {"campaign": campaign.pk, "layout": "3x8", **query})


def test_staff_print_a_label_for_every_bag_of_the_campaign(staff_client, stocked):
    response = sheet(staff_client, stocked)
    page = response.content.decode()
    serials = list(Bag.objects.filter(campaign=stocked).order_by("number").values_list("serial", flat=True))
    assert all(serial in page for serial in serials)
    assert page.count('class="bag-label"') == len(serials) == 10
    assert bag_qr(serials[0]) in page
    assert page.count(f'<span class="campaign">{stocked.code}</span>') == 10  # each label names its campaign


def test_a_wards_labels_are_its_bags_only(staff_client, stocked, ward_b):
    page = sheet(staff_client, stocked, ward=ward_b.pk).content.decode()
    assert page.count('class="bag-label"') == 3
    assert all(bag.serial in page for bag in Bag.objects.filter(ward=ward_b))


def test_a_range_of_numbers_prints_those_bags_and_a_reversed_range_says_why(staff_client, stocked):
    assert sheet(staff_client, stocked, first=2, last=4).content.decode().count('class="bag-label"') == 3
    page = sheet(staff_client, stocked, first=5, last=2).content.decode()
    assert "Số túi cuối phải lớn hơn" in page and 'class="bag-label"' not in page


def test_a_label_reprinted_is_the_same_label(stocked):
    serial = Bag.objects.filter(campaign=stocked).first().serial
    bag_qr.cache_clear()
    first = bag_qr(serial)
    bag_qr.cache_clear()
    assert bag_qr(serial) == first and first.startswith("<svg")


def test_the_labels_of_a_page_fill_the_sheets_layout(staff_client, stocked):
    response = sheet(staff_client, stocked, layout="3x7")
    assert [sum(len(row) for row in page) for page in response.context["sheets"]] == [10]
    assert "layout-3x7" in response.content.decode()


def test_a_selection_beyond_one_print_is_cut_and_says_so(staff_client, stocked, monkeypatch):
    monkeypatch.setattr("district.views.MAX_LABELS", 4)
    monkeypatch.setattr("district.labels.MAX_LABELS", 4)
    response = sheet(staff_client, stocked)
    assert response.context["cut"] and response.content.decode().count('class="bag-label"') == 4


def test_the_label_choices_speak_of_the_campaign_s_units(staff_client, stocked, ward_campaign_under_way):
    district_page = sheet(staff_client, stocked).content.decode()
    assert "Túi của phường" in district_page and "Mọi phường và kho quận" in district_page
    ward_staff = client_for(ward_campaign_under_way.ward_staff)
    page = sheet(ward_staff, ward_campaign_under_way.ward_campaign).content.decode()
    assert "Túi của khu phố" in page and "Mọi khu phố và kho phường" in page
    assert page.count('class="bag-label"') == 6
