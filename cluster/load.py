"""Load on the cluster: officers' clients handing out through the balancer, leaders reading, the replica's lag.

Each client is one officer's browser session (written straight into the session table, as the benchmark does:
bench/load.py) that hands a bag to each household of its own list in turn, through the real hand-out view. A hand-out
is tried until the app answers it: a refused connection, a 502 from the balancer or a 500 is retried with the same
submission key, so a hand-out recorded whose answer was lost is found again, not recorded twice. A hand-out counts
as acknowledged when the answer says it was done (``class="done"``), as refused when it says why not.

Everything is bounded by ``seconds``: the drills are meant to run in a test, on a small shared machine.
"""

import datetime
import http.client
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import psycopg2
from django.db import transaction
from django.urls import reverse

from bench.load import eligible_households, login_cookie
from bench.stats import timing
from donations.funding import FUNDING_BATCH
from donations.models import Donation, Donor
from donations.services import donation_record, donor_create
from relief.db_router import LAG_SQL
from relief.models import Bag, Campaign, User, Ward
from relief.services import allocation_create

CLIENTS = 32
LEADERS = 2
PAGE_TIMEOUT = 60  # nginx's proxy_read_timeout: a page slower than this fails behind the balancer anyway
RETRY_PAUSE = 0.2  # seconds between two tries of one hand-out, as a person tapping again would wait at least


@dataclass
class Tally:
    """What the clients saw, appended from their threads (list.append is atomic in CPython)."""

    acknowledged: list = field(default_factory=list)  # request keys the app said were recorded
    refused: list = field(default_factory=list)  # (key, the app's reason)
    unanswered: list = field(default_factory=list)  # keys still being tried when the time ran out
    attempts: list = field(default_factory=list)  # (monotonic time, "ok" | "refused" | the error, seconds)
    leader_reads: list = field(default_factory=list)  # (monotonic time, status, read source, seconds)
    lag: list = field(default_factory=list)  # (monotonic time, the replica's lag in seconds or None)

    def errors(self, since=None, until=None):
        """Failed attempts that ended at ``since`` or later and began at ``until`` or earlier."""
        return [
            attempt
            for attempt in self.attempts
            if attempt[1] not in ("ok", "refused")
            and (since is None or attempt[0] + attempt[2] >= since)
            and (until is None or attempt[0] <= until)
        ]


def restock(campaign, ward, needed):
    """Bring ``ward``'s stock up to ``needed`` bags, through the services a district's staff use: bags given in kind
    by a drill donor, then allocated to the ward. A load must meet the ward's households, not an empty stock left by
    the drills before it (on a fast machine five loads hand out most of the city's bags). Returns the bags sent."""
    missing = needed - Bag.objects.filter(campaign=campaign, ward=ward, state=Bag.State.ALLOCATED).count()
    if missing <= 0:
        return 0
    staff = User.objects.filter(district_id=campaign.district_id, role=User.Role.DISTRICT_STAFF).order_by("pk").first()
    name = "Đợt diễn tập cụm máy chủ"
    donor = Donor.objects.filter(district_id=campaign.district_id, name=name).first()
    donor = donor or donor_create(created_by=staff, district=campaign.district, name=name)
    at_district = Bag.objects.filter(campaign=campaign, state=Bag.State.AT_DISTRICT).count()
    while at_district < missing:
        given = min(FUNDING_BATCH, missing - at_district)
        donation_record(
            campaign=campaign,
            donor=donor,
            recorded_by=staff,
            received_on=datetime.date.today(),
            method=Donation.Method.IN_KIND,
            bags_in_kind=given,
        )
        at_district += given
    with transaction.atomic():
        allocation_create(campaign=campaign, ward=ward, quantity=missing, created_by=staff, note="Diễn tập cụm máy chủ")
    return missing


