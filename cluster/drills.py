"""The drills of docs/CLUSTER.md, run against the cluster of cluster/up.sh: ``python -m cluster.drills NAME SECONDS``
prints the drill's figures as JSON (tests/cluster/ runs them and asserts on the figures).

The drill's own database connection goes straight to the primary (it plans the load and then checks what was
written); the load goes through nginx, the app servers and PgBouncer like any officer's request.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIR = ROOT / ".cluster"


def cluster_env():
    """The environment the cluster runs with (.cluster/env, written by cluster/up.sh)."""
    env = {}
    for line in (DIR / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        env[name] = value.strip('"')
    return env


def setup():
    """Django with the cluster's settings, its default database the primary itself, no replica."""
    env = cluster_env()
    os.environ.update(env)
    os.environ.update(
        DATABASE_URL=env["CLUSTER_DIRECT_URL"], DATABASE_POOLED="0", DJANGO_SETTINGS_MODULE="relief.settings"
    )
    os.environ.pop("DATABASE_REPLICA_URL", None)
    import django

    django.setup()
    return env


def pg_ctl(node, *args):
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    subprocess.run(
        ["runuser", "-u", "postgres", "--", str(pg_bin / "pg_ctl"), "-D", str(DIR / "pg" / node), *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def pid_of(file):
    return int((DIR / file).read_text().split()[0])


def restore():
    """Start again whatever a drill stopped (cluster/up.sh starts only what is not running)."""
    subprocess.run([str(ROOT / "cluster" / "up.sh")], check=True, stdout=subprocess.DEVNULL)


def balancer_port(env):
    return int(env["CLUSTER_BALANCER"].rsplit(":", 1)[1])


def check(tally):
    """What must hold after any drill: every acknowledged hand-out recorded once, none beyond a household's limit,
    no bag twice, the ledger balanced (``manage.py check_ledger``)."""
    from audit.ledger import ledger_problems
    from bench.load import invariants
    from relief.models import Distribution

    acknowledged = set(tally.acknowledged)
    tried = acknowledged | set(tally.unanswered) | {key for key, _ in tally.refused}
    recorded = {
        str(key) for key in Distribution.objects.filter(request_key__in=tried).values_list("request_key", flat=True)
    }
    figures = invariants(list(tried))
    problems = ledger_problems()
    return {
        "acknowledged_missing": len(acknowledged - recorded),
        "refused_but_recorded": len({key for key, _ in tally.refused} & recorded),
        "unanswered_recorded": len(set(tally.unanswered) & recorded),
        "households_over_limit": figures["households_over_limit"],
        "bags_handed_out_twice": figures["bags_handed_out_twice"],
        "hand_outs_outside_ward_stock": figures["hand_outs_outside_ward_stock"],
        "ledger_problems": len(problems),
        "ledger_first_problems": problems[:3],
    }


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def _load(env, seconds, port, events=(), leaders=2):
    from django.db import connection

    from . import load

    plans = load.plan()
    leaders = load.leader_cookies(leaders)
    connection.close()
    return load.run(
        port, seconds, plans=plans, leaders=leaders, replica_port=env["CLUSTER_REPLICA_PORT"], events=events
    )


def _outage(tally, since):
    """``(failed requests, {"error_kinds", "recovery_seconds"})`` of the load from ``since`` on: how many failed, how,
    and how long after ``since`` the last failed one ended."""
    errors = tally.errors(since=since)
    ended = max((at + spent for at, _, spent in errors), default=since)
    return len(errors), {
        "error_kinds": sorted({outcome for _, outcome, _ in errors}),
        "recovery_seconds": round(max(0.0, ended - since), 2),
    }


def drill_load(env, seconds):
    """32 clients through nginx (two app servers, PgBouncer), then the same on one app server straight to the
    primary, each ``seconds`` long."""
    from . import load

    served_before = _upstream_log_size()
    tally, _, took = _load(env, seconds, balancer_port(env))
    cluster = {
        **load.summary(tally, took),
        "hand_outs_per_app_server": _hand_outs_per_app_server(served_before),
        "pages": load.pages(balancer_port(env)),
        "checks": check(tally),
    }
    port = _free_port()
    single_env = {**os.environ, "DATABASE_URL": env["CLUSTER_DIRECT_URL"], "DATABASE_POOLED": "0"}
    single_env["DATABASE_REPLICA_URL"] = env["DATABASE_REPLICA_URL"]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "relief.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
            "--control-socket",
            str(DIR / "run" / "single.ctl"),
        ],
        cwd=ROOT,
        env=single_env,
    )
    try:
        _wait_for(port)
        tally, _, took = _load(env, seconds, port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    single = {**load.summary(tally, took), "checks": check(tally)}
    return {"two_app_servers_with_pooler": cluster, "one_app_server_without_pooler": single}


UPSTREAM_LOG = DIR / "log" / "nginx-upstream.log"


def _upstream_log_size():
    return UPSTREAM_LOG.stat().st_size if UPSTREAM_LOG.exists() else 0


def _hand_outs_per_app_server(since):
    """The hand-outs each app server answered (nginx's log of the upstream per request, from byte ``since``): a
    request nginx tried on two servers names both, the one that answered last."""
    counts = {}
    with UPSTREAM_LOG.open("rb") as log:
        log.seek(since)
        for line in log.read().decode().splitlines():
            upstreams, _, rest = line.rpartition(" POST ")
            if rest == "200" and upstreams:
                server = upstreams.split(", ")[-1]
                counts[server] = counts.get(server, 0) + 1
    return counts


def drill_kill_app(env, seconds):
    """SIGKILL the first app server (its master and workers) a third of the way into the load."""
    from . import load

    port = env["CLUSTER_APP_PORTS"].split()[0]
    killed = {}

    def kill(at):
        master = pid_of(f"run/app-{port}.pid")
        workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
        for pid in [master, *map(int, workers)]:
            os.kill(pid, signal.SIGKILL)
        killed["at"] = at

    tally, started, took = _load(env, seconds, balancer_port(env), events=[(seconds / 3, kill)])
    figures = {**load.summary(tally, took), "killed_after_seconds": round(killed["at"] - started, 1)}
    errors, outage = _outage(tally, killed["at"])
    figures["errors_after_kill"] = errors
    figures.update(outage)
    figures["hand_outs_after_kill"] = sum(
        1 for at, outcome, _ in tally.attempts if outcome == "ok" and at > killed["at"]
    )
    figures["checks"] = check(tally)
    restore()
    return figures


def _primary_lsn_reached(env, seconds=60):
    """Seconds until the replica has replayed everything the primary has written now."""
    import psycopg2

    from .load import query

    started = time.monotonic()
    target = query(env["CLUSTER_PRIMARY_PORT"], "SELECT pg_current_wal_lsn()")
    while time.monotonic() - started < seconds:
        try:
            if query(env["CLUSTER_REPLICA_PORT"], "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
                return round(time.monotonic() - started, 2)
        except psycopg2.Error:
            pass
        time.sleep(0.2)
    return None


def drill_replica(env, seconds):
    """Stop the replica a quarter of the way into the load, start it three quarters in; then time its catch-up.

    Four leaders read meanwhile: the dashboard is a large page (its charts), slow to answer on a loaded machine."""
    from . import load

    moments = {}

    def stop(at):
        pg_ctl("replica", "-m", "fast", "-w", "stop")
        moments["stopped"] = at

    def start(at):
        pg_ctl("replica", "-l", str(DIR / "pg" / "replica.log"), "-w", "start")
        moments["started"] = at

    tally, _, took = _load(
        env, seconds, balancer_port(env), events=[(seconds / 4, stop), (3 * seconds / 4, start)], leaders=4
    )
    figures = load.summary(tally, took)
    during = [read for read in tally.leader_reads if moments["stopped"] < read[0] < moments["started"]]
    figures["leader_reads_while_replica_down"] = len(during)
    figures["leader_reads_while_replica_down_failed"] = sum(1 for read in during if read[1] != 200)
    # A read in the last moment of the window meets the replica started again and still catching up: "lagging",
    # read from the primary as well.
    figures["leader_reads_while_replica_down_from_primary"] = sum(
        1 for read in during if read[2] in ("down", "lagging")
    )
    figures["catch_up_seconds"] = _primary_lsn_reached(env)
    figures["checks"] = check(tally)
    return figures


def drill_pooler(env, seconds):
    """Stop PgBouncer at once (SIGTERM: in-flight transactions cut) half way into the load, start it again."""
    from . import load

    app_pids = {port: pid_of(f"run/app-{port}.pid") for port in env["CLUSTER_APP_PORTS"].split()}
    moments = {}

    def restart(at):
        pid = pid_of("pgbouncer/pgbouncer.pid")
        os.kill(pid, signal.SIGTERM)
        while subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode == 0:
            time.sleep(0.05)
        moments["stopped"] = at
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "pgbouncer", "-d", "-q", str(DIR / "pgbouncer" / "pgbouncer.ini")],
            check=True,
        )
        moments["started"] = time.monotonic()

    tally, _, took = _load(env, seconds, balancer_port(env), events=[(seconds / 2, restart)])
    figures = load.summary(tally, took)
    figures["pooler_down_seconds"] = round(moments["started"] - moments["stopped"], 2)
    figures["errors_around_restart"], outage = _outage(tally, moments["stopped"])
    figures.update(outage)
    figures["hand_outs_after_restart"] = sum(
        1 for at, outcome, _ in tally.attempts if outcome == "ok" and at > moments["started"] + 1
    )
    figures["app_servers_restarted"] = sum(1 for port, pid in app_pids.items() if pid != pid_of(f"run/app-{port}.pid"))
    figures["checks"] = check(tally)
    return figures


