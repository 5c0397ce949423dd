"""A city leader's roll-up: every campaign of the city and of the wards under it, with a drill-down to each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leaders.dashboard import campaigns_rollup
from relief.models import Campaign, District, Level, Ward
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = reverse("leaders:dashboard")


def rollup_rows(page):
    """The roll-up table's campaign names, in order (the page's own markup, read as text)."""
    table = page.split('data-testid="rollup"', 1)[1].split("</table>", 1)[0]
    return [cell.split("</a>", 1)[0].rsplit(">", 1)[1] for cell in table.split('href="')[1:]]


def test_a_city_leader_sees_the_city_s_campaign_and_the_ward_s_own_and_none_of_another_city(two_tier):
    page = client_for(two_tier.city_leader).get(URL).text
    assert rollup_rows(page) == ["Túi an sinh Thành phố Mẫu", "Túi an sinh Phường Mẫu"]
    assert "Xã Khác" not in page


def test_the_roll_up_counts_each_campaign_s_bags_and_households_from_its_own_units(ward_campaign_under_way):
    world = ward_campaign_under_way
    rows = {row.campaign: row for row in campaigns_rollup(Campaign.objects.visible_to(world.city_leader))}
    ward_row = rows[world.ward_campaign]
    assert (ward_row.funded, ward_row.handed_out) == (6, 1)
    assert (ward_row.households_served, ward_row.households_approved, ward_row.coverage) == (1, 2, 50.0)
    assert (rows[world.city_campaign].funded, rows[world.city_campaign].households_approved) == (0, 0)


def test_a_city_leader_drills_down_to_the_ward_s_campaign_and_its_khu_pho(ward_campaign_under_way):
    world = ward_campaign_under_way
    client = client_for(world.city_leader)
    page = client.get(URL, {"campaign": world.ward_campaign.pk}).text
    assert f'?campaign={world.ward_campaign.pk}">Túi an sinh Phường Mẫu' in page
    assert "Số liệu theo khu phố" in page
    assert reverse("leaders:ward", args=[world.kp1.pk]) in page
    assert client.get(reverse("leaders:ward", args=[world.kp1.pk])).status_code == 200


def test_a_ward_leader_sees_the_ward_s_campaign_without_a_roll_up(ward_campaign_under_way):
    page = client_for(ward_campaign_under_way.ward_leader).get(URL).text
    assert 'data-testid="rollup"' not in page
    assert "Túi an sinh Phường Mẫu" in page
    assert "Số liệu theo khu phố" in page


def test_city_staff_read_only_the_city_s_own_campaign_without_a_roll_up(two_tier):
    page = client_for(two_tier.city_staff).get(URL).text
    assert 'data-testid="rollup"' not in page
    assert "Túi an sinh Phường Mẫu" not in page


def _count(client):
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_roll_up_takes_as_many_queries_for_many_wards_under_the_city_as_for_one(ward_campaign_under_way):
    world = ward_campaign_under_way
    client = client_for(world.city_leader)
    few = _count(client)
    for n in range(2, 6):
        unit = District.objects.create(code=f"pm{n}", name=f"Phường Mẫu {n}", level=Level.WARD, parent=world.city)
        Ward.objects.create(district=unit, code=f"pm{n}-kp1", name="Khu phố 1", level=Level.KHU_PHO)
        Campaign.objects.create(code=f"PM{n}-2025", name=f"Túi an sinh Phường Mẫu {n}", district=unit)
    assert len(rollup_rows(client.get(URL).text)) == 6
    assert _count(client) == few
