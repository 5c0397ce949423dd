"""Server time of the leaders' dashboard and of household search, each interleaved with the bare baseline page.

Requests go through Django's test client in this process: the full middleware stack, the view, the queries and the
template, without a network in between, which is what "server time" means here. Each page request is followed by a
request to a bare page of a few KB, so a moment of noise on the machine hits both, and a page that is slow only
because it is large shows as slow.
"""

import time

from django.test import Client
from django.urls import reverse

from households.models import Household
from households.selectors import PAGE_SIZE
from relief import two_factor
from relief.models import User
from relief.text import fold

from .stats import timing
from .views import SMALL_PAGE_BYTES

REQUESTS = 50
WARM_UP = 3


def client_for(user):
    """A client past both steps of the login: the benchmarks time pages, not the second factor."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[two_factor.SESSION_KEY] = True
    session.save()
    return client


def _timed(fetch):
    started = time.perf_counter()
    size = fetch()
    return time.perf_counter() - started, size


def side_by_side(fetch, requests=REQUESTS, signed_in=None):
    """Time ``fetch`` (which returns the response size) and the bare page of a few KB, alternately; with
    ``signed_in`` (a client past the login), also that page behind the login, which reads the session and the user
    as every page of a signed-in person does."""
    baseline = Client(HTTP_HOST="127.0.0.1")
    url, bare = reverse("bench_baseline"), {"bytes": SMALL_PAGE_BYTES}
    behind_login = get(signed_in, reverse("bench_signed_in"), bare) if signed_in else None
    for _ in range(WARM_UP):
        fetch()
        baseline.get(url, bare)
        behind_login and behind_login()
    page_times, base_times, signed_in_times = [], [], []
    for _ in range(requests):
        seconds, size = _timed(fetch)
        page_times.append(seconds)
        started = time.perf_counter()
        base_size = len(baseline.get(url, bare).content)
        base_times.append(time.perf_counter() - started)
        if behind_login:
            signed_in_times.append(_timed(behind_login)[0])
    page, base = timing(page_times), timing(base_times)
    figure = {
        **page,
        "bytes": size,
        "baseline": {**base, "bytes": base_size},
        "ratio_median": round(page["median_ms"] / base["median_ms"], 2),
        "ratio_p95": round(page["p95_ms"] / base["p95_ms"], 2),
    }
    if signed_in_times:
        figure["signed_in_baseline"] = timing(signed_in_times)
        figure["ratio_p95_to_signed_in"] = round(page["p95_ms"] / figure["signed_in_baseline"]["p95_ms"], 2)
    return figure


def get(client, url, params=None):
    """A fetch for ``side_by_side``: GET the URL, insist on a 200, return the body's size."""

    def fetch():
        response = client.get(url, params or {})
        if response.status_code != 200:
            raise RuntimeError(f"{url} {params}: HTTP {response.status_code}")
        return len(response.content)

    return fetch


def dashboard_figures(city_leader, district_leader):
    """The dashboard of a leader over every unit, of the first organizing unit's leader, and that leader's drill-down
    to the unit's first receiving unit (on the two-tier city: the city's leader and one of its wards)."""
    url = reverse("leaders:dashboard")
    city, leader = client_for(city_leader), client_for(district_leader)
    ward = district_leader.district.wards.order_by("pk").first()
    return {
        "dashboard_city": side_by_side(get(city, url), signed_in=city),
        "dashboard_district": side_by_side(get(leader, url), signed_in=leader),
        "dashboard_ward": side_by_side(get(leader, reverse("leaders:ward", args=[ward.pk])), signed_in=leader),
    }


# Names as officers type them, without diacritics, tried in turn for one that the ward has none of.
ABSENT_NAMES = ["nguyen van an", "tran thi zung", "quach thi xuyen", "ong van ich"]
# The commonest family names, for a search that fills a page.
COMMON_NAMES = ["nguyen", "tran", "le", "pham"]


def _ward_matches(officer, text):
    return Household.objects.filter(ward=officer.ward).search(text).count()


def search_terms(officer):
    """``{kind: (text, households of the officer's ward it matches)}``: names that match none, a few (fewer than a
    page) and more than a page, then a whole CCCD and a whole phone number of the ward, as officers type them."""
    terms = {}
    absent = next((name for name in ABSENT_NAMES if _ward_matches(officer, name) == 0), None)
    if absent:
        terms["name_none"] = absent
    for name in Household.objects.filter(ward=officer.ward).order_by("pk").values_list("head_name", flat=True)[:200]:
        if 2 <= _ward_matches(officer, fold(name)) < PAGE_SIZE:
            terms["name_few"] = fold(name)
            break
    terms["name_page"] = next(name for name in COMMON_NAMES if _ward_matches(officer, name) >= PAGE_SIZE)
    sample = (
        Household.objects.filter(ward=officer.ward).exclude(national_id="").exclude(phone="").order_by("pk").first()
    )
    terms["cccd"], terms["phone"] = sample.national_id, sample.phone
    return {kind: (text, _ward_matches(officer, text)) for kind, text in terms.items()}


def search_figures(officer, staff):
    """The ward officer's register and the district staff's household list, searched as people type; each figure
    says how many of the ward's households its text matches."""
    ward_page, district_page = reverse("ward:households"), reverse("district:households")
    officer_client, staff_client = client_for(officer), client_for(staff)
    figures = {}
    for kind, (text, matches) in search_terms(officer).items():
        figures[f"search_ward_{kind}"] = {**side_by_side(get(officer_client, ward_page, {"q": text})), "q": text}
        figures[f"search_ward_{kind}"]["ward_matches"] = matches
        figures[f"search_district_{kind}"] = {**side_by_side(get(staff_client, district_page, {"q": text})), "q": text}
    return figures


def personas():
    """A city-wide leader (made for the run), a district's leader and staff, and one of its ward officers."""
    city_leader, _ = User.objects.get_or_create(username="bench.lanhdao.thanhpho", defaults={"role": User.Role.LEADER})
    district_leader = User.objects.filter(role=User.Role.LEADER, district__isnull=False).order_by("pk").first()
    staff = User.objects.filter(role=User.Role.DISTRICT_STAFF, district=district_leader.district).first()
    officer = User.objects.filter(role=User.Role.WARD_OFFICER, district=district_leader.district).order_by("pk").first()
    return city_leader, district_leader, staff, officer
