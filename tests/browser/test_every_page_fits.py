"""Every page of every persona, in a real Chromium at 360 px (a phone) and 1366 px (an office screen).

A page fails when it scrolls sideways (the document is wider than the window), when it logs an error to the
console (a blocked script, a missing file), or when axe-core finds a serious or critical violation of a WCAG 2.1
A or AA rule. The pages are the authorization matrix's own (tests/trust/test_authorization_matrix.py): each
persona visits those it gets a 200 for, with the matrix's records of ward A, so a page added there is checked here
too. axe-core is the copy that the pinned ``axe-playwright-python`` package ships (requirements-dev.txt), read from
the installed package; each page's screenshot lands in tests/browser/out/ for a person to look at.
"""

from importlib.resources import files
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from households.models import CATEGORIES, Category
from tests.conftest import sign_in
from tests.trust.conftest import world  # noqa: F401 (the matrix's records, a fixture)
from tests.trust.test_authorization_matrix import PAGES, PERSONAS, kwargs_for

pytestmark = pytest.mark.django_db(transaction=True)

OUT = Path(__file__).resolve().parent / "out"
AXE_SOURCE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}

# Which part of the site each persona is checked on: officers their ward's pages, staff the district's and the
# money pages, leaders theirs, the public the disclosure, administrators the admin. Pages whose answer is a file
# (exports, templates) or a script are no page to look at.
AREAS = {
    "ward officer": ("A", ("ward:", "ward_import:", "account", "password_change", "two_factor_enrol")),
    "district staff": ("S", ("district:",)),
    "money staff": ("S", ("money:",)),
    "leaders": ("L", ("leaders:", "account")),
    "public": ("anon", ("public:", "login")),
    "admin": ("X", ("admin:",)),
}
NOT_PAGES = {"district:export", "district:import_households_template", "district:import_donations_template",
             "ward_import:template", "ward_import:progress", "district:import_households_progress",
             "leaders:export", "admin:jsi18n", "money:amount_preview", "money:donor_search",
             "admin:households_household_export", "admin:donations_donor_export",
             "admin:donations_donation_export"}  # fmt: skip
# The admin's own forms for the records an administrator opens most; every model's list besides.
ADMIN_CHANGE_FORMS = ("households.household", "donations.donation", "relief.campaign", "relief.user")


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def urls_of(area, world):  # noqa: F811
    persona, prefixes = AREAS[area]
    column = PERSONAS.index(persona)
    for name, (get, _post) in sorted(PAGES.items()):
        if name.startswith(prefixes) and name not in NOT_PAGES and get.split()[column] == "200":
            yield reverse(name, kwargs=kwargs_for(name, world))
    if area == "admin":
        records = {"households.household": world["household"], "donations.donation": world["donation"],
                   "relief.campaign": world["campaign"], "relief.user": world["officer"]}  # fmt: skip
        for model in sorted(admin.site._registry, key=lambda model: model._meta.label_lower):
            label = model._meta.label_lower
            yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            if label in ADMIN_CHANGE_FORMS:
                change = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
                yield reverse(change, args=[records[label].pk])


# The menu's links that lie outside the window or outside the menu's own box (a menu scrolled sideways hides them).
HIDDEN_MENU_ITEMS = """() => [...document.querySelectorAll('.topnav a')].filter(link => {
  const box = link.getBoundingClientRect(), menu = link.closest('.topnav').getBoundingClientRect();
  return box.left < menu.left - 1 || box.right > Math.min(menu.right, window.innerWidth) + 1;
}).map(link => link.textContent.trim())"""
# The innermost elements that reach past the window's right edge, to say what made a page too wide.
STICKING_OUT = """() => [...document.body.querySelectorAll('*')].filter(element => {
  const past = e => e.getBoundingClientRect().right > window.innerWidth + 1;
  return past(element) && ![...element.children].some(past);
}).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''))"""
# An amount on two lines: its number on one and "₫" on the next.
BROKEN_AMOUNTS = """() => [...document.querySelectorAll('.money')].filter(amount => amount.getClientRects().length > 1)
  .map(amount => amount.textContent)"""


def signed_in_context(browser, live_server, persona_user, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    if persona_user is not None:
        session = sign_in(Client(), persona_user).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return context


def problems_of(page, url, errors):
    """What is wrong with the page just loaded: sideways scrolling, console errors, serious axe violations."""
    found = []
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        found.append(f"{url}: {width[0]} px wide in a {width[1]} px window: {page.evaluate(STICKING_OUT)}")
    found.extend(f"{url}: console: {error}" for error in errors)
    if page.evaluate(HIDDEN_MENU_ITEMS):
        found.append(f"{url}: menu items out of sight: {page.evaluate(HIDDEN_MENU_ITEMS)}")
    if page.evaluate(BROKEN_AMOUNTS):
        found.append(f"{url}: amounts broken across lines: {page.evaluate(BROKEN_AMOUNTS)}")
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    for violation in result["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{url}: axe {violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("area", list(AREAS))
def test_every_page_fits_the_screen_logs_no_error_and_passes_axe(
    browser,
    live_server,
    world,  # noqa: F811 (the fixture imported above)
    officer_a,
    staff,
    leader,
    administrator,
    area,
    viewport,
):
    users = {"A": officer_a, "S": staff, "L": leader, "X": administrator, "anon": None}
    context = signed_in_context(browser, live_server, users[AREAS[area][0]], VIEWPORTS[viewport])
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    OUT.mkdir(exist_ok=True)
    problems, visited = [], 0
    try:
        for url in urls_of(area, world):
            errors.clear()
            response = page.goto(live_server.url + url)
            assert response.status == 200, f"{url} answered {response.status}"
            page.wait_for_load_state("load")
            problems.extend(problems_of(page, url, list(errors)))
            name = f"{area.replace(' ', '-')}-{viewport}-{url.strip('/').replace('/', '_') or 'root'}"
            page.screenshot(path=str(OUT / f"{name[:150]}.png"), full_page=True)
            visited += 1
    finally:
        context.close()
    assert visited >= 3, f"{area} visited only {visited} pages"
    assert problems == [], "\n".join(problems)
