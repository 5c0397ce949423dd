"""Money per kind of donor costs the campaign's gifts, not the city's donors: each gift reads its donor by key."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from donations.models import Donor
from leaders.dashboard import money_by_donor_kind

pytestmark = pytest.mark.django_db
BY_KEY = re.compile(r'FROM "donations_donor" U0 WHERE U0\."id" = \("donations_donation"\."donor_id"\)')


def test_money_by_kind_is_one_query_that_reads_each_gifts_donor_by_key(in_progress):
    with CaptureQueriesContext(connection) as queries:
        money_by_donor_kind(in_progress)

    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert " JOIN " not in sql
    assert BY_KEY.search(sql), sql


def test_gifts_are_summed_by_the_kind_of_their_donor_and_a_reversal_nets_out_under_it(campaign, donor, staff):
    from donations.models import Donation
    from donations.services import donation_reverse
    from tests.conftest import give

    company = Donor.objects.create(name="Công ty Bình An", kind=Donor.Kind.BUSINESS)
    give(campaign, donor, staff, amount=3_000_000)
    give(campaign, company, staff, amount=5_000_000)
    give(campaign, company, staff, bags=4)
    wrong = Donation.objects.get(donor=donor)
    donation_reverse(donation=wrong, reason="Ghi nhầm nhà hảo tâm", recorded_by=staff)

    assert money_by_donor_kind(campaign) == [("Doanh nghiệp", 5_000_000, 4)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_postgresql_never_reads_every_donor_of_the_city_for_one_campaigns_money(in_progress, other_district):
    Donor.objects.bulk_create(
        Donor(name=f"Nhà hảo tâm {n}", kind=Donor.Kind.INDIVIDUAL, district=other_district) for n in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE donations_donor")
        cursor.execute("ANALYZE donations_donation")
    with CaptureQueriesContext(connection) as queries:
        money_by_donor_kind(in_progress)
    (query,) = queries.captured_queries

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Seq Scan on donations_donor" not in plan and "Hash Join" not in plan, plan
    assert "Index Scan using donations_donor_pkey on donations_donor" in plan, plan
