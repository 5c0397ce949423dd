import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.hand_outs import distribution_record
from households.models import Household
from relief.models import Ward
from relief.services import allocation_create
from tests.conftest import make_household

pytestmark = pytest.mark.django_db
URL = reverse("leaders:dashboard")


@pytest.mark.parametrize("persona", ["leader_client", "staff_client", "admin_client_"])
def test_leaders_staff_and_administrators_see_the_dashboard(request, persona, in_progress):
    response = request.getfixturevalue(persona).get(URL)

    assert response.status_code == 200
    assert "Phường 1" in response.text and "Tổng cộng" in response.text


def test_a_ward_officer_is_refused(officer_a_client, in_progress):
    assert officer_a_client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, in_progress):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_leader_cannot_post_to_the_dashboard(leader_client, in_progress):
    assert leader_client.post(URL).status_code == 405


def test_the_dashboard_shows_money_bags_and_households_against_the_target(leader_client, in_progress):
    text = leader_client.get(URL).text

    assert "10.000.000 ₫" in text  # money received
    assert "16.000.000.000 ₫" in text  # the target: 16.000 bags of 1.000.000 ₫
    assert "3 hộ còn chờ" in text


def test_a_hand_out_recorded_moves_the_dashboard_by_one(leader_client, in_progress, household_b, officer_b):
    before = leader_client.get(URL).context["board"]
    distribution_record(household=household_b, campaign=in_progress, recorded_by=officer_b)
    after = leader_client.get(URL).context["board"]

    assert after.bags["handed_out"] == before.bags["handed_out"] + 1
    assert after.totals.handed_out == before.totals.handed_out + 1
    assert after.totals.households_served == before.totals.households_served + 1
    assert after.totals.households_waiting == before.totals.households_waiting - 1
    assert after.handed_out_in_period == before.handed_out_in_period + 1


def test_the_table_sorts_by_households_waiting(leader_client, in_progress, ward_a, ward_b):
    rows = leader_client.get(URL, {"sort": "waiting"}).context["board"].rows
    assert [row.ward for row in rows] == [ward_b, ward_a]

    rows = leader_client.get(URL, {"sort": "-waiting"}).context["board"].rows
    assert [row.ward for row in rows] == [ward_a, ward_b]


def test_an_unknown_sort_falls_back_to_the_ward_order(leader_client, in_progress, ward_a, ward_b):
    response = leader_client.get(URL, {"sort": "drop table"})

    assert response.status_code == 200
    assert [row.ward for row in response.context["board"].rows] == [ward_a, ward_b]


def test_a_bad_date_is_explained_in_vietnamese_not_a_500(leader_client, in_progress):
    response = leader_client.get(URL, {"date_from": "31/02/2021", "date_to": "hôm qua"})

    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.text
    assert response.context["board"] is not None


def test_the_date_filter_is_typed_and_shown_as_day_month_year(leader_client, in_progress):
    response = leader_client.get(URL, {"date_from": "01/08/2021", "date_to": "31/08/2021"})

    assert response.status_code == 200 and 'placeholder="dd/mm/yyyy"' in response.text
    assert 'type="date"' not in response.text  # the browser's picker shows mm/dd/yyyy in American English
    assert 'value="01/08/2021"' in response.text
    assert "date_from=01%2F08%2F2021" in response.text  # the export and report links carry the same dates


def test_a_date_range_ending_before_it_starts_is_refused(leader_client, in_progress):
    response = leader_client.get(URL, {"date_from": "2021-09-01", "date_to": "2021-08-01"})

    assert "“Đến ngày” phải sau “Từ ngày”" in response.text


def test_a_date_range_without_hand_outs_shows_none_in_the_period(leader_client, in_progress):
    board = leader_client.get(URL, {"date_from": "2001-01-01", "date_to": "2001-12-31"}).context["board"]

    assert board.handouts_per_day == []
    assert board.bags["handed_out"] == 1  # the stock figures stay as they are now


def test_a_district_leader_never_sees_another_districts_campaign(leader_client, in_progress, other_district):
    from relief.models import Campaign

    other = Campaign.objects.create(code="BTL-2021", name="Túi an sinh Bắc Từ Liêm", district=other_district)

    response = leader_client.get(URL, {"campaign": other.pk, "district": other_district.pk})

    assert response.status_code == 200
    assert response.context["board"].campaign == in_progress
    assert "Chương trình này không có trong phạm vi của bạn." in response.text
    assert "Túi an sinh Bắc Từ Liêm" not in response.text


def test_a_city_wide_administrator_chooses_the_district(admin_client_, in_progress, other_district):
    from relief.models import Campaign

    other = Campaign.objects.create(code="BTL-2021", name="Túi an sinh Bắc Từ Liêm", district=other_district)

    board = admin_client_.get(URL, {"district": other_district.pk}).context["board"]

    assert board.campaign == other
    assert [row.ward.name for row in board.rows] == ["Đông Ngạc"]


def test_a_city_wide_leader_is_offered_every_district(in_progress, other_district):
    from relief.models import User
    from tests.conftest import client_for, make_user

    city_leader = make_user("lanhdao_thanhpho", User.Role.LEADER)

    response = client_for(city_leader).get(URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields["district"].queryset) == [other_district, in_progress.district]
    assert response.context["board"].campaign == in_progress


def test_the_charts_are_inline_svg_without_scripts(leader_client, in_progress):
    text = leader_client.get(URL).text

    assert text.count('class="pygal-chart"') == 4 * 2  # a wide and a narrow drawing of each
    body = text.split("<main", 1)[1].split("</main>")[0]  # base.html loads htmx after it, from a file
    assert "<script" not in body
    assert " on" + "click=" not in body


def _count_queries(client):
    cache.clear()  # count the page whose charts read their figures, not the one that shows kept drawings
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_dashboard_takes_as_many_queries_for_twenty_wards_as_for_two(leader_client, in_progress, district, staff):
    few = _count_queries(leader_client)
    wards = [Ward.objects.create(district=district, code=f"q5-p{n:02d}", name=f"Phường {n}") for n in range(3, 21)]
    for ward in wards[:3]:
        allocation_create(campaign=in_progress, ward=ward, quantity=1, created_by=staff)

    assert _count_queries(leader_client) == few


def test_the_dashboard_takes_as_many_queries_for_many_households_as_for_few(
    leader_client, in_progress, ward_b, officer_b
):
    few = _count_queries(leader_client)
    for n in range(30):
        household = make_household(ward_b, f"Hộ số {n}", address=f"{n} Hùng Vương")
        if n < 3:
            distribution_record(household=household, campaign=in_progress, recorded_by=officer_b)
    make_household(ward_b, "Đỗ Văn Giang", status=Household.Status.REJECTED)

    assert _count_queries(leader_client) == few


def test_without_any_campaign_the_dashboard_says_so(leader_client, db):
    response = leader_client.get(URL)

    assert response.status_code == 200
    assert "Chưa có chương trình nào" in response.text


def test_charts_kept_from_a_moment_ago_cost_no_query_while_the_headline_stays_exact(
    leader_client, in_progress, household_b, officer_b
):
    first = _count_queries(leader_client)
    distribution_record(household=household_b, campaign=in_progress, recorded_by=officer_b)

    with CaptureQueriesContext(connection) as queries:
        response = leader_client.get(URL)

    assert len(queries) < first
    assert not any("donations_donor" in query["sql"] for query in queries.captured_queries)
    assert response.context["board"].bags["handed_out"] == 2
    assert response.text.count("số liệu lúc") == 4
