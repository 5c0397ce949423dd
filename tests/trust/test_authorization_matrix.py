"""Every URL the project serves, for every persona, by GET and POST, against an expected status written as data.

The URLs come from the resolver, the admin's included, so a URL added without a row here fails
``test_every_url_the_project_serves_is_in_the_matrix``. Arguments point at records of ward A or the district
(``world`` in conftest), so officer B must meet 404 (pages) or the admin's "does not exist" redirect (302).

A row is ``(GET, POST)``, each six statuses in the order of PERSONAS: anonymous, officer of ward A, officer of
ward B, district staff, leader, administrator.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLResolver, get_resolver, reverse

from households.models import Category, PersonalDataView
from relief.models import User
from tests.conftest import client_for, make_household, make_user
from tests.trust.conftest import form_body

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "A", "B", "S", "L", "X")

# url name → (statuses on GET, statuses on an empty POST)
PAGES = {
    "home": ("302 302 302 302 302 302", "405 405 405 405 405 405"),
    "login": ("200 302 302 302 302 302", "200 302 302 302 302 302"),
    "logout": ("405 405 405 405 405 405", "302 302 302 302 302 302"),
    "account": ("302 200 200 200 200 200", "405 405 405 405 405 405"),
    "log_out_everywhere": ("405 405 405 405 405 405", "302 302 302 302 302 302"),
    "password_change": ("302 200 200 200 200 200", "302 200 200 200 200 200"),
    # Every persona here has passed the second step (``sign_in``), so the code page sends them on.
    "two_factor_verify": ("302 302 302 302 302 302", "302 302 302 302 302 302"),
    "two_factor_enrol": ("302 200 200 200 200 200", "302 200 200 200 200 200"),
    "set_language": ("302 302 302 302 302 302", "302 302 302 302 302 302"),
    # The ward's pages: officers only, and only their own ward's records.
    "ward:home": ("302 200 200 403 403 403", "302 405 405 403 403 403"),
    "ward:households": ("302 200 200 403 403 403", "302 405 405 403 403 403"),
    "ward:household_create": ("302 200 200 403 403 403", "302 200 200 403 403 403"),
    "ward:household": ("302 200 404 403 403 403", "302 405 405 403 403 403"),
    "ward:household_reveal": ("302 405 405 403 403 403", "302 302 404 403 403 403"),
    "ward:household_edit": ("302 200 404 403 403 403", "302 200 404 403 403 403"),
    "ward:hand_out": ("302 405 405 403 403 403", "302 302 404 403 403 403"),
    "ward:queue": ("302 200 200 403 403 403", "302 405 405 403 403 403"),
    # The queue's scanner: a search by a scanned CCCD, so each officer's own ward only (the next test).
    "ward:scan": ("302 405 405 403 403 403", "302 200 200 403 403 403"),
    "ward:cancel_hand_out": ("302 200 404 403 403 403", "302 200 404 403 403 403"),
    "ward:bag": ("302 200 404 403 403 403", "302 405 405 403 403 403"),
    "ward:requests": ("302 200 200 403 403 403", "302 200 200 403 403 403"),
    "ward:request": ("302 200 404 403 403 403", "302 405 405 403 403 403"),
    "ward:signature_list": ("302 200 200 403 403 403", "302 405 405 403 403 403"),
    "ward:write_offs": ("302 200 200 403 403 403", "302 200 200 403 403 403"),
    "ward:missed_reports": ("302 200 200 403 403 403", "302 200 200 403 403 403"),
    "ward:missed_report": ("302 200 404 403 403 403", "302 200 404 403 403 403"),
    "ward_import:households": ("302 200 200 403 403 403", "302 200 200 403 403 403"),
    "ward_import:confirm": ("302 405 405 403 403 403", "302 302 302 403 403 403"),
    "ward_import:rejected": ("302 302 302 403 403 403", "302 405 405 403 403 403"),
    "ward_import:template": ("302 200 200 403 403 403", "302 405 405 403 403 403"),
    "ward_import:progress": ("302 200 200 403 403 403", "302 405 405 403 403 403"),
    "ward_import:job": ("302 404 404 403 403 403", "302 405 405 403 403 403"),
    "ward_import:job_again": ("302 405 405 403 403 403", "302 404 404 403 403 403"),
    "ward:missed_report_reveal": ("302 405 405 403 403 403", "302 302 404 403 403 403"),
    # Money: district staff and administrators.
    "money:index": ("302 403 403 302 403 302", "405 405 405 405 405 405"),
    "money:donation_list": ("302 403 403 200 403 200", "405 405 405 405 405 405"),
    "money:donation_new": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "money:amount_preview": ("302 403 403 200 403 200", "405 405 405 405 405 405"),
    "money:receipt": ("302 403 403 200 403 200", "405 405 405 405 405 405"),
    "money:donation_reverse": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "money:donor_list": ("302 403 403 200 403 200", "405 405 405 405 405 405"),
    "money:donor_search": ("302 403 403 200 403 200", "405 405 405 405 405 405"),
    "money:donor_detail": ("302 403 403 200 403 200", "405 405 405 405 405 405"),
    "money:campaign_overview": ("302 403 403 200 403 200", "405 405 405 405 405 405"),
    # The district's pages, imports and exports: district staff and administrators.
    "district:home": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:allocate": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "district:requests": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:request_decide": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "district:recalls": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "district:labels": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:missed_reports": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "district:missed_report_route": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:write_offs": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:write_off_decision": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:households": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:household": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:households_verify": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:duplicates": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:duplicates_resolve": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:import_households": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "district:import_households_confirm": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:import_households_ward": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:import_households_mapping": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:import_households_progress": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:import_households_categories": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:import_households_rejected": ("302 403 403 302 403 302", "302 403 403 405 403 405"),
    "district:import_job": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:import_job_again": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:import_households_template": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:import_donations": ("302 403 403 200 403 200", "302 403 403 200 403 200"),
    "district:import_donations_confirm": ("302 403 403 405 403 405", "302 403 403 302 403 302"),
    "district:import_donations_template": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    "district:export": ("302 403 403 200 403 200", "302 403 403 405 403 405"),
    # Leaders: totals only; district staff and administrators may look too.
    "leaders:dashboard": ("302 403 403 200 200 200", "302 405 405 405 405 405"),
    "leaders:ward": ("302 403 403 200 200 200", "302 405 405 405 405 405"),
    "leaders:export": ("302 403 403 200 200 200", "302 405 405 405 405 405"),
    "leaders:report": ("302 403 403 200 200 200", "302 405 405 405 405 405"),
    # The public disclosure: everyone, read only.
    "public:index": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "public:receipt_check": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "public:campaign": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    # Anyone may report someone the lists missed; an empty report is the form again, with what is missing.
    "public:report_missed": ("200 200 200 200 200 200", "200 200 200 200 200 200"),
    "public:report_status": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    # The admin's own pages beside the per-model ones generated below (POST is Django's business there).
    "admin:index": ("302 200 200 200 200 200", None),
    "admin:login": ("200 302 302 302 302 302", None),
    "admin:logout": ("302 405 405 405 405 405", None),
    "admin:password_change": ("302 200 200 200 200 200", None),
    "admin:password_change_done": ("302 200 200 200 200 200", None),
    "admin:jsi18n": ("302 200 200 200 200 200", None),
    "admin:autocomplete": ("302 403 403 403 403 403", None),
    "admin:view_on_site": ("302 404 404 404 404 404", None),
    "admin:app_list": ("302 200 200 200 200 200", None),
    "admin:households_household_import": ("302 403 403 403 403 200", None),
    "admin:households_household_reveal": ("302 405 405 405 405 405", "302 403 403 403 403 400"),
    "admin:households_household_process_import": ("302 405 405 405 405 405", None),
    "admin:households_household_export": ("302 403 403 403 403 200", None),
    "admin:donations_donor_import": ("302 403 403 200 403 200", None),
    "admin:donations_donor_process_import": ("302 405 405 405 405 405", None),
    "admin:donations_donor_export": ("302 403 403 200 403 200", None),
    "admin:donations_donation_export": ("302 403 403 200 200 200", None),
    "admin:auth_user_password_change": ("302 403 403 403 403 200", None),
}

# Registered model → GET statuses of (changelist, add, change, history, delete) for ward A's or the district's record.
ADMIN_MODELS = {
    "auth.group": ("302 403 403 403 403 200",) * 5,
    "axes.accessattempt": tuple("302 403 403 403 403 " + x for x in ("200", "403", "200", "200", "200")),
    "axes.accesslog": tuple("302 403 403 403 403 " + x for x in ("200", "403", "200", "200", "200")),
    "axes.accessfailurelog": tuple("302 403 403 403 403 " + x for x in ("200", "403", "200", "200", "200")),
    "relief.district": ("302 403 403 200 200 200", "302 403 403 403 403 200", "302 403 403 200 200 200",
                        "302 403 403 200 200 200", "302 403 403 403 403 200"),
    "relief.ward": ("302 403 403 200 200 200", "302 403 403 403 403 200", "302 403 403 200 200 200",
                    "302 403 302 200 200 200", "302 403 403 403 403 200"),
    "relief.user": ("302 403 403 403 403 200",) * 5,
    "relief.campaign": ("302 200 200 200 200 200", "302 403 403 403 403 200", "302 200 200 200 200 200",
                        "302 200 200 200 200 200", "302 403 403 403 403 200"),
    "relief.bag": ("302 200 200 200 200 200", "302 403 403 403 403 403", "302 200 302 200 200 200",
                   "302 200 302 200 200 200", "302 403 403 403 403 403"),
    "relief.allocation": ("302 403 403 200 200 200", "302 403 403 200 403 200", "302 403 403 200 200 200",
                          "302 403 403 200 200 200", "302 403 403 403 403 403"),
    "relief.wardrequest": ("302 200 200 200 200 200", "302 403 403 403 403 403", "302 200 302 200 200 200",
                           "302 200 302 200 200 200", "302 403 403 403 403 403"),
    "relief.distribution": ("302 200 200 200 200 200", "302 403 403 403 403 403", "302 200 302 200 200 200",
                            "302 200 302 200 200 200", "302 403 403 403 403 403"),
    "households.category": ("302 200 200 200 200 200", "302 403 403 403 403 200", "302 200 200 200 200 200",
                            "302 200 200 200 200 200", "302 403 403 403 403 200"),
    "households.household": ("302 403 403 403 403 200", "302 403 403 403 403 200", "302 403 403 403 403 200",
                             "302 403 302 403 403 200", "302 403 403 403 403 200"),
    "households.personaldataview": ("302 403 403 403 403 200", "302 403 403 403 403 403", "302 403 403 403 403 200",
                                    "302 403 403 403 403 200", "302 403 403 403 403 403"),
    "donations.donor": ("302 403 403 200 403 200", "302 403 403 200 403 200", "302 403 403 200 403 200",
                        "302 302 302 200 403 200", "302 403 403 403 403 200"),
    "donations.donation": ("302 403 403 200 200 200", "302 403 403 200 403 200", "302 403 403 200 200 200",
                        "302 302 302 200 200 200", "302 403 403 403 403 403"),
    "donations.bagfunding": ("302 403 403 200 403 200", "302 403 403 403 403 403", "302 403 403 200 403 200",
                             "302 302 302 200 403 200", "302 403 403 403 403 403"),
}  # fmt: skip
ADMIN_ACTIONS = ("changelist", "add", "change", "history", "delete")


def walk(patterns, namespace=None, prefix=""):
    """Yield (key, route) for every URL pattern; the key is the URL name, or the route for an unnamed pattern."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, route)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route, route


