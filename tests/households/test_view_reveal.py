"""A household's full national ID and phone: masked on its page until the officer asks, and every ask recorded."""

import pytest
from django.urls import reverse

from households.models import PersonalDataView

pytestmark = pytest.mark.django_db


def reveal(client, household, field):
    return client.post(reverse("ward:household_reveal", args=[household.pk]), {"field": field})


def test_the_household_page_shows_both_numbers_masked(officer_a_client, household_a):
    page = officer_a_client.get(reverse("ward:household", args=[household_a.pk])).content.decode()
    assert "079081000123" not in page and "0912345678" not in page
    assert "123" in page and "Hiện số đầy đủ" in page


@pytest.mark.parametrize(("field", "full", "hidden"), [("national_id", "079081000123", "0912345678"),
                                                        ("phone", "0912345678", "079081000123")])  # fmt: skip
def test_asking_shows_that_one_number_in_full_and_records_who_saw_it(
    officer_a_client, officer_a, household_a, field, full, hidden
):
    page = reveal(officer_a_client, household_a, field).content.decode()
    assert full in page and hidden not in page
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.household, view.field) == (officer_a, household_a, field)
    assert view.viewed_at is not None


def test_the_full_number_is_gone_again_on_the_next_visit(officer_a_client, household_a):
    reveal(officer_a_client, household_a, "national_id")
    page = officer_a_client.get(reverse("ward:household", args=[household_a.pk])).content.decode()
    assert "079081000123" not in page


def test_an_officer_of_another_ward_cannot_reveal_and_leaves_no_record(officer_b_client, household_a):
    assert reveal(officer_b_client, household_a, "national_id").status_code == 404
    assert not PersonalDataView.objects.exists()


@pytest.mark.parametrize("field", ["", "address", "head_name", "<script>alert(1)</script>"])
def test_only_the_id_or_the_phone_can_be_revealed(officer_a_client, household_a, field):
    response = reveal(officer_a_client, household_a, field)
    assert response.status_code == 302
    assert not PersonalDataView.objects.exists()
    page = officer_a_client.get(response.url).content.decode()
    assert "Hãy chọn số cần xem" in page or "Chỉ xem được số CCCD hoặc điện thoại" in page


def test_revealing_needs_a_post(officer_a_client, household_a):
    response = officer_a_client.get(reverse("ward:household_reveal", args=[household_a.pk]))
    assert response.status_code == 405


def test_the_reveal_log_is_read_only_in_the_admin(admin_client_, officer_a_client, household_a):
    reveal(officer_a_client, household_a, "phone")
    view = PersonalDataView.objects.get()
    assert admin_client_.get(reverse("admin:households_personaldataview_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:households_personaldataview_add")).status_code == 403
    admin_client_.post(reverse("admin:households_personaldataview_delete", args=[view.pk]), {"post": "yes"})
    assert PersonalDataView.objects.filter(pk=view.pk).exists()
