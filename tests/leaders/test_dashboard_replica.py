"""The leaders' dashboard reads from the replica when one is configured; everything else stays on the primary."""

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Household
from relief.db_router import replica_reads
from relief.models import Bag

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

URL = reverse("leaders:dashboard")


@pytest.fixture
def with_replica(settings):
    settings.REPLICA_DATABASE = "replica"


def _tables(queries):
    return " ".join(query["sql"] for query in queries.captured_queries)


def test_the_dashboard_reads_its_figures_from_the_replica(with_replica, leader_client, in_progress):
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = leader_client.get(URL)

    assert response.status_code == 200
    assert response.context["board"].totals.handed_out == 1  # the replica sees the primary's rows
    assert '"relief_tally_bag"' in _tables(replica)  # the figures are read from the counters
    assert '"relief_tally_served"' in _tables(replica)
    assert '"relief_tally_bag"' not in _tables(primary)
    assert '"django_session"' in _tables(primary)  # the login and the filters' choices stay on the primary


def test_the_ward_officers_pages_never_read_from_the_replica(with_replica, officer_a_client, in_progress):
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert officer_a_client.get(reverse("ward:households")).status_code == 200

    assert replica.captured_queries == []


def test_writes_go_to_the_primary_even_inside_replica_reads(with_replica):
    with replica_reads():
        assert router.db_for_read(Bag) == "replica"
        assert router.db_for_write(Bag) == "default"
        assert router.db_for_write(Household, instance=Household(ward_id=1)) == "default"
    assert router.db_for_read(Bag) == "default"


def test_without_a_replica_the_dashboard_reads_from_the_primary(leader_client, in_progress):
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert leader_client.get(URL).status_code == 200

    assert replica.captured_queries == []
    with replica_reads():
        assert router.db_for_read(Bag) == "default"


def test_the_replica_is_never_migrated(with_replica):
    assert router.allow_migrate("replica", "relief") is False
    assert router.allow_migrate("default", "relief") is True