def admin_model_keys():
    """The URLs each registered ModelAdmin serves and the generated check covers."""
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        yield from (f"admin:{app}_{name}_{action}" for action in ADMIN_ACTIONS)
        yield f"admin:{app}_{name}_simple_history"  # one old version, checked by test_admin_history_versions_…
        yield f"admin/{app}/{name}/<path:object_id>/"  # Django's redirect to the change page


def record_of(world, label):
    records = {
        "households.household": world["household"],
        "relief.distribution": world["distribution"],
        "relief.bag": world["bag"],
        "relief.wardrequest": world["ward_request"],
        "relief.allocation": world["allocation"],
        "donations.donation": world["donation"],
        "donations.donor": world["donor"],
        "donations.bagfunding": world["funding"],
        "relief.campaign": world["campaign"],
        "relief.ward": world["ward"],
        "relief.district": world["ward"].district,
        "relief.user": world["officer"],
        "households.category": Category.objects.first(),
        "auth.group": Group.objects.first(),
    }
    if label == "households.personaldataview":
        return PersonalDataView.objects.create(household=world["household"], viewer=world["officer"], field="phone")
    axes_row = {"username": "x", "ip_address": "10.0.0.1", "http_accept": "", "path_info": ""}
    if label == "axes.accessattempt":
        return AccessAttempt.objects.create(**axes_row, failures_since_start=1, get_data="", post_data="")
    if label == "axes.accesslog":
        return AccessLog.objects.create(**axes_row)
    if label == "axes.accessfailurelog":
        return AccessFailureLog.objects.create(**axes_row, locked_out=False)
    return records[label]


