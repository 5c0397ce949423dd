"""Invariant 5: a ward officer sees only their own ward; district people their district."""

import pytest
from django.contrib.auth.models import AnonymousUser

from donations.models import Donation, Donor
from households.hand_outs import distribution_record
from households.models import Household
from relief.models import Bag, Campaign, Distribution, User, Ward
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_an_officer_sees_only_the_households_of_their_ward(household_a, household_b, officer_a):
    assert list(Household.objects.visible_to(officer_a)) == [household_a]


def test_an_officer_sees_only_the_bags_and_hand_outs_of_their_ward(stocked, household_a, officer_a, ward_a):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    assert set(Bag.objects.visible_to(officer_a).values_list("ward_id", flat=True)) == {ward_a.pk}
    assert Distribution.objects.visible_to(officer_a).count() == 1


def test_an_officer_sees_no_donor_and_no_donation(funded_campaign, officer_a):
    assert not Donor.objects.visible_to(officer_a).exists()
    assert not Donation.objects.visible_to(officer_a).exists()


def test_district_staff_see_every_ward_of_their_district_and_none_of_another(
    staff, household_a, household_b, other_district
):
    Household.objects.create(ward=other_district.wards.first(), head_name="Ngô Thị Lan", address="Tổ 3")
    assert set(Household.objects.visible_to(staff)) == {household_a, household_b}
    assert other_district.wards.first() not in Ward.objects.visible_to(staff)


def test_a_city_wide_leader_sees_every_district(leader, campaign, other_district):
    city_leader = make_user("lanhdao_tp", User.Role.LEADER)
    Campaign.objects.create(code="BTL-2021", name="BTL", district=other_district)
    assert Campaign.objects.visible_to(city_leader).count() == 2
    assert Campaign.objects.visible_to(leader).count() == 1


@pytest.mark.parametrize("model", [Household, Bag, Distribution, Donor, Donation, Campaign, Ward])
def test_an_anonymous_visitor_or_a_user_without_a_role_sees_nothing(model, household_a, funded_campaign):
    assert not model.objects.visible_to(AnonymousUser()).exists()
    assert not model.objects.visible_to(make_user("khach")).exists()


def test_an_inactive_officer_sees_nothing(household_a, officer_a):
    officer_a.is_active = False
    officer_a.save()
    assert not Household.objects.visible_to(officer_a).exists()


def test_the_database_refuses_an_officer_without_a_ward(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create(username="x", role=User.Role.WARD_OFFICER)


def test_a_role_puts_the_user_in_its_group(officer_a, staff):
    assert list(officer_a.groups.values_list("name", flat=True)) == ["Cán bộ đơn vị nhận"]
    assert staff.has_perm("donations.add_donation")
    assert not officer_a.has_perm("donations.view_donation")
    assert officer_a.has_perm("households.change_household")
