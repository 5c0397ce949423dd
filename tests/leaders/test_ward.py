import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.hand_outs import distribution_record
from households.models import Category
from relief.models import Ward
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


def url(ward):
    return reverse("leaders:ward", args=[ward.pk])


@pytest.mark.parametrize("persona", ["leader_client", "staff_client", "admin_client_"])
def test_leaders_staff_and_administrators_see_a_wards_page(request, persona, in_progress, ward_a):
    response = request.getfixturevalue(persona).get(url(ward_a))

    assert response.status_code == 200
    assert "Phường 1" in response.text


def test_a_ward_officer_is_refused_even_for_their_own_ward(officer_a_client, in_progress, ward_a):
    assert officer_a_client.get(url(ward_a)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, in_progress, ward_a):
    response = client.get(url(ward_a))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_leader_cannot_post_to_a_wards_page(leader_client, in_progress, ward_a):
    assert leader_client.post(url(ward_a)).status_code == 405


def test_a_ward_outside_the_leaders_district_is_not_found(leader_client, in_progress, other_district):
    outside = Ward.objects.get(district=other_district)

    assert leader_client.get(url(outside)).status_code == 404


def test_a_wards_page_shows_the_same_figures_as_its_row_on_the_dashboard(leader_client, in_progress, ward_a):
    board = leader_client.get(reverse("leaders:dashboard")).context["board"]
    page = leader_client.get(url(ward_a)).context["page"]

    row = next(row for row in board.rows if row.ward == ward_a)
    assert page.figures == row.figures


def test_a_wards_page_breaks_households_down_by_category_and_residence(leader_client, in_progress, ward_a):
    response = leader_client.get(url(ward_a))

    page = response.context["page"]
    assert {row.label: (row.approved, row.served) for row in page.by_category} == {
        "Hộ nghèo": (2, 1),
        "Mất việc do dịch": (1, 0),
        "Chưa xếp diện": (1, 0),
    }
    assert {row.label: row.approved for row in page.by_residence} == {"Thường trú": 2, "Ngoại tỉnh": 1}
    assert [n for _, n in page.handouts_per_day] == [1]
    assert "Ngoại tỉnh" in response.text


def test_a_wards_page_never_shows_household_names(leader_client, in_progress, ward_a, household_a):
    text = leader_client.get(url(ward_a)).text

    assert household_a.head_name not in text
    assert household_a.national_id not in text


def test_a_wards_page_takes_as_many_queries_for_many_households_as_for_few(
    leader_client, in_progress, ward_a, officer_a
):
    with CaptureQueriesContext(connection) as few:
        leader_client.get(url(ward_a))
    for n in range(20):
        household = make_household(ward_a, f"Hộ số {n}", address=f"{n} Hùng Vương")
        household.categories.add(*Category.objects.all()[: n % 4])
    distribution_record(household=household, campaign=in_progress, recorded_by=officer_a)

    with CaptureQueriesContext(connection) as many:
        leader_client.get(url(ward_a))
    assert len(many) == len(few)