def kwargs_for(name, world):
    """URL arguments: ward A's or the district's record for each page that takes one."""
    by_household = {"pk": world["household"].pk}
    by_donation = {"pk": world["donation"].pk}
    by_import_job = {"pk": world["import_job"].pk}
    return {
        "ward:household": by_household,
        "ward:household_edit": by_household,
        "ward:household_reveal": by_household,
        "ward:hand_out": by_household,
        "ward:cancel_hand_out": {"pk": world["distribution"].pk},
        "ward:bag": {"pk": world["bag"].pk},
        "ward:request": {"pk": world["ward_request"].pk},
        "money:receipt": by_donation,
        "money:donation_reverse": by_donation,
        "money:donor_detail": {"pk": world["donor"].pk},
        "money:campaign_overview": {"pk": world["campaign"].pk},
        "district:request_decide": {"pk": world["ward_request"].pk},
        "district:write_off_decision": {"pk": world["write_off"].pk},
        "ward:missed_report": {"pk": world["report"].pk},
        "ward:missed_report_reveal": {"pk": world["report"].pk},
        "district:missed_report_route": {"pk": world["report"].pk},
        "district:household": by_household,
        "district:export": {"kind": "households"},
        "district:import_job": by_import_job,
        "district:import_job_again": by_import_job,
        "ward_import:job": by_import_job,
        "ward_import:progress": {"key": "0b7f6a1e-1b8c-4c7e-9d2a-5f3e2a1b0c9d"},
        "district:import_households_progress": {"key": "0b7f6a1e-1b8c-4c7e-9d2a-5f3e2a1b0c9d"},
        "ward_import:job_again": by_import_job,
        "leaders:ward": {"pk": world["ward"].pk},
        "public:campaign": {"code": world["campaign"].code},
        "public:report_missed": {"code": world["campaign"].code},
        "admin:view_on_site": {"content_type_id": 999, "object_id": world["household"].pk},
        "admin:app_list": {"app_label": "households"},
        "admin:auth_user_password_change": {"id": world["officer"].pk},
        "admin:households_household_reveal": {"object_id": world["household"].pk},
    }.get(name, {})


