import pytest
from django.urls import reverse

from households.models import Household
from households.verification import duplicate_groups
from tests.conftest import client_for, make_household

pytestmark = pytest.mark.django_db

URL = reverse("district:duplicates")
RESOLVE = reverse("district:duplicates_resolve")


@pytest.fixture
def twice(household_a, ward_b):
    """The same person registered in ward A and, with the same CCCD, in ward B."""
    return household_a, make_household(ward_b, "Nguyen Van An", national_id=household_a.national_id, phone="")


def test_the_same_cccd_in_two_wards_is_one_group(staff, twice):
    groups = duplicate_groups(staff)
    assert [(g.label, g.value, {h.pk for h in g.households}) for g in groups] == [
        ("CCCD", twice[0].national_id, {twice[0].pk, twice[1].pk})
    ]


def test_the_same_phone_twice_in_one_ward_is_a_group(staff, household_a, ward_a):
    make_household(ward_a, "Lê Thị Em", phone=household_a.phone, address="8 Lê Lợi")
    assert [g.label for g in duplicate_groups(staff)] == ["Số điện thoại"]


def test_rejected_households_and_other_districts_are_left_out(staff, household_a, ward_b, other_district):
    make_household(ward_b, "Bản sao", national_id=household_a.national_id, status=Household.Status.REJECTED)
    make_household(other_district.wards.get(), "Ở quận khác", national_id=household_a.national_id)
    assert duplicate_groups(staff) == []


def test_finding_duplicates_takes_a_fixed_number_of_queries(staff, ward_a, django_assert_max_num_queries):
    for n in range(30):
        make_household(ward_a, f"Hộ {n}", national_id=f"0790850000{n % 10:02d}", address=f"{n} Lê Lợi")
    with django_assert_max_num_queries(3):
        groups = duplicate_groups(staff)
    assert len(groups) == 10


def test_the_page_lists_the_groups(staff_client, twice):
    page = staff_client.get(URL).content.decode()
    assert "CCCD •••••••••123" in page and "Phường 1" in page and "Phường 2" in page


def test_the_page_never_shows_a_full_number(staff_client, twice, household_a):
    page = staff_client.get(URL).content.decode()
    assert household_a.national_id not in page and household_a.phone not in page
    assert household_a.phone[-3:] in page


def test_keeping_one_rejects_the_other_with_a_note(staff_client, twice):
    keep, other = twice
    response = staff_client.post(RESOLVE, {"keep": keep.pk, "group": [keep.pk, other.pk]})
    assert response.status_code == 302
    other.refresh_from_db()
    keep.refresh_from_db()
    assert (keep.status, other.status) == ("approved", "rejected")
    assert other.notes == f"Quận: trùng với hộ #{keep.pk} Nguyễn Văn An (Phường 1)."
    assert "Không có hộ nào trùng" in staff_client.get(URL).content.decode()


def test_keeping_a_household_outside_the_group_is_refused(staff_client, twice, ward_a):
    stranger = make_household(ward_a, "Người lạ", address="1 Ngô Quyền")
    staff_client.post(RESOLVE, {"keep": stranger.pk, "group": [h.pk for h in twice]})
    assert set(Household.objects.values_list("status", flat=True)) == {"approved"}


def test_staff_of_another_district_cannot_resolve_this_districts_duplicates(other_staff_client, twice):
    response = other_staff_client.post(RESOLVE, {"keep": twice[0].pk, "group": [h.pk for h in twice]})
    assert response.status_code == 404
    assert set(Household.objects.values_list("status", flat=True)) == {"approved"}


def test_garbage_changes_nothing(staff_client, twice):
    for data in ({}, {"keep": "abc"}, {"keep": twice[0].pk}, {"keep": twice[0].pk, "group": [twice[0].pk]}):
        response = staff_client.post(RESOLVE, data)
        assert response.status_code in (302, 404)
    assert set(Household.objects.values_list("status", flat=True)) == {"approved"}


def test_a_ward_s_own_staff_sign_a_duplicate_s_note_as_the_ward(two_tier):
    keep = make_household(two_tier.kp1, "Lê Thị Một", national_id="079190000111")
    other = make_household(two_tier.kp2, "Le Thi Mot", national_id="079190000111")
    client_for(two_tier.ward_staff).post(RESOLVE, {"keep": keep.pk, "group": [keep.pk, other.pk]})
    other.refresh_from_db()
    assert other.notes == f"Phường: trùng với hộ #{keep.pk} Lê Thị Một (Khu phố 1)."
