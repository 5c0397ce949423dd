import pytest
from django.urls import reverse

from households.models import Category, Household
from households.selectors import PAGE_SIZE
from tests.conftest import make_household

pytestmark = pytest.mark.django_db
URL = reverse("ward:households")


def names(response):
    return [household.head_name for household in response.context["page"].rows]


def test_officer_sees_the_households_of_their_own_ward_only(officer_a_client, household_a, household_b):
    response = officer_a_client.get(URL)
    assert response.status_code == 200
    assert names(response) == [household_a.head_name]
    assert household_b.head_name not in response.text


@pytest.mark.parametrize("typed", ["nguyen van an", "NGUYEN VAN", "Nguyễn Văn An", "tran hung dao"])
def test_search_ignores_diacritics_and_case(officer_a_client, household_a, typed):
    assert names(officer_a_client.get(URL, {"q": typed})) == ["Nguyễn Văn An"]


def test_search_finds_d_typed_for_đ(officer_a_client, ward_a, household_a):
    make_household(ward_a, "Lê Minh Đức", address="5 Nguyễn Trãi")
    assert names(officer_a_client.get(URL, {"q": "duc"})) == ["Lê Minh Đức"]


@pytest.mark.parametrize("typed", ["079081", "0912 345", "+84912345678"])
def test_search_finds_a_household_by_national_id_or_phone(officer_a_client, household_a, typed):
    assert names(officer_a_client.get(URL, {"q": typed})) == ["Nguyễn Văn An"]


def test_search_never_reaches_another_ward(officer_a_client, household_a, household_b):
    assert names(officer_a_client.get(URL, {"q": "tran thi bich"})) == []
    assert names(officer_a_client.get(URL, {"q": household_b.national_id})) == []


def test_filters_by_category_status_and_residence(officer_a_client, ward_a, household_a):
    make_household(ward_a, "Võ Văn Dũng", status=Household.Status.PROPOSED, residence=Household.Residence.TEMPORARY)
    poor = Category.objects.get(code="ho-ngheo")
    assert names(officer_a_client.get(URL, {"category": poor.pk})) == ["Nguyễn Văn An"]
    assert names(officer_a_client.get(URL, {"status": "proposed"})) == ["Võ Văn Dũng"]
    assert names(officer_a_client.get(URL, {"residence": "temporary"})) == ["Võ Văn Dũng"]


def test_filters_served_and_not_yet_served(officer_a_client, ward_a, hand_out_a):
    make_household(ward_a, "Lê Thị Cúc", address="3 An Dương Vương")
    assert names(officer_a_client.get(URL, {"served": "yes"})) == ["Nguyễn Văn An"]
    assert names(officer_a_client.get(URL, {"served": "no"})) == ["Lê Thị Cúc"]


def test_a_bad_filter_value_is_ignored_not_an_error(officer_a_client, household_a):
    response = officer_a_client.get(URL, {"status": "bogus", "category": "x", "after": "-3", "served": "maybe"})
    assert response.status_code == 200
    assert names(response) == ["Nguyễn Văn An"]


def test_pages_follow_each_other_without_gaps_or_repeats(officer_a_client, ward_a):
    for n in range(PAGE_SIZE * 2 + 3):
        make_household(ward_a, f"Hộ {n:03d}", address=f"{n} Hùng Vương")
    seen, params = [], {"q": "ho"}
    for _ in range(3):
        response = officer_a_client.get(URL, params)
        seen += names(response)
        params = {"q": "ho", "after": response.context["page"].next_after}
    assert seen == [f"Hộ {n:03d}" for n in range(PAGE_SIZE * 2 + 3)]
    assert response.context["page"].next_after is None


def test_a_page_costs_the_same_queries_however_many_households(
    officer_a_client, ward_a, stocked, django_assert_max_num_queries
):
    for n in range(60):
        make_household(ward_a, f"Hộ {n:03d}", address=f"{n} Hùng Vương")
    after = Household.objects.order_by("name_key")[30].pk
    with django_assert_max_num_queries(10):
        officer_a_client.get(URL, {"after": after})


def test_htmx_search_answers_with_the_results_only(officer_a_client, household_a):
    response = officer_a_client.get(URL, {"q": "an"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert response.templates[0].name == "ward/partials/household_results.html"
    assert "Nguyễn Văn An" in response.text


def test_an_approved_household_not_yet_served_offers_a_hand_out_button(officer_a_client, stocked, household_a):
    assert "Trao túi</button>" in officer_a_client.get(URL).text


def test_a_proposed_household_offers_no_hand_out_button(officer_a_client, stocked, ward_a):
    make_household(ward_a, "Võ Văn Dũng", status=Household.Status.PROPOSED)
    assert "Trao túi</button>" not in officer_a_client.get(URL).text


def test_district_staff_is_refused_the_register(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_leader_is_refused_the_register(leader_client):
    assert leader_client.get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_posting_to_the_register_is_not_allowed(officer_a_client):
    assert officer_a_client.post(URL).status_code == 405


def test_a_served_household_is_marked_on_the_page_without_the_served_filter(officer_a_client, ward_a, hand_out_a):
    make_household(ward_a, "Lê Thị Cúc", address="3 An Dương Vương")
    rows = officer_a_client.get(URL).context["page"].rows
    assert {household.head_name: household.served for household in rows} == {"Nguyễn Văn An": True, "Lê Thị Cúc": False}
    assert officer_a_client.get(URL).text.count('class="badge served"') == 1