def statuses(personas, method, url):
    return " ".join(
        str((personas[p].get(url) if method == "GET" else personas[p].post(url, {})).status_code) for p in PERSONAS
    )


def test_every_url_the_project_serves_is_in_the_matrix():
    served = {key for key, _ in walk(get_resolver().url_patterns)}
    covered = set(PAGES) | set(admin_model_keys()) | {"admin/(?P<url>.*)$"}  # the admin's catch-all 404
    assert served - covered == set(), "add these URLs to the authorization matrix"
    assert set(PAGES) - served == set(), "the matrix names URLs that no longer exist"
    assert set(ADMIN_MODELS) == {model._meta.label_lower for model in admin.site._registry}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_persona_gets_the_expected_status_on_every_page(world, personas, name):
    url = reverse(name, kwargs=kwargs_for(name, world))
    expected_get, expected_post = PAGES[name]
    assert statuses(personas, "GET", url) == expected_get
    if expected_post is not None:
        assert statuses(personas, "POST", url) == expected_post


@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_each_persona_gets_the_expected_status_on_every_admin_page_of_every_model(world, personas, label):
    app, name = label.split(".")
    record = record_of(world, label)
    tables = snapshot_tables()
    before = snapshot(tables)
    for action, expected in zip(ADMIN_ACTIONS, ADMIN_MODELS[label], strict=True):
        args = [record.pk] if action in {"change", "history", "delete"} else []
        assert (action, statuses(personas, "GET", reverse(f"admin:{app}_{name}_{action}", args=args))) == (
            action,
            expected,
        )
    assert snapshot(tables) == before, "a GET wrote"  # the other admin views' GETs: see the write matrix below


