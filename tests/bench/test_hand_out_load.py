"""The hand-out figure's plan: warm-up posts apart from the measured ones, and the in-process CPU measure."""

import pytest
from django.db import connection

from bench import load
from bench.cpu import cpu_per_request
from bench.views import PING_TABLE
from relief.models import Distribution
from tests.conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings):
    """The bench's URLs and its baseline's table; the benchmark runs on PostgreSQL only (its city is there)."""
    if connection.vendor != "postgresql":
        pytest.skip("The benchmark runs on PostgreSQL (DATABASE_URL=postgres://…).")
    settings.ROOT_URLCONF = "bench.urls"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PING_TABLE} (id bigserial PRIMARY KEY, user_id bigint, at timestamptz)")


def test_each_client_warms_up_with_its_first_hand_outs_and_as_many_inserts_and_measures_the_rest(settings):
    settings.ROOT_URLCONF = "bench.urls"
    warm = load.WARM_UP_POSTS
    posts = [(f"/ho/{n}/trao-tui/", {"request_key": str(n)}) for n in range(warm + 6)]
    warm_up, rounds = load.split_warm_up([("cookie", "csrf", posts)], rounds=3)
    (_, _, first) = warm_up[0]
    assert first[:warm] == posts[:warm]
    assert [url for url, _ in first[warm:]] == ["/bench/insert/"] * warm
    measured = posts[warm:]
    assert [round_[0][2] for round_ in rounds] == [measured[0:2], measured[2:4], measured[4:6]]


def test_each_round_of_hand_outs_is_compared_with_the_baselines_either_side_and_the_median_round_counts():
    baselines = [{"per_second": rate} for rate in (400.0, 600.0, 500.0, 300.0)]
    hand_outs = [{"per_second": rate} for rate in (250.0, 110.0, 280.0)]
    figures = load.rounds_figures(baselines, hand_outs)
    assert [round_["ratio"] for round_ in figures["rounds"]] == [0.5, 0.2, 0.7]
    assert [round_["baseline_per_second"] for round_ in figures["rounds"]] == [500.0, 550.0, 400.0]
    assert (figures["ratio_throughput"], figures["per_second"], figures["baseline_per_second"]) == (0.5, 250.0, 500.0)


def test_the_cpu_measure_hands_out_through_the_real_view_beside_the_baseline(bench_urls, stocked, ward_a, officer_a):
    for n in range(2):
        make_household(ward_a, f"Hộ chờ {n}", address=f"{n} Hùng Vương")
    clients = load.plan_hand_outs([ward_a], posts_per_client=1)
    figures = cpu_per_request(clients)
    assert figures["n"] == 2
    assert figures["hand_out_ms"] > 0 and figures["baseline_ms"] > 0
    assert Distribution.objects.filter(ward=ward_a).count() == 2
    assert ("postgres_hand_out_ms" in figures) == (connection.vendor == "postgresql")
