import pytest

from households.duplicates import duplicates_of
from households.models import Household
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def test_the_same_national_id_in_another_ward_of_the_district_is_a_duplicate(household_a, ward_b):
    newcomer = Household(ward=ward_b, head_name="Nguyen Van An", national_id=household_a.national_id, address="x")
    found = duplicates_of(newcomer)
    assert [d.household for d in found] == [household_a]
    assert "CCCD" in found[0].reason and "Phường 1" in found[0].reason


def test_the_same_phone_is_a_duplicate(household_a, ward_a):
    newcomer = Household(ward=ward_a, head_name="Lê Văn Cường", phone=household_a.phone, address="99 Hùng Vương")
    assert [d.household for d in duplicates_of(newcomer)] == [household_a]


def test_a_name_typed_without_diacritics_at_the_same_address_is_a_duplicate(household_a, ward_a):
    newcomer = Household(ward=ward_a, head_name="nguyen van an", address="12 Tran Hung Dao")
    assert [d.household for d in duplicates_of(newcomer)] == [household_a]


def test_a_different_person_at_another_address_is_not_a_duplicate(household_a, ward_a):
    make_household(ward_a, "Phạm Thị Dung", address="5 Nguyễn Trãi")
    newcomer = Household(ward=ward_a, head_name="Nguyễn Văn Anh Tuấn", address="77 Châu Văn Liêm")
    assert duplicates_of(newcomer) == []


def test_a_household_is_not_its_own_duplicate(household_a):
    assert duplicates_of(household_a) == []
