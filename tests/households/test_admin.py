"""Households in the admin: administrators only, numbers masked everywhere, a full number only through the reveal."""

import re

import pytest
from django import forms
from django.urls import reverse

from households.models import Household, PersonalDataView

pytestmark = pytest.mark.django_db

FULL_ID, FULL_PHONE = "079081000123", "0912345678"
MASKED_ID, MASKED_PHONE = "•••••••••123", "091••••678"


def change_data(household, **changes):
    """What the admin's change form posts when the administrator changes nothing but ``changes``."""
    data = {
        "ward": household.ward_id,
        "head_name": household.head_name,
        "national_id": "",
        "phone": "",
        "address": household.address,
        "members": household.members,
        "residence": household.residence,
        "categories": [category.pk for category in household.categories.all()],
        "status": household.status,
        "source": household.source,
        "notes": household.notes,
    }
    return {**data, **changes}


@pytest.mark.parametrize("persona", ["officer_a_client", "officer_b_client", "staff_client", "leader_client"])
def test_only_administrators_open_households_in_the_admin(household_a, persona, request):
    client = request.getfixturevalue(persona)
    for url in (
        reverse("admin:households_household_changelist"),
        reverse("admin:households_household_change", args=[household_a.pk]),
        reverse("admin:households_household_export"),
    ):
        assert client.get(url).status_code == 403
    assert "households/household" not in client.get(reverse("admin:index")).text


def test_the_admin_list_and_its_search_by_number_show_the_numbers_masked(household_a, admin_client_):
    page = admin_client_.get(reverse("admin:households_household_changelist"), {"q": FULL_ID}).text
    start = page.index("<tbody>", page.index('<table id="result_list"'))
    # The rows, without their links: those carry the search the administrator typed, back to the list.
    results = re.sub(r'href="[^"]*"', "", page[start : page.index("</tbody>", start)])
    assert "Nguyễn Văn An" in results
    assert MASKED_ID in results and MASKED_PHONE in results
    assert FULL_ID not in results and FULL_PHONE not in page


def test_the_admin_export_masks_the_numbers(household_a, admin_client_):
    url = reverse("admin:households_household_export")
    form = admin_client_.get(url).context["form"]
    data = {name: "on" for name, field in form.fields.items() if isinstance(field, forms.BooleanField)}
    csv = next(value for value, label in form.fields["format"].choices if label == "csv")
    response = admin_client_.post(url, {**data, "format": csv, "resource": "0"})
    content = response.content.decode()
    assert response.status_code == 200 and "Nguyễn Văn An" in content
    assert MASKED_ID in content and MASKED_PHONE in content
    assert FULL_ID not in content and FULL_PHONE not in content


def test_the_change_page_shows_the_numbers_masked_with_the_recorded_reveal(household_a, admin_client_):
    page = admin_client_.get(reverse("admin:households_household_change", args=[household_a.pk])).text
    assert FULL_ID not in page and FULL_PHONE not in page
    assert f"Số hiện tại: {MASKED_ID}" in page and f"Số hiện tại: {MASKED_PHONE}" in page
    assert reverse("admin:households_household_reveal", args=[household_a.pk]) in page
    assert not PersonalDataView.objects.exists()


def test_revealing_a_number_in_the_admin_shows_it_and_records_who_saw_whose(household_a, admin_client_, administrator):
    url = reverse("admin:households_household_reveal", args=[household_a.pk])
    response = admin_client_.post(url, {"field": "national_id", "head_name": "ignored"})
    assert response.status_code == 200
    assert FULL_ID in response.text and FULL_PHONE not in response.text
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.household, view.field) == (administrator, household_a, "national_id")


def test_a_reveal_of_anything_but_the_two_numbers_is_refused_with_a_message_and_records_nothing(
    household_a, admin_client_
):
    url = reverse("admin:households_household_reveal", args=[household_a.pk])
    response = admin_client_.post(url, {"field": "address"})
    assert response.status_code == 400
    assert "Chỉ xem được số CCCD hoặc điện thoại." in response.text
    assert FULL_ID not in response.text
    assert not PersonalDataView.objects.exists()


def test_saving_the_change_form_with_the_number_fields_empty_keeps_the_numbers(household_a, admin_client_):
    url = reverse("admin:households_household_change", args=[household_a.pk])
    response = admin_client_.post(url, change_data(household_a, address="5 Lão Tử"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    household_a.refresh_from_db()
    assert (household_a.national_id, household_a.phone, household_a.address) == (FULL_ID, FULL_PHONE, "5 Lão Tử")


def test_a_number_typed_in_the_change_form_replaces_the_old_one(household_a, admin_client_):
    url = reverse("admin:households_household_change", args=[household_a.pk])
    response = admin_client_.post(url, change_data(household_a, phone="+84 987 000 111"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    household_a.refresh_from_db()
    assert (household_a.national_id, household_a.phone) == (FULL_ID, "0987000111")


def test_a_bad_number_in_the_change_form_is_refused_and_changes_nothing(household_a, admin_client_):
    url = reverse("admin:households_household_change", args=[household_a.pk])
    response = admin_client_.post(url, change_data(household_a, national_id="12345"))
    assert response.status_code == 200
    assert "12 chữ số" in response.text
    household_a.refresh_from_db()
    assert household_a.national_id == FULL_ID


def test_the_admin_history_and_its_versions_show_the_numbers_masked(household_a, admin_client_):
    url = reverse("admin:households_household_change", args=[household_a.pk])
    admin_client_.post(url, change_data(household_a, national_id="079081000999"))
    history = admin_client_.get(reverse("admin:households_household_history", args=[household_a.pk])).text
    assert MASKED_ID in history and "•••••••••999" in history
    assert FULL_ID not in history and "079081000999" not in history
    for version in household_a.history.all():
        url = reverse("admin:households_household_simple_history", args=[household_a.pk, version.history_id])
        page = admin_client_.get(url).text
        assert FULL_ID not in page and "079081000999" not in page and FULL_PHONE not in page


def test_an_administrator_adds_a_household_with_the_officers_checks(ward_a, admin_client_):
    data = {"ward": ward_a.pk, "head_name": "Lý Thị Mai", "address": "4 Học Lạc", "members": "2",
            "residence": "permanent", "status": "proposed", "source": "ward_survey", "national_id": "",
            "phone": "+84 912 000 111"}  # fmt: skip
    response = admin_client_.post(reverse("admin:households_household_add"), data)
    assert response.status_code == 302
    assert Household.objects.get().phone == "0912000111"
