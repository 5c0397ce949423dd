import pytest

from households.models import Category, Household
from households.services import household_register, household_update

pytestmark = pytest.mark.django_db


def test_household_register_proposes_the_household_and_records_who(ward_a, officer_a):
    poor = Category.objects.get(code="ho-ngheo")
    household = household_register(
        ward=ward_a, created_by=officer_a, head_name="  lê  thị cúc ", address="3 An Dương Vương", categories=[poor]
    )
    assert (household.status, household.head_name, household.name_key) == ("proposed", "lê thị cúc", "le thi cuc")
    assert list(household.categories.all()) == [poor]
    assert {row.history_user for row in household.history.all()} == {officer_a}


def test_household_update_keeps_approval_when_only_diacritics_are_added(officer_a, ward_a):
    household = Household.objects.create(ward=ward_a, head_name="Nguyen Van An", address="1 A", status="approved")
    updated = household_update(household=household, updated_by=officer_a, head_name="Nguyễn Văn An", members=4)
    assert (updated.status, updated.sent_back, updated.members) == ("approved", False, 4)


def test_household_update_sends_an_approved_household_back_when_its_id_changes(officer_a, household_a):
    updated = household_update(household=household_a, updated_by=officer_a, national_id="079081000999")
    assert (updated.status, updated.sent_back) == ("proposed", True)
    assert household_a.history.first().history_user == officer_a


def test_household_update_refuses_to_touch_the_status(officer_a, household_a):
    with pytest.raises(TypeError):
        household_update(household=household_a, updated_by=officer_a, status="approved")
