"""Levels as data: a unit's level decides how its name and its people's title read."""

import pytest
from django.db import IntegrityError, transaction

from relief.models import District, Level, Ward

pytestmark = pytest.mark.django_db


def test_the_2021_units_read_as_a_district_and_its_wards(district, ward_a):
    assert (district.level, district.level_label, district.officer_title) == ("district", "Quận", "Cán bộ quận")
    assert (ward_a.level, ward_a.level_label, ward_a.officer_title) == ("ward", "Phường", "Cán bộ phường")


def test_a_city_over_a_ward_over_its_khu_pho_reads_with_their_own_levels():
    city = District.objects.create(code="tp", name="Thành phố Mẫu", level=Level.CITY)
    ward = District.objects.create(code="pm", name="Phường Mẫu", level=Level.WARD)
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
