"""The leaders' dashboard on a hand-out day: its server time while 16 officers' clients hand out in the very
campaign the leader is looking at, beside a bare page of a few KB served by the same gunicorn.

Everything goes over HTTP to one gunicorn (4 workers x 4 threads, the bench settings, the cache at ``REDIS_URL``),
because that is where the cache must be shared: a drawing made by one worker is shown by the others. The leader's
requests alternate with the bare page's from one client, as ``bench.pages.side_by_side`` does in-process; the
hand-outs run from their own threads all the while, each client posting to the next waiting household of its ward.
"""

import datetime
import gzip
import http.client
import re
import threading
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from households.models import Household
from leaders.forms import DashboardFilterForm
from relief.models import Bag, User, Ward

from .load import free_port, gunicorn, login_cookie, plan_hand_outs
from .stats import timing
from .views import SMALL_PAGE_BYTES

CLIENTS = 16
WARDS = 4  # four clients per ward, as officers of one ward share its stock
POSTS_PER_CLIENT = 400  # more than a phase takes: each client stops when the leader's requests are done
REQUESTS = 150
WARM_UP_REQUESTS = 150  # the untimed run in a third district that warms the server up first
WARM_UP = 3
LOAD_GAP = 1.0  # seconds: hand-outs answered this close to the leader's last request count as a load to the end
SETTLE_SECONDS = 3  # hand-outs run this long before the first timed request: gunicorn's threads open connections


def campaign_shown(leader):
    """The campaign the leader's dashboard opens on, without a filter."""
    return DashboardFilterForm({}, user=leader).filters().campaign


def busiest_wards(campaign, count=WARDS):
    """The campaign's wards with the most stock, an officer, and approved households."""
    approved = Household.objects.filter(ward=OuterRef("pk"), status=Household.Status.APPROVED)
    officers = User.objects.filter(ward=OuterRef("pk"), role=User.Role.WARD_OFFICER)
    stock = Count("bags", filter=Q(bags__state=Bag.State.ALLOCATED, bags__campaign=campaign))
    wards = Ward.objects.filter(district_id=campaign.district_id).annotate(stock=stock)
    return list(wards.filter(Exists(approved), Exists(officers)).order_by("-stock")[:count])


def _hand_outs(port, cookie, posts, stop, times, statuses):
    """Post ``posts`` in turn until ``stop`` is set; a connection the server closed counts as an error and is opened
    again. ``times`` gets ``(when the answer came, seconds it took)``, ``statuses`` the status, or "refused" for an
    answer that refused the hand-out (a ward out of stock answers faster than a hand-out)."""
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for url, form in posts:
        if stop.is_set():
            break
        started = time.perf_counter()
        try:
            conn.request("POST", url, body=urlencode(form), headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            statuses.append(599)
            continue
        ended = time.perf_counter()
        times.append((ended, ended - started))
        statuses.append("refused" if b'class="errors"' in body else response.status)
    conn.close()


def _get(port, cookie, path):
    """``(seconds, bytes on the wire, body)`` of one GET asking gzip, as a browser does, on a new connection (gunicorn
    closes one left idle for two seconds, which a slow page next to it would otherwise trip over)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return seconds, len(body), body


def _oldest_chart_seconds(body):
    """How old the oldest chart's figures on the page are, from its "số liệu lúc hh:mm:ss" (local time)."""
    now = timezone.localtime()
    ages = []
    for stamp in re.findall(r"số liệu lúc (\d\d:\d\d:\d\d)", gzip.decompress(body).decode()):
        read = datetime.datetime.combine(now.date(), datetime.time.fromisoformat(stamp), now.tzinfo)
        ages.append((now - read).total_seconds() % 86400)
    return max(ages, default=0)


def dashboard_while_handing_out(port, leader, requests=REQUESTS):
    """One leader's dashboard, timed while ``CLIENTS`` clients hand out in the campaign it shows."""
    campaign = campaign_shown(leader)
    clients = plan_hand_outs(busiest_wards(campaign), POSTS_PER_CLIENT, clients=CLIENTS)
    cookie, _ = login_cookie(leader)
    connection.close()
    stop, times, statuses = threading.Event(), [], []
    threads = [
        threading.Thread(target=_hand_outs, args=(port, client_cookie, posts, stop, times, statuses))
        for client_cookie, _, posts in clients
    ]
    for thread in threads:
        thread.start()
    dashboard, baseline = reverse("leaders:dashboard"), reverse("bench_baseline") + f"?bytes={SMALL_PAGE_BYTES}"
    page_times, base_times, oldest = [], [], 0
    try:
        time.sleep(SETTLE_SECONDS)
        started, handed_out_before = time.perf_counter(), len(times)
        for number in range(WARM_UP + requests):
            seconds, size, body = _get(port, cookie, dashboard)
            base_seconds, base_size, _ = _get(port, cookie, baseline)
            if number >= WARM_UP:
                page_times.append(seconds)
                base_times.append(base_seconds)
                oldest = max(oldest, _oldest_chart_seconds(body))
        ended = time.perf_counter()
        elapsed, handed_out = ended - started, len(times) - handed_out_before
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    figure, base = timing(page_times), timing(base_times)
    return {
        **figure,
        "bytes_gzipped": size,
        "campaign": campaign.code,
        "hand_outs_per_second": round(handed_out / elapsed, 1),
        "hand_out_errors": sum(1 for status in statuses if status != "refused" and status >= 400),
        "hand_outs_refused": statuses.count("refused"),
        # The hand-outs went on until the leader's last request: a load that ran dry would time a quiet server.
        "load_to_the_end": any(answered >= ended - LOAD_GAP for answered, _ in times),
        "oldest_chart_figures_seconds": round(oldest),
        "baseline": {**base, "bytes_gzipped": base_size},
        "ratio_median": round(figure["median_ms"] / base["median_ms"], 2),
        "ratio_p95": round(figure["p95_ms"] / base["p95_ms"], 2),
    }


def busy_dashboard_figures(city_leader, district_leader, workers=4, threads=4):
    """The district leader's and the city leader's dashboards, each while its own campaign hands out, after the same
    load in a third district, untimed: a server that has just started serves its first seconds of hand-outs
    slower, which left the leader who came first a quieter server than the one who came second."""
    cache.clear()  # drawings of an earlier run's copy of the city must not be shown
    other = (
        User.objects.filter(role=User.Role.LEADER, district__isnull=False)
        .exclude(district__in=[district_leader.district_id, campaign_shown(city_leader).district_id])
        .order_by("pk")
        .first()
    )
    port = free_port()
    connection.close()
    with gunicorn(port, workers, threads):
        dashboard_while_handing_out(port, other, requests=WARM_UP_REQUESTS)
        return {
            "dashboard_district_busy": dashboard_while_handing_out(port, district_leader),
            "dashboard_city_busy": dashboard_while_handing_out(port, city_leader),
        }
