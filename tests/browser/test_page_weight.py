"""What the ward officer's pages weigh on a phone's connection: every byte the first visit downloads and what a
repeat visit downloads again, gzip-compressed as production sends it (WhiteNoise serves static files
precompressed under hashed names, cached for a year, so a repeat visit fetches the page itself and nothing under
/static/). The budget is 60 KB for a first visit; the figures land in tests/browser/out/page_weight.json and in
docs/PERFORMANCE.md.
"""

import gzip
import json

import pytest
from django.test import Client
from django.urls import reverse

from households.models import CATEGORIES, Category
from tests.browser.test_every_page_fits import OUT
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 60 * 1024
PAGES = ("ward:home", "ward:households", "ward:queue", "ward:household", "ward:signature_list")


def weights(page, url):
    """(first visit, repeat visit) bytes, gzip-compressed, of every response the page's load brings."""
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    first = [(request.url, len(gzip.compress(request.response().body()))) for request in loaded]
    loaded.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    again = [(request.url, len(gzip.compress(request.response().body()))) for request in loaded]
    repeat = sum(size for address, size in again if "/static/" not in address)
    return sum(size for _, size in first), repeat


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def test_each_ward_officer_page_downloads_at_most_60_kb_compressed_on_a_first_visit(
    browser, live_server, officer_a, stocked, household_a
):
    session = sign_in(Client(), officer_a).cookies["sessionid"].value
    figures = {}
    for name in PAGES:
        # A context of its own per page: an empty cache, as on a phone that has never opened the site.
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        try:
            kwargs = {"pk": household_a.pk} if name == "ward:household" else {}
            first, repeat = weights(context.new_page(), live_server.url + reverse(name, kwargs=kwargs))
        finally:
            context.close()
        figures[name] = {"first_visit_bytes": first, "repeat_visit_bytes": repeat}
    OUT.mkdir(exist_ok=True)
    (OUT / "page_weight.json").write_text(json.dumps(figures, indent=2))
    assert all(figure["first_visit_bytes"] > 1000 for figure in figures.values()), figures  # a page was measured
    over = {name: figure for name, figure in figures.items() if figure["first_visit_bytes"] > BUDGET}
    assert over == {}, f"over the {BUDGET // 1024} KB budget: {over}"