def plan(clients=CLIENTS, per_client=400):
    """``[(cookie, csrf, campaign pk, [household pk])]``: the clients spread over every ward with an officer, each
    ward's eligible households dealt out among its clients, so no two clients ever serve one household, and each
    ward's stock brought up to as many bags as its clients have households to serve."""
    wards = list(Ward.objects.filter(officers__role=User.Role.WARD_OFFICER).distinct().order_by("pk"))
    plans = []
    for number, ward in enumerate(wards):
        share = len(range(number, clients, len(wards)))
        campaign = Campaign.objects.get(district_id=ward.district_id, is_open=True)
        households = eligible_households(ward, campaign, share * per_client)
        restock(campaign, ward, len(households))
        officer = User.objects.filter(ward=ward, role=User.Role.WARD_OFFICER).first()
        for n in range(share):
            cookie, csrf = login_cookie(officer)
            plans.append((cookie, csrf, campaign.pk, households[n::share]))
    return plans


def leader_cookies(count=LEADERS):
    leaders = list(User.objects.filter(role=User.Role.LEADER).order_by("pk"))
    return [login_cookie(leaders[n % len(leaders)])[0] for n in range(count)]


def pages(port):
    """Every kind of page through the balancer and PgBouncer, by the staff, an officer and a leader of one
    district: ``{url: (status, seconds)}``. The exports read their rows with ``iterator()``, which must not hold a
    cursor past its transaction on a pooled connection."""
    officer = User.objects.filter(role=User.Role.WARD_OFFICER).order_by("pk").first()
    district_id = officer.ward.district_id
    staff = User.objects.filter(district_id=district_id, role=User.Role.DISTRICT_STAFF).order_by("pk").first()
    leader = User.objects.filter(role=User.Role.LEADER).order_by("pk").first()
    household = officer.ward.households.order_by("pk").values_list("pk", flat=True).first()
    visits = {
        staff: [
            reverse("district:home"),
            reverse("district:households"),
            reverse("district:allocate"),
            reverse("district:export", args=["households"]),
            reverse("district:export", args=["donors"]),
        ],
        officer: [
            reverse("ward:home"),
            reverse("ward:households") + "?q=nguyen",
            reverse("ward:household", args=[household]),
            reverse("ward:signature_list"),
        ],
        leader: [reverse("leaders:dashboard"), reverse("leaders:export"), reverse("leaders:report")],
    }
    statuses = {}
    for user, urls in visits.items():
        headers = {"Cookie": login_cookie(user)[0], "X-Forwarded-Proto": "http"}
        for url in urls:
            started = time.monotonic()
            try:
                status, _, connection = _request(port, None, "GET", url, None, headers, timeout=PAGE_TIMEOUT)
                connection.close()
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
            statuses[url] = (status, round(time.monotonic() - started, 2))
    return statuses


def _request(port, connection, method, url, body, headers, timeout=30):
    """One request on the client's kept-alive connection; ``(status, body, connection)``, a new connection after
    a failure. Raises OSError or HTTPException when the request got no answer."""
    if connection is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, url, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), connection
    except (OSError, http.client.HTTPException):
        connection.close()
        raise


def hand_out_client(port, cookie, csrf, campaign, households, deadline, tally):
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
        "X-Forwarded-Proto": "http",
    }
    connection = None
    for pk in households:
        key = str(uuid.uuid4())
        body = urlencode({"campaign": campaign, "request_key": key, "csrfmiddlewaretoken": csrf})
        while True:
            if time.monotonic() > deadline:
                tally.unanswered.append(key)
                return
            started = time.monotonic()
            try:
                status, text, connection = _request(
                    port, connection, "POST", reverse("ward:hand_out", args=[pk]), body, headers
                )
            except (OSError, http.client.HTTPException) as error:
                connection = None
                tally.attempts.append((started, type(error).__name__, time.monotonic() - started))
                time.sleep(RETRY_PAUSE)
                continue
            took = time.monotonic() - started
            if status == 200 and b'class="done"' in text:
                tally.attempts.append((started, "ok", took))
                tally.acknowledged.append(key)
                break
            if status == 200 and b'class="errors"' in text:
                reason = re.search(rb'class="errors"[^>]*>([^<]*)<', text)
                tally.attempts.append((started, "refused", took))
                tally.refused.append((key, reason.group(1).decode() if reason else ""))
                break
            tally.attempts.append((started, f"http {status}", took))
            time.sleep(RETRY_PAUSE)


