import unicodedata

import pytest
from django.urls import reverse

from households.duplicates import duplicates_of, duplicates_shown
from households.models import Household, PersonalDataView
from relief.models import User
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


# --- what each viewer sees of a duplicate -------------------------------------------------------------------------


def views_of(household):
    return sorted(PersonalDataView.objects.filter(household=household).values_list("viewer__username", "field"))


def test_an_officer_is_told_only_that_a_national_id_is_registered_in_another_ward(household_b, ward_a, officer_a):
    newcomer = Household(ward=ward_a, head_name="Lê Văn Cường", national_id=household_b.national_id, address="x")
    shown = duplicates_shown(newcomer, viewer=officer_a)
    assert [(d.household, d.reason) for d in shown] == [
        (None, "Số CCCD này đã được đăng ký ở phường khác; quận sẽ đối chiếu và giải quyết.")
    ]
    assert views_of(household_b) == []


def test_an_officer_is_told_only_that_a_phone_is_registered_in_another_ward(household_b, ward_a, officer_a):
    newcomer = Household(ward=ward_a, head_name="Lê Văn Cường", phone=household_b.phone, address="x")
    shown = duplicates_shown(newcomer, viewer=officer_a)
    assert [(d.household, d.number) for d in shown] == [(None, "phone")]
    assert "phường khác" in shown[0].reason and "Phường 2" not in shown[0].reason


def test_an_officer_is_not_told_how_many_households_of_other_wards_share_a_number(household_b, ward_a, ward_b):
    make_household(ward_b, "Trần Thị Bích Hà", national_id=household_b.national_id, address="40 Hùng Vương")
    officer = User.objects.create(username="canbo_p1_x", role=User.Role.WARD_OFFICER, ward=ward_a)
    newcomer = Household(ward=ward_a, head_name="Lê Văn Cường", national_id=household_b.national_id, address="x")
    assert len(duplicates_shown(newcomer, viewer=officer)) == 1


def test_an_officer_sees_a_duplicate_of_their_own_ward_and_the_look_at_its_number_is_recorded(household_a, officer_a):
    newcomer = Household(ward=household_a.ward, head_name="Lê Văn Cường", national_id=household_a.national_id)
    newcomer.address = "99 Hùng Vương"
    shown = duplicates_shown(newcomer, viewer=officer_a)
    assert [d.household for d in shown] == [household_a]
    assert views_of(household_a) == [(officer_a.username, "national_id")]


def test_district_staff_see_both_households_and_each_look_is_recorded(household_a, household_b, ward_a, staff):
    newcomer = Household(
        ward=ward_a, head_name="Lê Văn Cường", national_id=household_b.national_id, phone=household_a.phone
    )
    newcomer.address = "99 Hùng Vương"
    shown = duplicates_shown(newcomer, viewer=staff)
    assert {d.household for d in shown} == {household_a, household_b}
    assert "Phường 2" in next(d.reason for d in shown if d.household == household_b)
    assert views_of(household_a) == [(staff.username, "phone")]
    assert views_of(household_b) == [(staff.username, "national_id")]


def test_a_similar_name_is_shown_without_recording_a_look_at_a_number(household_a, officer_a):
    newcomer = Household(ward=household_a.ward, head_name="nguyen van an", address="12 Tran Hung Dao")
    assert [d.household for d in duplicates_shown(newcomer, viewer=officer_a)] == [household_a]
    assert views_of(household_a) == []


@pytest.mark.parametrize(
    "typed",
    [
        "Nguyễn\u200b Văn An",  # a zero-width space
        "Ngu\u200cyễn Văn\u2060 An",  # zero-width non-joiner and word joiner
        "\ufeffNguyễn Văn An",  # a byte-order mark pasted from a file
        unicodedata.normalize("NFD", "Nguyễn Văn An"),  # decomposed, as some phones type it
        "Nguyễn\u00a0Văn\u00a0An",  # no-break spaces
    ],
)
def test_invisible_characters_in_a_name_do_not_skip_the_duplicate_warning(household_a, officer_a, typed):
    newcomer = Household(ward=household_a.ward, head_name=typed, address="12 Trần\u200b Hưng Đạo")
    assert [d.household for d in duplicates_shown(newcomer, viewer=officer_a)] == [household_a]


def test_the_household_page_of_an_officer_does_not_name_a_duplicate_of_another_ward(
    officer_a_client, household_a, household_b
):
    Household.objects.filter(pk=household_b.pk).update(national_id=household_a.national_id)
    page = officer_a_client.get(reverse("ward:household", args=[household_a.pk])).text
    assert "Số CCCD này đã được đăng ký ở phường khác" in page
    assert household_b.head_name not in page and "Phường 2" not in page
