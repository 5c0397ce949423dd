"""Donors in the admin: their phones and addresses are for district staff and administrators, not leaders."""

import pytest
from django.urls import reverse

from donations.models import Donor

pytestmark = pytest.mark.django_db


@pytest.fixture
def reachable_donor(donor):
    donor.phone, donor.address = "0903123456", "5 Châu Văn Liêm"
    donor.save()
    return donor


def test_a_leader_cannot_open_donors_or_export_them_in_the_admin(reachable_donor, leader_client):
    for url in (
        reverse("admin:donations_donor_changelist"),
        reverse("admin:donations_donor_change", args=[reachable_donor.pk]),
        reverse("admin:donations_donor_export"),
    ):
        assert leader_client.get(url).status_code == 403
    assert "0903123456" not in leader_client.get(reverse("admin:index")).text


def test_district_staff_read_their_donors_contact_details_in_the_admin(reachable_donor, staff_client):
    page = staff_client.get(reverse("admin:donations_donor_changelist")).text
    assert "Nguyễn Văn Hảo" in page and "0903123456" in page


def test_staff_cannot_add_a_donor_into_another_district_through_the_admin(staff_client, staff, other_district):
    data = {"kind": "benefactor", "name": "Bà Xa", "district": other_district.pk, "created_by": "", "_save": "Lưu"}
    response = staff_client.post(reverse("admin:donations_donor_add"), data)
    assert response.status_code == 200  # the form again, with the district refused
    assert not Donor.objects.filter(name="Bà Xa").exists()
    staff_client.post(reverse("admin:donations_donor_add"), {**data, "district": staff.district_id})
    assert Donor.objects.get(name="Bà Xa").created_by == staff


def test_the_admins_donation_form_offers_district_staff_only_their_districts_donors(
    staff_client, donor, other_district, campaign
):
    Donor.objects.create(name="Ông Ở Xa", district=other_district)
    form = staff_client.get(reverse("admin:donations_donation_add")).context["adminform"].form
    assert list(form.fields["donor"].queryset) == [donor]
