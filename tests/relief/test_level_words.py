"""Pages name the units by their levels: a ward's own campaign says "phường" and "khu phố", not "quận"."""

import pytest
from django.urls import reverse

from relief.levels import UnitWords, words_for
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_khu_pho_officer_reads_their_khu_pho_and_their_ward_as_the_organizer(two_tier):
    words = words_for(two_tier.officer_kp1)
    assert (words.org, words.unit) == ("phường", "khu phố")
    page = client_for(two_tier.officer_kp1).get(reverse("ward:requests")).text
    assert "Đề nghị phường bổ sung túi" in page
    assert ">Khu phố</a>" in page
    assert "quận" not in page.lower()


def test_the_ward_s_staff_read_their_work_as_the_ward_s_over_its_khu_pho(two_tier):
    page = client_for(two_tier.ward_staff).get(reverse("district:home")).text
    assert "Công việc của phường" in page
    assert "Phân bổ túi cho các khu phố" in page
    assert "quận" not in page.lower()


def test_the_city_s_staff_read_their_work_as_the_city_s_over_its_wards(two_tier):
    page = client_for(two_tier.city_staff).get(reverse("district:home")).text
    assert "Công việc của thành phố" in page
    assert "Phân bổ túi cho các phường" in page


def test_the_2021_district_still_reads_as_a_district_over_its_wards(staff_client, ward_a):
    page = staff_client.get(reverse("district:home")).text
    assert "Công việc của quận" in page
    assert "Phân bổ túi cho các phường" in page


def test_an_administrator_tied_to_no_unit_reads_generic_words(administrator):
    assert (words_for(administrator).org, words_for(administrator).unit) == ("đơn vị tổ chức", "đơn vị nhận")


def test_a_unit_with_neighbourhoods_of_two_levels_names_both(two_tier):
    two_tier.other_unit.wards.create(code="xk-a1", name="Ấp 1", level="ap")
    assert UnitWords(two_tier.other_unit).unit == "thôn / ấp"


def test_each_person_s_role_reads_with_their_unit_s_level(two_tier, staff, officer_a, leader):
    titles = [
        person.role_title
        for person in (two_tier.officer_kp1, two_tier.ward_staff, two_tier.city_leader, staff, officer_a, leader)
    ]
    assert titles == [
        "Cán bộ khu phố",
        "Cán bộ phường",
        "Lãnh đạo thành phố",
        "Cán bộ quận",
        "Cán bộ phường",
        "Lãnh đạo quận",
    ]
