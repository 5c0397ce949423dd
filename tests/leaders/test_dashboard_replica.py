"""The leaders' dashboard reads from the replica when one is configured; everything else stays on the primary."""

import pytest
from django.db import OperationalError, connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Household
from leaders import dashboard
from relief.db_router import ReadSource, read_source, replica_reads
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


@pytest.fixture
def replica_down(with_replica, monkeypatch):
    """On PostgreSQL the replica's address points at a closed port. SQLite's in-memory test database ignores a
    close, so there its connection is made to fail as a file that cannot be opened fails."""
    replica = connections["replica"]
    replica.close()
    if replica.vendor == "postgresql":
        monkeypatch.setattr(replica, "settings_dict", {**replica.settings_dict, "HOST": "127.0.0.1", "PORT": "1"})
    else:

        def unreachable():
            raise OperationalError("unable to open database file")

        monkeypatch.setattr(replica, "ensure_connection", unreachable)
    yield
    replica.close()


def test_with_the_replica_down_the_dashboard_answers_from_the_primary_and_says_so(
    replica_down, leader_client, in_progress
):
    with CaptureQueriesContext(connections["default"]) as primary:
        response = leader_client.get(URL)

    assert response.status_code == 200
    board = response.context["board"]
    assert board.totals.handed_out == 1
    assert board.source.alias == "default" and board.source.fallback == "down"
    assert '"relief_tally_bag"' in _tables(primary)
    assert "Máy chủ bản sao không trả lời" in response.content.decode()


def test_with_the_replica_down_a_wards_page_answers_from_the_primary(replica_down, leader_client, in_progress, ward_a):
    response = leader_client.get(reverse("leaders:ward", args=[ward_a.pk]))

    assert response.status_code == 200
    assert response.context["page"].source.fallback == "down"
    assert response.context["page"].figures.handed_out == 1


def test_a_replica_behind_the_bound_is_not_read_and_the_page_shows_its_lag(
    with_replica, settings, leader_client, in_progress
):
    settings.REPLICA_MAX_LAG_SECONDS = -1  # any lag, even none, is beyond this bound
    with CaptureQueriesContext(connections["replica"]) as replica:
        response = leader_client.get(URL)

    assert response.status_code == 200
    assert response.context["board"].source.fallback == "lagging"
    assert '"relief_tally_bag"' not in _tables(replica)
    assert "Máy chủ bản sao đang chậm 0 giây so với máy chủ chính (giới hạn -1 giây)" in response.content.decode()


def test_a_replica_within_the_bound_is_read_and_the_page_says_nothing_of_it(with_replica, leader_client, in_progress):
    response = leader_client.get(URL)

    assert response.context["board"].source == ReadSource(alias="replica", lag_seconds=0.0)
    assert "Máy chủ bản sao" not in response.content.decode()
    assert 'data-read-source="replica"' in response.content.decode()  # the mark the cluster drills count


def test_a_page_without_a_replica_carries_no_replica_mark(leader_client, in_progress):
    response = leader_client.get(URL)

    assert response.context["board"].source == ReadSource()
    assert "data-read-source" not in response.content.decode()


def test_a_block_inside_another_keeps_the_outer_blocks_choice(with_replica, settings):
    with replica_reads():
        settings.REPLICA_MAX_LAG_SECONDS = -1
        with replica_reads():
            assert read_source().alias == "replica"
    assert read_source() == ReadSource()


def _drops_on_the_replica(real):
    """``real``, except that on the replica it fails as a replica stopping mid-page does: its connection lost."""

    def read(*args, **kwargs):
        if read_source().alias == "replica":
            replica = connections["replica"]
            with replica.wrap_database_errors:
                raise replica.Database.OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    return read


def test_a_replica_lost_in_the_middle_of_the_dashboard_is_read_again_from_the_primary_and_said(
    with_replica, leader_client, in_progress, monkeypatch
):
    monkeypatch.setattr(dashboard, "campaign_bags", _drops_on_the_replica(dashboard.campaign_bags))

    response = leader_client.get(URL)

    assert response.status_code == 200
    assert response.context["board"].source.fallback == "down"
    assert response.context["board"].totals.handed_out == 1
    assert "Máy chủ bản sao không trả lời" in response.content.decode()


def test_a_replica_lost_while_a_chart_is_read_is_read_again_from_the_primary(
    with_replica, leader_client, in_progress, ward_a, monkeypatch
):
    monkeypatch.setattr(dashboard, "households_by_category", _drops_on_the_replica(dashboard.households_by_category))

    response = leader_client.get(reverse("leaders:ward", args=[ward_a.pk]))

    assert response.status_code == 200
    assert response.context["page"].source.fallback == "down"


def test_an_error_of_the_primary_is_not_read_again(with_replica, leader_client, in_progress, monkeypatch):
    calls = []

    def fails(*args, **kwargs):
        calls.append(read_source())
        primary = connections["default"]
        with primary.wrap_database_errors:
            raise primary.Database.OperationalError("the primary failed")

    monkeypatch.setattr(dashboard, "campaign_bags", fails)

    with pytest.raises(OperationalError):
        leader_client.get(URL)
    assert len(calls) == 1