def drill_failover(env, seconds):
    """Half way into the load: stop the primary, promote the replica, point PgBouncer at it (the app servers are
    not touched). Then every acknowledged hand-out must be on the new primary."""
    from django.db import connection

    from . import load

    moments = {}
    ini = DIR / "pgbouncer" / "pgbouncer.ini"

    def fail_over(at):
        pg_ctl("primary", "-m", "fast", "-w", "stop")
        moments["stopped"] = at
        pg_ctl("replica", "-w", "promote")
        ini.write_text(
            ini.read_text().replace(f"port={env['CLUSTER_PRIMARY_PORT']} ", f"port={env['CLUSTER_REPLICA_PORT']} ")
        )
        os.kill(pid_of("pgbouncer/pgbouncer.pid"), signal.SIGHUP)
        moments["promoted"] = time.monotonic()

    tally, _, took = _load(env, seconds, balancer_port(env), events=[(seconds / 2, fail_over)])
    connection.close()
    connection.settings_dict["PORT"] = env["CLUSTER_REPLICA_PORT"]
    figures = load.summary(tally, took)
    figures["fail_over_seconds"] = round(moments["promoted"] - moments["stopped"], 2)
    figures["errors_around_fail_over"], outage = _outage(tally, moments["stopped"])
    figures.update(outage)
    figures["hand_outs_after_fail_over"] = sum(
        1 for at, outcome, _ in tally.attempts if outcome == "ok" and at > moments["promoted"]
    )
    figures["checks"] = check(tally)
    return figures


