import pytest
from django.urls import reverse

from households.models import Category, Household
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

LIST = reverse("district:households")
VERIFY = reverse("district:households_verify")


@pytest.fixture
def proposed(ward_a, ward_b):
    return [
        make_household(ward_a, "Lê Văn Cường", status=Household.Status.PROPOSED, address="3 Hùng Vương"),
        make_household(ward_b, "Phạm Thị Dung", status=Household.Status.PROPOSED, address="5 Nguyễn Trãi"),
    ]


def test_the_list_shows_households_of_every_ward_of_the_district(staff_client, proposed, other_district):
    make_household(other_district.wards.get(), "Người Quận Khác")
    page = staff_client.get(LIST).content.decode()
    assert "Lê Văn Cường" in page and "Phạm Thị Dung" in page
    assert "Người Quận Khác" not in page


def test_filters_by_ward_status_category_and_search(staff_client, proposed, household_a, ward_a):
    names = lambda **query: [h.head_name for h in staff_client.get(LIST, query).context["page"]]  # noqa: E731
    assert names(ward=ward_a.pk) == ["Lê Văn Cường", "Nguyễn Văn An"]
    assert names(status="approved") == ["Nguyễn Văn An"]
    assert names(category=Category.objects.get(code="ho-ngheo").pk) == ["Nguyễn Văn An"]
    assert names(q="pham thi") == ["Phạm Thị Dung"]


def test_filtering_by_a_ward_of_another_district_is_not_found(staff_client, other_district):
    assert staff_client.get(LIST, {"ward": other_district.wards.get().pk}).status_code == 404


def test_staff_approve_several_households_at_once(staff_client, proposed, staff):
    response = staff_client.post(VERIFY, {"households": [h.pk for h in proposed], "action": "approve"})
    assert response.status_code == 302
    assert set(Household.objects.values_list("status", flat=True)) == {"approved"}
    assert proposed[0].history.latest().history_user == staff


def test_rejecting_needs_a_reason_which_the_ward_then_reads(staff_client, proposed):
    staff_client.post(VERIFY, {"households": [proposed[0].pk], "action": "reject"})
    assert Household.objects.get(pk=proposed[0].pk).status == "proposed"
    staff_client.post(VERIFY, {"households": [proposed[0].pk], "action": "reject", "reason": "Không thuộc diện"})
    household = Household.objects.get(pk=proposed[0].pk)
    assert household.status == "rejected" and "Không thuộc diện" in household.notes


def test_the_list_comes_back_with_its_filters_after_an_action(staff_client, proposed, ward_a):
    response = staff_client.post(
        VERIFY, {"households": [proposed[0].pk], "action": "approve", "back": f"ward={ward_a.pk}&status=proposed"}
    )
    assert response["Location"] == f"{LIST}?ward={ward_a.pk}&status=proposed"


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "approve"}, {"households": ["x"], "action": "approve"}, {"households": ["1"], "action": "burn"}],
)
def test_bad_input_changes_nothing_and_answers_without_an_error_page(staff_client, proposed, data):
    response = staff_client.post(VERIFY, data)
    assert response.status_code in (302, 404)
    assert set(Household.objects.values_list("status", flat=True)) == {"proposed"}


def test_a_household_of_another_district_cannot_be_verified(other_staff_client, proposed):
    response = other_staff_client.post(VERIFY, {"households": [proposed[0].pk], "action": "approve"})
    assert response.status_code == 404
    assert Household.objects.get(pk=proposed[0].pk).status == "proposed"


def test_a_list_of_thousands_is_shown_a_page_at_a_time(staff_client, ward_a, django_assert_max_num_queries):
    Household.objects.bulk_create(
        [Household(ward=ward_a, head_name=f"Hộ {n}", name_key=f"ho {n:04d}", address="x") for n in range(120)]
    )
    with django_assert_max_num_queries(12):
        response = staff_client.get(LIST)
    assert len(response.context["page"].object_list) == 50


def test_a_mangled_filter_is_ignored_and_the_others_still_apply(staff_client, proposed, ward_a):
    response = staff_client.get(LIST, {"ward": ward_a.pk, "status": "bogus"})
    assert [h.head_name for h in response.context["page"]] == ["Lê Văn Cường"]