@pytest.mark.parametrize("label", ["households.household", "relief.distribution", "relief.wardrequest"])
def test_a_change_posted_through_the_admin_by_another_wards_officer_changes_nothing(world, personas, label):
    app, name = label.split(".")
    record = record_of(world, label)
    before = record.history.count()
    response = personas["B"].post(reverse(f"admin:{app}_{name}_change", args=[record.pk]), {"head_name": "X"})
    assert response.status_code in {302, 403}
    assert record.history.count() == before


@pytest.mark.parametrize("label", ["relief.distribution", "relief.wardrequest", "relief.bag"])
def test_admin_history_versions_of_ward_a_are_closed_to_the_officer_of_ward_b(world, personas, label):
    app, name = label.split(".")
    record = record_of(world, label)
    version = record.history.latest("history_date")
    url = reverse(f"admin:{app}_{name}_simple_history", args=[record.pk, version.history_id])
    assert personas["A"].get(url).status_code == 200
    assert personas["B"].get(url).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:relief_distribution_changelist") + "?q=Nguyễn",
        reverse("ward:households"),
        reverse("ward:signature_list"),
    ],
)
def test_no_list_search_or_export_shows_ward_a_to_the_officer_of_ward_b(world, personas, url):
    response = personas["B"].get(url)
    assert response.status_code == 200
    assert "Nguyễn Văn An" not in response.content.decode()
    assert "Nguyễn Văn An" in personas["A"].get(url).content.decode()


def test_a_scan_by_the_officer_of_ward_b_finds_nothing_of_ward_a(world, personas):
    household = world["household"]
    code = f"{household.national_id}||{household.head_name}|15031981|Nam|{household.address}|20042021"
    response = personas["B"].post(reverse("ward:scan"), {"code": code})
    assert response.status_code == 200 and "Số CCCD này đã đăng ký ở nơi khác." in response.content.decode()
    assert f'id="hh-{household.pk}"' not in response.content.decode()
    assert f'id="hh-{household.pk}"' in personas["A"].post(reverse("ward:scan"), {"code": code}).content.decode()


# --- Writes through the admin ----------------------------------------------------------------------------------
#
# Every URL of every registered ModelAdmin, for every persona, by GET and by a POST whose body is *valid* (built
# from the administrator's own form for that record): nothing in the database may change unless the persona may
# change that record in its scope. A write is seen in a snapshot of the project's tables (one query per table,
# a checksum of its rows), taken inside a savepoint that is rolled back after each request.

# Registered model → {admin view: personas whose POST writes}; a view not named writes for nobody, and no GET
# writes. Administrators (X) keep the admin's full power over users, places and campaigns; district staff (S) add
# and correct their own district's donors, record donations and allocate bags (through the services); staff of
# another district (O) change none of it, and a donor they add is their own district's. Deletes that nothing
# protects are the administrators' alone; a history version writes for nobody.
EVERYTHING = {"add": "X", "change": "X", "delete": "X", "changelist:delete_selected": "X"}
AXES_ROW = {"change": "X", "delete": "X", "changelist:delete_selected": "X"}
ADMIN_WRITES = {
    "auth.group": EVERYTHING,
    "axes.accessattempt": AXES_ROW,
    "axes.accessfailurelog": AXES_ROW,
    "axes.accesslog": AXES_ROW,
    "households.category": EVERYTHING,
    "relief.district": {"add": "X", "change": "X"},  # its wards and campaigns protect it from deletion
    "relief.ward": {"add": "X", "change": "X"},
    "relief.user": {
        "add": "X",
        "change": "X",
        "password_change": "X",
        "changelist:reset_two_factor": "X",
    },  # a user who recorded work stays
    "relief.campaign": {"add": "X", "change": "X"},
    "households.household": {"add": "X", "change": "X", "process_import": "X", "reveal": "X"},
    "donations.donor": {"add": "SX", "change": "SX", "process_import": "SX"},
    "donations.donation": {"add": "SX"},
    "relief.allocation": {"add": "SX"},  # through allocation_create, within the staff's district
}
# What each admin URL of a model is, so a view added to an admin without a kind here fails the matrix.
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history", "simple_history", "import", "process_import",
               "export", "reveal", "password_change")  # fmt: skip
# django-axes' "clean up expired attempts" raises on any request that did not pass its login handler (it reads
# ``request.axes_attempt_time``): a fault of the library, administrators only, that deletes nothing.
UPSTREAM_FAULTS = {"cleanup_expired_attempts"}
PERSONAL = {"national_id", "phone"}  # numbers with their own format checks: the import changes a name instead
SNAPSHOT_APPS = {"relief", "households", "donations", "auth", "admin", "axes"}


