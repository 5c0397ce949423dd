"""The drills that prove the cluster (docs/CLUSTER.md), in the order a province would meet them. The fail-over is
last: it leaves the cluster on the promoted replica, and then builds a fresh cluster for the next run."""

import subprocess

import pytest

from cluster.drills import DIR, ROOT

pytestmark = pytest.mark.cluster


def assert_nothing_lost_or_doubled(checks):
    assert checks["acknowledged_missing"] == 0  # every hand-out the app acknowledged is in the database
    assert checks["refused_but_recorded"] == 0
    assert checks["households_over_limit"] == 0
    assert checks["bags_handed_out_twice"] == 0
    assert checks["hand_outs_outside_ward_stock"] == 0
    assert checks["ledger_problems"] == 0, checks["ledger_first_problems"]


def test_thirty_two_clients_hand_out_across_both_app_servers_and_break_no_invariant(drill):
    figures = drill("load")

    assert len(figures["two_app_servers_with_pooler"]["hand_outs_per_app_server"]) == 2  # both took hand-outs
    assert all(count > 0 for count in figures["two_app_servers_with_pooler"]["hand_outs_per_app_server"].values())
    pages = figures["two_app_servers_with_pooler"]["pages"]
    # every kind of page, the exports too, through the pooler
    assert pages and {status for status, _ in pages.values()} == {200}, pages
    for run in figures.values():
        assert run["hand_outs"] > 0
        assert run["failed_attempts"] == 0
        assert run["leader_reads"] and set(run["leader_reads"]) == {"200 replica"}  # the leaders read the replica
        assert_nothing_lost_or_doubled(run["checks"])


def test_an_app_server_killed_mid_load_loses_and_doubles_no_hand_out_and_the_other_takes_the_traffic(drill):
    figures = drill("kill-app")

    assert figures["hand_outs_after_kill"] > 0
    assert figures["recovery_seconds"] < 10
    assert set(figures["error_kinds"]) <= {"http 502", "RemoteDisconnected", "ConnectionResetError"}
    assert_nothing_lost_or_doubled(figures["checks"])


def test_with_the_replica_stopped_the_leaders_read_the_primary_and_it_catches_up_when_started(drill):
    figures = drill("replica")

    assert figures["leader_reads_while_replica_down"] > 0
    assert figures["leader_reads_while_replica_down_failed"] == 0
    assert figures["leader_reads_while_replica_down_from_primary"] == figures["leader_reads_while_replica_down"]
    assert figures["catch_up_seconds"] is not None
    assert figures["failed_attempts"] == 0
    assert_nothing_lost_or_doubled(figures["checks"])


def test_a_pooler_restart_fails_only_the_requests_in_flight_and_the_app_servers_carry_on(drill):
    figures = drill("pooler")

    assert set(figures["error_kinds"]) <= {"http 500"}  # the app's error page, never a half-written hand-out
    assert figures["hand_outs_after_restart"] > 0
    assert figures["app_servers_restarted"] == 0
    assert_nothing_lost_or_doubled(figures["checks"])


def test_a_db_worker_killed_mid_import_leaves_nothing_and_the_job_finishes_once_on_another(drill):
    figures = drill("worker")

    assert figures["rows"] == 100_000
    assert figures["shown_stopped_after_kill"]  # the staff's page says the job stopped and can run again
    assert figures["households_after_kill"] == 0  # the killed import's transaction left nothing
    assert (figures["finished"], figures["status"], figures["imported"]) == (True, "done", 100_000)
    assert figures["households_of_the_list"] == figures["distinct_numbers_of_the_list"] == 100_000


def test_the_promoted_replica_holds_every_acknowledged_hand_out(drill):
    try:
        figures = drill("failover")
    finally:
        subprocess.run([str(ROOT / "cluster" / "down.sh")], check=True, capture_output=True)
        subprocess.run(["rm", "-rf", str(DIR / "pg")], check=True)
        subprocess.run([str(ROOT / "cluster" / "up.sh")], check=True, capture_output=True)

    assert figures["hand_outs_after_fail_over"] > 0
    assert_nothing_lost_or_doubled(figures["checks"])
