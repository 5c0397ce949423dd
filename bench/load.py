"""Hand-outs under load: concurrent ward officers posting to the real hand-out view on gunicorn, beside a bare
Django view that inserts one row under the same load.

Officers are logged in by writing their sessions straight into the session table (the city's logins have no
password to type), and each client posts with a CSRF cookie and the matching form token, as a browser does.
Everything is bounded: a fixed number of posts per client and a time limit for each phase.

The phases run warm-up (a few posts of each kind per client, not counted: gunicorn's threads open their database
connections and load what Django loads lazily), then baseline and hand-outs in turn, ``ROUNDS`` rounds of hand-outs
between ``ROUNDS + 1`` baselines. Each round of hand-outs is compared with the mean of the baselines on either side
of it, so a machine that slows down or speeds up moves both sides; the figure is the median of the rounds' ratios,
so that one burst of another job on a shared machine moves one round, not the figure (single rounds of the same
code read 0.37 to 0.62 within five minutes here).
"""

import http.client
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from audit.ledger import ledger_problems
from households.models import Household
from relief import two_factor
from relief.models import Bag, Campaign, Distribution, User, Ward

from .cpu import cpu_per_request
from .stats import timing
from .views import PING_TABLE

CLIENTS = 32
WARDS = 8  # four clients per ward: officers of one ward racing for its stock
POSTS_PER_CLIENT = 40  # per client and round
ROUNDS = 3
WARM_UP_POSTS = 10  # per client and kind, before anything is timed (3 left the first baseline cold)
CPU_POSTS = 7  # per client, for the CPU each request costs in-process (bench/cpu.py), after the load
TIME_LIMIT = 90  # seconds per phase, whatever happens
ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(port, workers, threads):
    """A gunicorn of the bench settings on 127.0.0.1 only, stopped (by its own pid) when the block ends."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "relief.wsgi",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT)
    try:
        _wait_for(port)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def login_cookie(user):
    """A session for ``user`` written as ``django.contrib.auth.login`` and the second step write it, and a CSRF
    secret to post with."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[two_factor.SESSION_KEY] = True  # past both steps of the login: leaders and staff have a second one
    session.create()
    csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret Django accepts as cookie and as form token alike
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookie, csrf