def snapshot_tables():
    models = apps.get_models(include_auto_created=True)
    return sorted({model._meta.db_table for model in models if model._meta.app_label in SNAPSHOT_APPS})


def snapshot(tables):
    """``{table: checksum of its rows}``, one query per table; rows are sorted, so order does not matter."""
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            state[table] = hash(tuple(sorted(map(repr, cursor.fetchall()))))
    return state


def tables_written(client, method, url, body, tables, before):
    """The tables a request changed; the request's writes are rolled back afterwards."""
    point = transaction.savepoint()
    try:
        if method == "GET":
            client.get(url)
        else:
            client.post(url, body() if callable(body) else body)
        after = snapshot(tables)
        return sorted(table for table in tables if after[table] != before[table])
    finally:
        transaction.savepoint_rollback(point)


def admin_view_names(model_admin):
    """The kind of each named URL of a ModelAdmin: the name's ending (the user admin names one after auth_user)."""
    kinds = sorted(ADMIN_VIEWS, key=len, reverse=True)
    names = [pattern.name for pattern in model_admin.get_urls() if pattern.name]
    return [next((kind for kind in kinds if name.endswith(f"_{kind}")), name) for name in names]


def import_file(model_admin, record, administrator):
    """A CSV of ``record`` as its import resource exports it, with one text column changed so the import writes."""
    resource = model_admin.get_import_resource_classes(None)[0](user=administrator)
    dataset = resource.export(queryset=type(record).objects.filter(pk=record.pk))
    fields = record._meta._forward_fields_map
    for field in resource.get_import_fields():
        model_field = fields.get(field.attribute)
        plain = model_field is not None and model_field.get_internal_type() == "CharField"
        if plain and not model_field.choices and not model_field.unique and field.attribute not in PERSONAL:
            column = dataset.headers.index(field.column_name)
            dataset[0] = tuple(f"{v} sửa" if i == column else v for i, v in enumerate(dataset[0]))
            break
    return dataset.export("csv")


def format_choice(form, title):
    return next(value for value, label in form.fields["format"].choices if label == title)


def admin_bodies(model_admin, record, personas, administrator):
    """``{(view, url): body or body factory}`` for every POST the matrix sends to this model's admin."""
    opts = model_admin.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    admin_client = personas["X"]
    change_url = reverse(f"{name}_change", args=[record.pk])
    change_body = {**form_body(admin_client.get(change_url)), "_save": "Lưu"}
    add_url = reverse(f"{name}_add")
    add_body = {**form_body(admin_client.get(add_url), instance=record), "_save": "Lưu"}
    add_body.update(password1="Mat-khau-moi-2021!", password2="Mat-khau-moi-2021!")
    if "quantity" in add_body:
        add_body["quantity"] = "1"  # a copy of an allocation asks for one bag, which the district still has
    for field in opts.concrete_fields:
        if field.unique and isinstance(add_body.get(field.name), str):
            add_body[field.name] += "2"
    views = admin_view_names(model_admin)
    bodies = {("add", add_url): add_body, ("change", change_url): change_body}
    bodies[("delete", reverse(f"{name}_delete", args=[record.pk]))] = {"post": "yes"}
    bodies[("history", reverse(f"{name}_history", args=[record.pk]))] = {}
    for action in model_admin.get_actions(admin_client.get(reverse(f"{name}_changelist")).wsgi_request):
        if action in UPSTREAM_FAULTS:
            continue
        body = {"action": action, "_selected_action": [str(record.pk)], "index": "0", "post": "yes"}
        bodies[(f"changelist:{action}", reverse(f"{name}_changelist"))] = body
    if "simple_history" in views:
        version = record.history.earliest("history_date")
        url = reverse(f"{name}_simple_history", args=[record.pk, version.history_id])
        bodies[("simple_history", url)] = {**form_body(admin_client.get(url)), "_save": "Lưu"}
    if "import" in views:
        import_url = reverse(f"{name}_import")
        csv_text = import_file(model_admin, record, administrator)
        choice = format_choice(admin_client.get(import_url).context["form"], "csv")

        def preview_body():
            upload = SimpleUploadedFile("danh-sach.csv", csv_text.encode(), content_type="text/csv")
            return {"import_file": upload, "format": choice, "resource": "0"}

        def confirm_body():
            preview = admin_client.post(import_url, preview_body())
            return {key: str(value) for key, value in preview.context["confirm_form"].initial.items()}

        bodies[("import", import_url)] = preview_body
        bodies[("process_import", reverse(f"{name}_process_import"))] = confirm_body
    if "export" in views:
        url = reverse(f"{name}_export")
        form = admin_client.get(url).context["form"]
        ticked = {name: "on" for name, field in form.fields.items() if field.widget.input_type == "checkbox"}
        bodies[("export", url)] = {**ticked, "format": format_choice(form, "csv"), "resource": "0"}
    if "reveal" in views:
        bodies[("reveal", reverse(f"{name}_reveal", args=[record.pk]))] = {"field": "phone"}
    if "password_change" in views:
        password = "Mat-khau-moi-2021!"
        bodies[("password_change", reverse("admin:auth_user_password_change", args=[record.pk]))] = {
            "password1": password,
            "password2": password,
        }
    return bodies


