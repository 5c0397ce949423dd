import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from households.models import Category, Household
from households.verification import household_verify
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
    names = lambda **query: [h.head_name for h in staff_client.get(LIST, query).context["page"].rows]  # noqa: E731
    assert names(ward=ward_a.pk) == ["Lê Văn Cường", "Nguyễn Văn An"]
    assert names(status="approved") == ["Nguyễn Văn An"]
    assert names(category=Category.objects.get(code="ho-ngheo").pk) == ["Nguyễn Văn An"]
    assert names(q="pham thi") == ["Phạm Thị Dung"]


def test_the_list_shows_each_households_categories_in_their_order_and_none_of_another(staff_client, household_a):
    categories = list(Category.objects.all())
    household_a.categories.set([categories[2], categories[0]])
    make_household(household_a.ward, "Trần Văn Bình").categories.set([categories[1]])
    rows = {h.head_name: h.category_names for h in staff_client.get(LIST).context["page"].rows}
    assert rows == {"Nguyễn Văn An": [categories[0].name, categories[2].name], "Trần Văn Bình": [categories[1].name]}
    page = staff_client.get(LIST).content.decode()
    assert f"<td>{categories[0].name}; {categories[2].name}</td>" in page


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
    assert (household.status, household.notes) == ("rejected", "Quận: Không thuộc diện")


def test_a_ward_s_own_staff_sign_their_reason_as_the_ward_in_vietnamese_whatever_their_language(two_tier):
    household = make_household(two_tier.kp1, "Lê Văn Cường", status=Household.Status.PROPOSED)
    with translation.override("en"):
        household_verify(
            households=Household.objects.filter(pk=household.pk),
            status=Household.Status.REJECTED,
            decided_by=two_tier.ward_staff,
            reason="Không thuộc diện",
        )
    household.refresh_from_db()
    assert household.notes == "Phường: Không thuộc diện"


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
    assert len(response.context["page"].rows) == 50


def test_a_mangled_filter_is_ignored_and_the_others_still_apply(staff_client, proposed, ward_a):
    response = staff_client.get(LIST, {"ward": ward_a.pk, "status": "bogus"})
    assert [h.head_name for h in response.context["page"].rows] == ["Lê Văn Cường"]


def _walk(client, params, cursor, start=None):
    """Follow ``cursor`` ("next_after" or "previous_before") from the page ``start`` opens: the pages' names, and
    the parameters that open the last page reached."""
    pages, page_params = [], {**params, **(start or {})}
    while True:
        page = client.get(LIST, page_params).context["page"]
        pages.append([household.head_name for household in page.rows])
        following = getattr(page, cursor)
        if following is None:
            return pages, page_params
        page_params = {**params, "after" if cursor == "next_after" else "before": following}


@pytest.fixture
def many(ward_a, ward_b):
    """107 households across two wards, typed in no particular order, some sharing one name."""
    households = []
    for n in range(107):
        name = "Trần Thị Bình" if n % 10 == 0 else f"Hộ {(n * 37) % 107:03d}"
        households.append(make_household(ward_a if n % 2 else ward_b, name, address=f"{n} Nguyễn Trãi"))
    return households


def test_next_and_previous_pages_cover_every_household_once_ward_by_ward_in_name_order(staff_client, many):
    expected = [h.head_name for h in sorted(many, key=lambda h: (h.ward_id, h.name_key, h.pk))]
    forward, last_page = _walk(staff_client, {}, "next_after")
    assert [len(names) for names in forward] == [50, 50, 7]
    assert [name for names in forward for name in names] == expected
    backward, _ = _walk(staff_client, {}, "previous_before", start=last_page)
    assert backward == forward[::-1]


def test_households_of_the_same_name_are_split_across_pages_without_repeats_or_gaps(staff_client, ward_a):
    same = [make_household(ward_a, "Nguyễn Văn An", address=f"{n} Hùng Vương").pk for n in range(120)]
    seen, params = [], {"q": "nguyen van an"}
    while True:
        page = staff_client.get(LIST, params).context["page"]
        seen += [household.pk for household in page.rows]
        if page.next_after is None:
            break
        params = {"q": "nguyen van an", "after": page.next_after}
    assert seen == same


def test_paging_keeps_the_search_and_the_filters(staff_client, many, ward_a):
    pages, _ = _walk(staff_client, {"q": "ho", "ward": ward_a.pk}, "next_after")
    names = [name for page in pages for name in page]
    in_ward_a = Household.objects.filter(ward=ward_a, name_key__startswith="ho ")
    assert names == list(in_ward_a.order_by("name_key", "pk").values_list("head_name", flat=True))
    assert [len(page) for page in pages] == [50, 3]


def test_the_next_page_link_carries_the_search_but_not_the_previous_cursor(staff_client, many):
    page = staff_client.get(LIST, {"q": "ho", "after": many[3].pk}).context["page"]
    text = staff_client.get(LIST, {"q": "ho", "after": many[3].pk}).text
    assert f'href="?q=ho&amp;after={page.next_after}"' in text
    assert f'href="?q=ho&amp;before={page.previous_before}"' in text


def test_the_page_says_how_many_match_and_more_than_a_cap_past_it(staff_client, many, monkeypatch):
    assert "107 hộ khớp" in staff_client.get(LIST).text
    assert "11 hộ khớp" in staff_client.get(LIST, {"q": "tran thi binh"}).text
    monkeypatch.setattr("households.selectors.MATCHES_COUNTED", 100)
    monkeypatch.setattr("district.views.MATCHES_COUNTED", 100)
    assert "Hơn 100 hộ khớp" in staff_client.get(LIST).text


@pytest.mark.parametrize(
    "cursor", [{"after": "x"}, {"before": "-3"}, {"after": "9" * 30}, {"before": "0"}, {"after": "1.5"}]
)
def test_a_mangled_or_unknown_cursor_shows_the_first_page(staff_client, many, cursor):
    response = staff_client.get(LIST, cursor)
    assert response.status_code == 200
    assert response.context["page"].rows == staff_client.get(LIST).context["page"].rows


def test_a_cursor_from_another_district_shows_its_own_first_page_and_nothing_of_ours(
    other_staff_client, many, other_district
):
    make_household(other_district.wards.get(), "Người Quận Khác")
    response = other_staff_client.get(LIST, {"after": many[5].pk})
    assert [h.head_name for h in response.context["page"].rows] == ["Người Quận Khác"]
    assert "Nguyễn Trãi" not in response.text


@pytest.mark.parametrize("persona", ["officer_a_client", "leader_client"])
def test_officers_and_leaders_are_refused_a_page_of_the_list(request, many, persona):
    client = request.getfixturevalue(persona)
    assert client.get(LIST, {"after": many[0].pk}).status_code == 403


def test_anonymous_is_sent_to_log_in_for_a_page_of_the_list(client, many):
    response = client.get(LIST, {"after": many[0].pk})
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, params).status_code == 200
    return len(queries)


def test_a_later_page_costs_one_query_more_than_the_first_to_find_where_it_starts(staff_client, many):
    first = _queries(staff_client, {"q": "ho"})
    after = staff_client.get(LIST, {"q": "ho"}).context["page"].next_after
    assert _queries(staff_client, {"q": "ho", "after": after}) == first + 1
    assert _queries(staff_client, {"q": "ho", "before": after}) == first + 1
