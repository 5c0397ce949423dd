"""Nothing served to a signed-in person may be kept by a browser's or a proxy's cache: every URL of the
authorization matrix, for every signed-in persona, by GET and by POST, whatever the status, says ``no-store``.

The URLs are the matrix's own (``PAGES`` and every registered admin model's pages), so a URL the matrix gains is
checked here too; the public disclosure a visitor sees stays cacheable.
"""

import pytest
from django.urls import reverse

from tests.trust.test_authorization_matrix import ADMIN_ACTIONS, ADMIN_MODELS, PAGES, kwargs_for, record_of

pytestmark = pytest.mark.django_db

SIGNED_IN = ("A", "B", "S", "L", "X")


def cached_responses(personas, url, methods):
    """``[(persona, method, status)]`` of every response to ``url`` that does not forbid storing it."""
    found = []
    for persona in SIGNED_IN:
        for method in methods:
            client = personas[persona]
            response = client.get(url) if method == "GET" else client.post(url, {})
            if "no-store" not in response.headers.get("Cache-Control", ""):
                found.append((persona, method, response.status_code))
    return found


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_page_served_to_a_signed_in_person_may_be_stored(world, personas, name):
    url = reverse(name, kwargs=kwargs_for(name, world))
    methods = ("GET",) if PAGES[name][1] is None else ("GET", "POST")
    assert cached_responses(personas, url, methods) == []


@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_no_admin_page_served_to_a_signed_in_person_may_be_stored(world, personas, label):
    app, name = label.split(".")
    record = record_of(world, label)
    urls = [
        reverse(f"admin:{app}_{name}_{action}", args=[record.pk] if action in {"change", "history", "delete"} else [])
        for action in ADMIN_ACTIONS
    ]
    if hasattr(record, "history"):
        version = record.history.latest("history_date")
        urls.append(reverse(f"admin:{app}_{name}_simple_history", args=[record.pk, version.history_id]))
    assert [(url, found) for url in urls if (found := cached_responses(personas, url, ("GET",)))] == []


def test_the_households_export_file_may_not_be_stored(world, personas):
    response = personas["S"].get(reverse("district:export", kwargs={"kind": "households"}))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]


def test_the_public_disclosure_stays_cacheable_for_a_visitor(world, personas):
    for name in ("public:index", "public:receipt_check"):
        response = personas["anon"].get(reverse(name))
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