def test_every_admin_view_has_a_place_in_the_write_matrix():
    for model_admin in admin.site._registry.values():
        unknown = set(admin_view_names(model_admin)) - set(ADMIN_VIEWS)
        assert unknown == set(), f"{type(model_admin).__name__}: add these admin views to the write matrix"
    assert set(ADMIN_WRITES) <= {model._meta.label_lower for model in admin.site._registry}


@pytest.fixture
def writers(personas, other_district):
    """The personas, and staff of another district (O): the records all belong to the first district."""
    outsider = make_user("canbo_quan_khac", User.Role.DISTRICT_STAFF, district=other_district)
    return {**personas, "O": client_for(outsider)}


@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_no_admin_url_writes_unless_the_persona_may_change_that_record(world, writers, administrator, label):
    personas = writers
    model_admin = next(m for model, m in admin.site._registry.items() if model._meta.label_lower == label)
    record = record_of(world, label)
    bodies = admin_bodies(model_admin, record, personas, administrator)
    tables = snapshot_tables()
    before = snapshot(tables)
    seen = {}
    for (view, url), body in bodies.items():
        if view not in ADMIN_ACTIONS and not view.startswith("changelist:"):  # those GETs: the status test above
            for persona in personas.values():
                persona.get(url)
            assert snapshot(tables) == before, f"a GET of {view} wrote"
        for persona in personas:
            if tables_written(personas[persona], "POST", url, body, tables, before):
                seen[view] = seen.get(view, "") + persona
    assert seen == ADMIN_WRITES.get(label, {})


# --- Levels: today's two tiers ------------------------------------------------------------------------------------
#
# The same rule at every level (``two_tier`` in conftest): a city with a campaign over its wards, a ward under it
# running its own campaign over Khu phố 1 and 2, and another city. Each row is a page pointed at one record, and the
# statuses of, in order: the officer of Khu phố 1, the officer of Khu phố 2, the ward's staff, the ward's leader,
# the city's staff, the city's leader, the other city's leader. A neighbourhood officer sees only that neighbourhood;
# a city leader sees every unit under the city and nothing of another city; city staff act on the city's own.
LEVEL_PERSONAS = (
    "officer_kp1",
    "officer_kp2",
    "ward_staff",
    "ward_leader",
    "city_staff",
    "city_leader",
    "other_leader",
)
LEVEL_PAGES = [
    ("ward:household", "household_kp1", "200 404 403 403 403 403 403"),
    ("leaders:ward", "kp1", "403 403 200 200 404 200 404"),
    ("leaders:ward", "city_ward", "403 403 404 404 200 200 404"),
    ("leaders:ward", "other_thon", "403 403 404 404 404 404 200"),
    ("money:campaign_overview", "ward_campaign", "403 403 200 403 404 403 403"),
    ("money:campaign_overview", "city_campaign", "403 403 404 403 200 403 403"),
]


@pytest.mark.parametrize(("name", "record", "expected"), LEVEL_PAGES)
def test_each_level_s_persona_gets_the_expected_status_on_the_units_pages(two_tier, name, record, expected):
    records = {"household_kp1": make_household(two_tier.kp1, "Lê Thị Một"), **vars(two_tier)}
    url = reverse(name, kwargs={"pk": records[record].pk})
    got = " ".join(str(client_for(getattr(two_tier, p)).get(url).status_code) for p in LEVEL_PERSONAS)
    assert got == expected
