"""A report's phones, the person's and the reporter's: masked on its page until the officer asks, every ask
recorded, as a household's numbers are."""

import pytest
from django.urls import reverse

from households.models import PersonalDataView
from households.reports import report_missed

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(stocked, ward_a):
    return report_missed(
        campaign=stocked, ward=ward_a, name="Trần Văn Tư", phone="0912345678", staying_at="Gầm cầu Chữ Y",
        reporter_name="Lê Thị Báo", reporter_phone="0987654321",
    )  # fmt: skip


def reveal(client, report, field):
    return client.post(reverse("ward:missed_report_reveal", args=[report.pk]), {"field": field})


def test_the_report_page_shows_both_phones_masked(officer_a_client, reported):
    page = officer_a_client.get(reverse("ward:missed_report", args=[reported.pk])).content.decode()
    assert "0912345678" not in page and "0987654321" not in page
    assert "Lê Thị Báo" in page and page.count("Hiện số đầy đủ") == 2


@pytest.mark.parametrize(("field", "full", "hidden"), [("phone", "0912345678", "0987654321"),
                                                        ("reporter_phone", "0987654321", "0912345678")])  # fmt: skip
def test_asking_shows_that_one_phone_in_full_and_records_who_saw_it(
    officer_a_client, officer_a, reported, field, full, hidden
):
    page = reveal(officer_a_client, reported, field).content.decode()
    assert full in page and hidden not in page
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.report, view.household, view.field) == (officer_a, reported, None, field)


def test_an_officer_of_another_ward_cannot_reveal_and_leaves_no_record(officer_b_client, reported):
    assert reveal(officer_b_client, reported, "phone").status_code == 404
    assert not PersonalDataView.objects.exists()


@pytest.mark.parametrize("field", ["", "national_id", "name", "staying_at"])
def test_only_the_two_phones_can_be_revealed(officer_a_client, reported, field):
    response = reveal(officer_a_client, reported, field)
    assert response.status_code == 302
    assert not PersonalDataView.objects.exists()
    page = officer_a_client.get(response.url).content.decode()
    assert "Hãy chọn số cần xem" in page or "Chỉ xem được số điện thoại" in page


def test_a_household_s_page_cannot_reveal_a_reporter_s_phone(officer_a_client, household_a):
    response = officer_a_client.post(
        reverse("ward:household_reveal", args=[household_a.pk]), {"field": "reporter_phone"}
    )
    assert response.status_code == 302 and not PersonalDataView.objects.exists()


def test_the_reveal_log_names_the_report(admin_client_, officer_a_client, reported):
    reveal(officer_a_client, reported, "reporter_phone")
    page = admin_client_.get(reverse("admin:households_personaldataview_changelist")).content.decode()
    assert reported.code in page


def test_registering_from_a_report_shows_its_phone_in_full_and_records_who_saw_it(
    officer_a_client, officer_a, reported
):
    page = officer_a_client.get(f"{reverse('ward:household_create')}?bao={reported.pk}").content.decode()
    assert "0912345678" in page and "0987654321" not in page
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.report, view.household, view.field) == (officer_a, reported, None, "phone")


def test_the_registration_form_without_a_report_records_no_reveal(officer_a_client, reported):
    assert officer_a_client.get(reverse("ward:household_create")).status_code == 200
    assert not PersonalDataView.objects.exists()
