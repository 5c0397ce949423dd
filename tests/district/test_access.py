"""Who reaches the district pages: staff and administrators; officers and leaders are refused; strangers log in."""

import re

import pytest
from django.urls import reverse

from relief.services import ward_request_create

pytestmark = pytest.mark.django_db

# (url name, args, methods the page answers)
PAGES = [
    ("district:home", [], {"GET"}),
    ("district:allocate", [], {"GET", "POST"}),
    ("district:requests", [], {"GET"}),
    ("district:request_decide", ["request"], {"GET", "POST"}),
    ("district:households", [], {"GET"}),
    ("district:households_verify", [], {"POST"}),
    ("district:duplicates", [], {"GET"}),
    ("district:duplicates_resolve", [], {"POST"}),
    ("district:import_households", [], {"GET", "POST"}),
    ("district:import_households_confirm", [], {"POST"}),
    ("district:import_households_template", [], {"GET"}),
    ("district:import_donations", [], {"GET", "POST"}),
    ("district:import_donations_confirm", [], {"POST"}),
    ("district:import_donations_template", [], {"GET"}),
    ("district:export", ["donations"], {"GET"}),
    ("district:export", ["donors"], {"GET"}),
    ("district:export", ["households"], {"GET"}),
    ("district:export", ["handouts"], {"GET"}),
]
READABLE = [page for page in PAGES if "GET" in page[2]]


@pytest.fixture
def ward_request(funded_campaign, ward_a, officer_a):
    return ward_request_create(
        campaign=funded_campaign, ward=ward_a, quantity=3, reason="Thiếu túi cho hộ mới", created_by=officer_a
    )


def url_of(name, args, ward_request):
    return reverse(name, args=[ward_request.pk if arg == "request" else arg for arg in args])


def call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.mark.parametrize(("name", "args", "methods"), READABLE)
def test_district_staff_open_every_page_they_may_read(staff_client, ward_request, household_a, name, args, methods):
    response = staff_client.get(url_of(name, args, ward_request))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "args", "methods"), READABLE)
def test_an_administrator_opens_every_page_too(admin_client_, ward_request, name, args, methods):
    assert admin_client_.get(url_of(name, args, ward_request)).status_code == 200


@pytest.mark.parametrize(("name", "args", "methods"), PAGES)
@pytest.mark.parametrize("persona", ["officer_a_client", "leader_client"])
def test_officers_and_leaders_are_refused_every_page_and_action(request, ward_request, persona, name, args, methods):
    client = request.getfixturevalue(persona)
    for method in methods:
        assert call(client, method, url_of(name, args, ward_request)).status_code == 403


@pytest.mark.parametrize(("name", "args", "methods"), PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, ward_request, name, args, methods):
    for method in methods:
        response = call(client, method, url_of(name, args, ward_request))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "args", "methods"), PAGES)
def test_a_wrong_method_is_refused_with_405(staff_client, ward_request, name, args, methods):
    url = url_of(name, args, ward_request)
    for method in {"GET", "POST", "PUT", "DELETE"} - methods:
        response = getattr(staff_client, method.lower())(url)
        assert response.status_code == 405, (method, url)


def test_an_unknown_export_kind_is_not_found(staff_client):
    assert staff_client.get(reverse("district:export", args=["passwords"])).status_code == 404


def test_staff_of_another_district_cannot_open_a_request_of_this_one(other_staff_client, ward_request):
    url = reverse("district:request_decide", args=[ward_request.pk])
    assert other_staff_client.get(url).status_code == 404
    assert other_staff_client.post(url, {"decision": "approve"}).status_code == 404
    ward_request.refresh_from_db()
    assert ward_request.status == "waiting"


def test_staff_of_another_district_cannot_pick_this_districts_campaign(other_staff_client, funded_campaign):
    for name in ("district:home", "district:allocate", "district:requests"):
        assert other_staff_client.get(reverse(name), {"campaign": funded_campaign.pk}).status_code == 404


def test_staff_without_a_campaign_see_a_plain_explanation(other_staff_client):
    response = other_staff_client.get(reverse("district:allocate"))
    assert response.status_code == 200
    assert "Chưa có chương trình" in response.content.decode()


HTML_PAGES = [page for page in READABLE if not page[0].endswith("_template") and page[0] != "district:export"]


@pytest.mark.parametrize(("name", "args", "methods"), HTML_PAGES)
def test_no_page_carries_inline_script_or_event_handlers(staff_client, ward_request, household_a, name, args, methods):
    """A strict Content-Security-Policy comes later; these pages must already live without inline code."""
    page = staff_client.get(url_of(name, args, ward_request)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert "javascript:" not in page
