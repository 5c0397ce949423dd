"""The SQL query count of every page, for the same personas on whatever database is configured.

Run in-process on the city, and through ``main`` in a child process (printing JSON) on the demo database, so the
bench can compare the two: a page whose count grows with the data has a query in a loop.
"""

import json

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Household
from relief.models import Campaign, User

from .pages import client_for


def _plain_household(ward):
    """The ward's first household that shares no number with another of its district: a household whose number
    matches another's also records that the match was shown (two queries more, however large the city), and the
    city has such pairs where the demo's first household has none, so the two counts would differ by the case, not
    by a loop."""
    others = Household.objects.filter(ward__district_id=ward.district_id).exclude(pk=OuterRef("pk"))
    same_id = others.filter(national_id=OuterRef("national_id")).exclude(national_id="")
    same_phone = others.filter(phone=OuterRef("phone")).exclude(phone="")
    return (
        Household.objects.filter(ward=ward).exclude(Exists(same_id)).exclude(Exists(same_phone)).order_by("pk").first()
    )


def pages(leader, officer, staff):
    """``{name: (user, url, params)}``: the pages of leaders, ward officers, district staff and the public with data
    behind them."""
    ward = officer.ward
    household = _plain_household(ward)
    campaign = Campaign.objects.filter(district_id=ward.district_id).order_by("pk").first()
    return {
        "leaders:dashboard": (leader, reverse("leaders:dashboard"), {}),
        "leaders:ward": (leader, reverse("leaders:ward", args=[ward.pk]), {}),
        "leaders:report": (leader, reverse("leaders:report"), {}),
        "ward:home": (officer, reverse("ward:home"), {}),
        "ward:households": (officer, reverse("ward:households"), {}),
        "ward:households?q": (officer, reverse("ward:households"), {"q": "nguyen"}),
        "ward:household": (officer, reverse("ward:household", args=[household.pk]), {}),
        "ward:queue?q": (officer, reverse("ward:queue"), {"q": "nguyen"}),
        "ward:requests": (officer, reverse("ward:requests"), {}),
        "ward:signature_list": (officer, reverse("ward:signature_list"), {}),
        "district:households": (staff, reverse("district:households"), {}),
        "district:households?q": (staff, reverse("district:households"), {"q": "nguyen"}),
        "public:index": (None, reverse("public:index"), {}),
        "public:campaign": (None, reverse("public:campaign", args=[campaign.code]), {}),
    }


def personas():
    """The first district's leader, its first officer and its first staff: the same roles on any data set."""
    leader = User.objects.filter(role=User.Role.LEADER, district__isnull=False).order_by("pk").first()
    officer = User.objects.filter(role=User.Role.WARD_OFFICER, district=leader.district).order_by("pk").first()
    staff = User.objects.filter(role=User.Role.DISTRICT_STAFF, district=leader.district).order_by("pk").first()
    return leader, officer, staff


def page_counts():
    """``{page: queries}`` for one request of each page, after a first request has warmed the session, with an
    empty cache."""
    counts = {}
    clients = {}
    for name, (user, url, params) in pages(*personas()).items():
        if user not in clients:
            clients[user] = client_for(user) if user else Client(HTTP_HOST="127.0.0.1")
        client = clients[user]
        client.get(url, params)
        cache.clear()  # the leaders' pages with their charts' figures read, not their kept drawings
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url, params).status_code
        if status != 200:
            raise RuntimeError(f"{name}: HTTP {status}")
        counts[name] = len(queries)
    return counts


def main():
    """Print the counts as JSON: how the bench reads them from a process on another database."""
    print(json.dumps(page_counts()))
