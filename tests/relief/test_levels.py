"""Levels as data: a unit's level decides how its name and its people's title read."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from households.models import Household
from relief.models import Campaign, District, Level, Ward
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def test_the_2021_units_read_as_a_district_and_its_wards(district, ward_a):
    assert (district.level, district.level_label, district.officer_title) == ("district", "Quận", "Cán bộ quận")
    assert (ward_a.level, ward_a.level_label, ward_a.officer_title) == ("ward", "Phường", "Cán bộ phường")


def test_a_city_over_a_ward_over_its_khu_pho_reads_with_their_own_levels():
    city = District.objects.create(code="tp", name="Thành phố Mẫu", level=Level.CITY)
    ward = District.objects.create(code="pm", name="Phường Mẫu", level=Level.WARD, parent=city)
    khu_pho = Ward.objects.create(district=ward, code="pm-kp1", name="Khu phố 1", level=Level.KHU_PHO)
    assert (city.level_label, city.officer_title) == ("Thành phố", "Cán bộ thành phố")
    assert (ward.level_label, ward.officer_title) == ("Phường", "Cán bộ phường")
    assert (khu_pho.level_label, khu_pho.officer_title) == ("Khu phố", "Cán bộ khu phố")


@pytest.mark.parametrize(
    ("level", "label"),
    [("commune", "Xã"), ("special_zone", "Đặc khu"), ("to_dan_pho", "Tổ dân phố"), ("thon", "Thôn"), ("ap", "Ấp")],
)
def test_every_receiving_level_has_its_vietnamese_label(district, level, label):
    assert Ward.objects.create(district=district, code=f"u-{level}", name="Một", level=level).level_label == label


def test_the_database_refuses_a_neighbourhood_as_an_organizing_unit():
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(code="kp", name="Khu phố 1", level=Level.KHU_PHO)


def test_the_database_refuses_a_city_as_a_receiving_unit(district):
    with pytest.raises(IntegrityError), transaction.atomic():
        Ward.objects.create(district=district, code="tp", name="Thành phố Mẫu", level=Level.CITY)


def test_a_city_leader_sees_the_campaigns_of_the_city_and_of_the_wards_under_it_and_none_of_another_city(two_tier):
    seen = set(Campaign.objects.visible_to(two_tier.city_leader))
    assert seen == {two_tier.city_campaign, two_tier.ward_campaign}
    assert set(Ward.objects.visible_to(two_tier.city_leader)) == {two_tier.city_ward, two_tier.kp1, two_tier.kp2}


def test_city_staff_act_only_on_the_city_s_own_campaign_not_on_the_wards_under_it(two_tier):
    assert set(Campaign.objects.visible_to(two_tier.city_staff)) == {two_tier.city_campaign}
    assert set(Ward.objects.visible_to(two_tier.city_staff)) == {two_tier.city_ward}


def test_a_ward_leader_sees_the_ward_s_own_campaign_and_not_the_city_s(two_tier):
    assert set(Campaign.objects.visible_to(two_tier.ward_leader)) == {two_tier.ward_campaign}


def test_a_khu_pho_officer_sees_only_the_households_of_their_khu_pho(two_tier):
    own = make_household(two_tier.kp1, "Lê Thị Một")
    make_household(two_tier.kp2, "Phạm Văn Hai")
    assert list(Household.objects.visible_to(two_tier.officer_kp1)) == [own]
    assert set(Campaign.objects.visible_to(two_tier.officer_kp1)) == {two_tier.ward_campaign}


def test_a_leader_moved_to_another_city_sees_that_city_at_once(two_tier):
    leader = two_tier.city_leader
    assert two_tier.ward_campaign in Campaign.objects.visible_to(leader)
    leader.district = two_tier.other_city
    assert set(Campaign.objects.visible_to(leader)) == {two_tier.other_campaign}


def test_the_database_refuses_a_city_placed_under_another_unit():
    province = District.objects.create(code="tinh", name="Tỉnh Mẫu", level=Level.PROVINCE)
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(code="tp2", name="Thành phố Khác", level=Level.CITY, parent=province)


def test_a_ward_may_sit_only_under_a_city_or_province_that_itself_sits_under_nothing():
    city = District.objects.create(code="tp", name="Thành phố Mẫu", level=Level.CITY)
    ward = District.objects.create(code="pm", name="Phường Mẫu", level=Level.WARD, parent=city)
    under_a_ward = District(code="pk", name="Phường Khác", level=Level.WARD, parent=ward)
    with pytest.raises(ValidationError, match="thành phố hoặc tỉnh"):
        under_a_ward.full_clean()
    District(code="xm", name="Xã Mẫu", level=Level.COMMUNE, parent=city).full_clean()


def test_the_role_groups_say_what_the_role_does_at_any_level(staff, officer_a):
    assert list(staff.groups.values_list("name", flat=True)) == ["Cán bộ đơn vị tổ chức"]
    assert list(officer_a.groups.values_list("name", flat=True)) == ["Cán bộ đơn vị nhận"]


def test_levels_and_titles_read_in_english_for_a_reader_who_chose_english(district, ward_a, leader):
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    if not (Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.mo").exists():
        pytest.skip("The English catalogue is not compiled: install gettext and run `make test`.")
    city = District.objects.create(code="tp", name="Thành phố Mẫu", level=Level.CITY)
    khu_pho = Ward.objects.create(district=district, code="kp1", name="Khu phố 1", level=Level.KHU_PHO)
    with translation.override("en"):
        assert (city.level_label, ward_a.officer_title, khu_pho.officer_title) == (
            "City",
            "Ward officer",
            "Neighbourhood officer",
        )
        assert leader.role_title == "District leader"
    assert (ward_a.officer_title, leader.role_title) == ("Cán bộ phường", "Lãnh đạo quận")