def _household_list(path, ward_names, count=100_000):
    """A CSV of ``count`` households in ``ward_names``, with numbers no earlier run used (a random birth year and
    phone prefix), so the list checks clean whatever the database already holds."""
    import csv
    import random

    from bench.imports import rows
    from households.imports import HEADER

    run = random.Random()
    born, prefix = f"{run.randrange(0, 2)}{run.randrange(40, 99):02d}", f"0{run.choice('35789')}{run.randrange(10):01d}"
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n, row in enumerate(rows(count, ward_names)):
            row[1], row[2] = f"{run.choice(['001', '031', '048', '079', '092'])}{born}{n:06d}", f"{prefix}{n:07d}"
            writer.writerow(row)


def drill_worker(env, seconds):
    """Confirm a 100,000-row household list, SIGKILL the db_worker in the middle of its import, another starts:
    the staff's page shows the job stopped, "Nhập lại" runs it on the new worker, and it imports once."""
    import tempfile
    import uuid

    from django.db.models import Count
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from bench.pages import client_for
    from households.models import Household, ImportJob
    from relief.models import User, Ward

    setup_test_environment()  # so the preview's response carries its context: the report and the token
    staff = User.objects.filter(role=User.Role.DISTRICT_STAFF).order_by("pk").first()
    wards = list(Ward.objects.filter(district_id=staff.district_id).values_list("name", flat=True))
    client = client_for(staff)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"ho-{uuid.uuid4().hex[:8]}.csv"
        _household_list(path, wards)
        with open(path, "rb") as upload:
            preview = client.post(reverse("district:import_households"), {"file": upload})
    report = preview.context["report"]
    assert report.ok, report.errors[:3]
    token = preview.context["token"]
    of_the_list = Household.objects.filter(notes=f"Nhập từ tệp {path.name}")
    checked = time.monotonic()
    # Its random numbers may meet an earlier drill's list: checked, as the district would after the preview.
    client.post(reverse("district:import_households_confirm"), {"token": token, "same_id_too": "1"})
    job = ImportJob.objects.get(submission_key=token)
    page = reverse("district:import_job", args=[job.pk])

    def wait_for(condition, limit):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if condition():
                return True
            time.sleep(0.2)
        return False

    assert wait_for(lambda: job.status == ImportJob.Status.RUNNING, 120), job.status
    time.sleep(min(seconds / 4, 5))  # inside the import's transaction by now
    first = pid_of("run/worker.pid")
    os.kill(first, signal.SIGKILL)
    killed = time.monotonic()
    while pid_of("run/worker.pid") == first:  # cluster/up.sh's supervisor starts another, as systemd would
        time.sleep(0.2)

    def page_shows_stopped():  # the staff's page asks every 2 seconds, as here
        time.sleep(2)
        return "dừng giữa chừng" in client.get(page, HTTP_HX_REQUEST="true").content.decode()

    shown_stopped = wait_for(page_shows_stopped, 60)
    stopped_seconds = time.monotonic() - killed
    imported_before_again = of_the_list.count()
    client.post(reverse("district:import_job_again", args=[job.pk]))
    again = time.monotonic()
    finished = wait_for(lambda: job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED), 300)
    counts = of_the_list.aggregate(n=Count("pk"), numbers=Count("national_id", distinct=True))
    return {
        "rows": job.rows,
        "preview_seconds": round(checked - started, 1),
        "shown_stopped_after_kill": shown_stopped,
        "seconds_from_kill_to_shown_stopped": round(stopped_seconds, 1),
        "households_after_kill": imported_before_again,
        "finished": finished,
        "new_worker_started": pid_of("run/worker.pid") != first,
        "status": job.status,
        "imported": job.imported,
        "message": job.message,
        "seconds_from_kill_to_done": round(time.monotonic() - killed, 1),
        "seconds_from_again_to_done": round(time.monotonic() - again, 1),
        "households_of_the_list": counts["n"],
        "distinct_numbers_of_the_list": counts["numbers"],
    }


DRILLS = {
    "load": drill_load,
    "kill-app": drill_kill_app,
    "replica": drill_replica,
    "pooler": drill_pooler,
    "failover": drill_failover,
    "worker": drill_worker,
}


def main(name, seconds):
    env = setup()
    print(json.dumps(DRILLS[name](env, float(seconds)), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:3])