def busy_wards():
    """Wards with stock and approved households still waiting, one per district, the best stocked first."""
    waiting = Household.objects.filter(ward=OuterRef("pk"), status=Household.Status.APPROVED)
    officers = User.objects.filter(ward=OuterRef("pk"), role=User.Role.WARD_OFFICER)
    wards = (
        Ward.objects.annotate(stock=Count("bags", filter=Q(bags__state=Bag.State.ALLOCATED)))
        .filter(stock__gte=(ROUNDS * POSTS_PER_CLIENT + WARM_UP_POSTS + CPU_POSTS) * CLIENTS // WARDS)
        .filter(Exists(waiting), Exists(officers))
        .order_by("-stock")
    )
    chosen, districts = [], set()
    for ward in wards:
        if ward.district_id not in districts:
            chosen.append(ward)
            districts.add(ward.district_id)
        if len(chosen) == WARDS:
            break
    return chosen


def eligible_households(ward, campaign, limit):
    """Approved households of ``ward`` still under the campaign's limit, the fewest bags first: those still waiting,
    then (on a campaign of two bags a household) those due their second, so a load does not run dry half way."""
    bags = (
        Distribution.objects.filter(household=OuterRef("pk"), campaign=campaign, cancelled_at__isnull=True)
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Household.objects.filter(ward=ward, status=Household.Status.APPROVED)
        .annotate(bags=Coalesce(Subquery(bags), 0))
        .filter(bags__lt=campaign.household_limit)
        .order_by("bags", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def plan_hand_outs(wards, posts_per_client=ROUNDS * POSTS_PER_CLIENT + WARM_UP_POSTS, clients=CLIENTS):
    """``[(cookie, csrf, [(url, form)])]``: each client's posts, to households of its ward still under the limit."""
    per_ward = clients // len(wards)
    planned = []
    for ward in wards:
        campaign = Campaign.objects.get(district_id=ward.district_id, is_open=True)
        households = eligible_households(ward, campaign, per_ward * posts_per_client)
        officer = User.objects.filter(ward=ward, role=User.Role.WARD_OFFICER).first()
        for n in range(per_ward):
            cookie, csrf = login_cookie(officer)
            posts = [
                (
                    reverse("ward:hand_out", args=[pk]),
                    {"campaign": campaign.pk, "request_key": str(uuid.uuid4()), "csrfmiddlewaretoken": csrf},
                )
                for pk in households[n::per_ward]
            ]
            planned.append((cookie, csrf, posts))
    return planned


def plan_inserts(clients):
    """The same clients, cookies and number of posts, to the baseline view."""
    url = reverse("bench_insert")
    return [(cookie, csrf, [(url, {"csrfmiddlewaretoken": csrf}) for _ in posts]) for cookie, csrf, posts in clients]


def split_warm_up(clients, rounds=ROUNDS):
    """``(warm-up, rounds)``: each client's first posts of both kinds, and the rest of its hand-outs as ``rounds``
    lists of clients, each client's posts cut in equal parts in order."""
    warm_up, measured = [], [[] for _ in range(rounds)]
    for cookie, csrf, posts in clients:
        first, rest = posts[:WARM_UP_POSTS], posts[WARM_UP_POSTS:]
        warm_up.append((cookie, csrf, first + plan_inserts([(cookie, csrf, first)])[0][2]))
        size = len(rest) // rounds
        for number, round_ in enumerate(measured):
            round_.append((cookie, csrf, rest[number * size : (number + 1) * size]))
    return warm_up, measured


def rounds_figures(baselines, hand_outs):
    """The figures of ``hand_outs`` (one ``run_phase`` result per round) against ``baselines`` (one more, the
    first before the first round and each next one after a round): each round's ratio to the mean of the baselines
    either side of it, and the median of those ratios as the figure."""
    rounds = []
    for number, round_ in enumerate(hand_outs):
        around = (baselines[number]["per_second"] + baselines[number + 1]["per_second"]) / 2
        rounds.append({"hand_outs_per_second": round_["per_second"], "baseline_per_second": round(around, 1)})
        rounds[-1]["ratio"] = round(round_["per_second"] / around, 2)
    middle = sorted(rounds, key=lambda figures: figures["ratio"])[len(rounds) // 2]
    return {
        "per_second": middle["hand_outs_per_second"],
        "baseline_per_second": middle["baseline_per_second"],
        "ratio_throughput": middle["ratio"],
        "rounds": rounds,
    }


def _client(port, cookie, posts, deadline, times, statuses):
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    for url, form in posts:
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        connection_.request("POST", url, body=urlencode(form), headers=headers)
        response = connection_.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        statuses.append(response.status)
    connection_.close()


def run_phase(port, clients):
    """All clients at once; returns throughput (posts per second), timings and HTTP statuses."""
    times, statuses = [], []
    deadline = time.monotonic() + TIME_LIMIT
    threads = [
        threading.Thread(target=_client, args=(port, cookie, posts, deadline, times, statuses))
        for cookie, _, posts in clients
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "posts": len(times),
        "seconds": round(elapsed, 2),
        "per_second": round(len(times) / elapsed, 1),
        "errors": sum(1 for status in statuses if status >= 400),
        "times": times,
    }


def invariants(request_keys):
    """What must hold after the run: every key recorded at most once, no household or ward beyond its limits."""
    recorded = Distribution.objects.filter(request_key__in=request_keys).count()
    over_limit = (
        Distribution.objects.active()
        .values("household_id", "campaign_id", "campaign__household_limit")
        .annotate(n=Count("pk"))
        .filter(n__gt=F("campaign__household_limit"))
        .count()
    )
    bags_twice = Distribution.objects.active().values("bag_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    # A bag handed out is a bag of the ward's stock, so a ward can only hand out what it was allocated when every
    # active hand-out's bag belongs to the hand-out's ward and is in the handed-out state.
    over_allocated = Distribution.objects.active().exclude(bag__ward_id=F("ward_id")).count()
    bag_state_wrong = Distribution.objects.active().exclude(bag__state=Bag.State.HANDED_OUT).count()
    return {
        "hand_outs_recorded": recorded,
        "households_over_limit": over_limit,
        "bags_handed_out_twice": bags_twice,
        "hand_outs_outside_ward_stock": over_allocated,
        "hand_outs_of_bags_not_handed_out": bag_state_wrong,
        "ledger_problems": len(ledger_problems()),
    }


def hand_out_figures(workers=4, threads=4):
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {PING_TABLE} (id bigserial PRIMARY KEY, user_id bigint, at timestamptz)"
        )
    wards = busy_wards()
    clients = plan_hand_outs(wards)
    keys = [form["request_key"] for _, _, posts in clients for _, form in posts]
    warm_up, rounds = split_warm_up(clients)
    port = free_port()
    connection.close()  # the server's workers get the database to themselves
    with gunicorn(port, workers, threads):
        run_phase(port, warm_up)
        baselines, hand_outs = [run_phase(port, plan_inserts(rounds[0]))], []
        for round_ in rounds:
            hand_outs.append(run_phase(port, round_))
            baselines.append(run_phase(port, plan_inserts(round_)))
    in_process = plan_hand_outs(wards, CPU_POSTS)
    keys += [form["request_key"] for _, _, posts in in_process for _, form in posts]
    cpu = cpu_per_request(in_process)
    figures = rounds_figures(baselines, hand_outs)
    every_post = [post for round_ in hand_outs for post in round_["times"]]
    every_insert = [post for baseline in baselines for post in baseline["times"]]
    return {
        "clients": len(clients),
        "wards": len(wards),
        "gunicorn": f"{workers} workers x {threads} threads",
        "warm_up_posts_per_client": WARM_UP_POSTS * 2,
        "posts": sum(round_["posts"] for round_ in hand_outs),
        "errors": sum(round_["errors"] for round_ in hand_outs),
        "per_second": figures["per_second"],
        **timing(every_post),
        "baseline": {
            "per_second": figures["baseline_per_second"],
            "errors": sum(baseline["errors"] for baseline in baselines),
            **timing(every_insert),
            "phases_per_second": [baseline["per_second"] for baseline in baselines],
        },
        "ratio_throughput": figures["ratio_throughput"],
        "rounds": figures["rounds"],
        "cpu_in_process": cpu,
        "invariants": invariants(keys),
    }