def leader_client(port, cookie, deadline, tally, pause=0.2):
    """A leader reloading the dashboard: every answer's status, and where its figures came from."""
    connection = None
    headers = {"Cookie": cookie, "X-Forwarded-Proto": "http"}
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, text, connection = _request(port, connection, "GET", reverse("leaders:dashboard"), None, headers)
        except (OSError, http.client.HTTPException) as error:
            connection = None
            tally.leader_reads.append((started, type(error).__name__, "", time.monotonic() - started))
        else:
            source = re.search(rb'data-read-source="(\w+)"', text)
            tally.leader_reads.append(
                (started, status, source.group(1).decode() if source else "primary", time.monotonic() - started)
            )
        time.sleep(pause)


def query(port, sql, args=()):
    """The first column of the first row of ``sql`` on the server at ``port``, on a connection of its own."""
    db = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="ansinh", connect_timeout=2)
    try:
        with db.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchone()[0]
    finally:
        db.close()


def lag_sampler(replica_port, deadline, tally, pause=0.5):
    """The replica's lag (relief/db_router.LAG_SQL, what the leaders' pages compare with their bound), or None
    while it does not answer."""
    while time.monotonic() < deadline:
        try:
            tally.lag.append((time.monotonic(), float(query(replica_port, LAG_SQL))))
        except psycopg2.Error:
            tally.lag.append((time.monotonic(), None))
        time.sleep(pause)


def run(port, seconds, *, plans, leaders=(), replica_port=None, events=()):
    """Run every client for ``seconds`` against ``port``; ``events`` are ``(after seconds, function)`` run meanwhile
    from this thread, each told the monotonic time it ran at. Returns the tally and the start time."""
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=hand_out_client, args=(port, cookie, csrf, campaign, households, deadline, tally))
        for cookie, csrf, campaign, households in plans
    ]
    threads += [threading.Thread(target=leader_client, args=(port, cookie, deadline, tally)) for cookie in leaders]
    if replica_port:
        threads.append(threading.Thread(target=lag_sampler, args=(replica_port, deadline, tally)))
    for thread in threads:
        thread.start()
    for after, event in sorted(events, key=lambda pair: pair[0]):
        time.sleep(max(0.0, started + after - time.monotonic()))
        event(time.monotonic())
    for thread in threads:
        thread.join()
    return tally, started, time.monotonic() - started


def summary(tally, seconds):
    """The figures of a run: rates, error counts, timings, what leaders saw, the replica's lag."""
    times = [took for _, outcome, took in tally.attempts if outcome == "ok"]
    leader_statuses = {}
    for _, status, source, _ in tally.leader_reads:
        key = f"{status} {source}".strip()
        leader_statuses[key] = leader_statuses.get(key, 0) + 1
    lags = [lag for _, lag in tally.lag if lag is not None]
    return {
        "seconds": round(seconds, 1),
        "hand_outs": len(tally.acknowledged),
        "hand_outs_per_second": round(len(tally.acknowledged) / seconds, 1),
        "refused": len(tally.refused),
        "refusal_reasons": sorted({reason for _, reason in tally.refused})[:5],
        "attempts": len(tally.attempts),
        "failed_attempts": len(tally.errors()),
        "error_rate": round(len(tally.errors()) / max(1, len(tally.attempts)), 4),
        "unanswered": len(tally.unanswered),
        "error_kinds": sorted({outcome for _, outcome, _ in tally.errors()}),
        **({"hand_out": timing(times)} if times else {}),
        "leader_reads": leader_statuses,
        "leader_read": timing([took for *_, took in tally.leader_reads]) if tally.leader_reads else {},
        "replica_lag_max_seconds": round(max(lags), 2) if lags else None,
        "replica_lag_samples": len(tally.lag),
        "replica_unanswered_samples": sum(1 for _, lag in tally.lag if lag is None),
    }
