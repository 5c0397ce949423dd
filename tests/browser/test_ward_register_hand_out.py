"""A ward officer on a phone types into the register's search and taps "Trao túi" at once: the search that was on its
way must not replace the hand-out's confirmation, nor offer the household a second bag."""

from contextlib import suppress

import pytest
from playwright.sync_api import Error, expect

from households.models import CATEGORIES, Category
from relief.models import Distribution
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def is_search_url(url):
    return "/phuong/ho/?" in url


def is_search(request):
    return request.method == "GET" and is_search_url(request.url)


def test_a_search_sent_before_a_hand_out_never_replaces_its_confirmation_on_a_phone(
    phone_page, live_server, officer_a, stocked, household_a
):
    # A campaign that allows two bags: the card of a household that holds one may offer another, so only the order
    # of the answers keeps a late search from offering it again under the officer's thumb.
    stocked.household_limit = 2
    stocked.save(update_fields=["household_limit"])
    page = phone_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/ho/")
    page.wait_for_load_state()  # htmx is deferred: keys typed before it loads would search nothing
    card = page.locator(f"#hh-{household_a.pk}")
    expect(card.get_by_role("button", name="Trao túi")).to_be_visible()

    # The slow network of a hand-out point, made certain: every search waits until the hand-out has answered.
    held = []

    def hold(route):
        held.append(route)

    page.route(is_search_url, hold)
    with page.expect_request(is_search):
        page.get_by_label("Tìm theo tên, CCCD, số điện thoại hoặc địa chỉ").fill("nguyen van")
    card.get_by_role("button", name="Trao túi").click()
    expect(card).to_contain_text("Đã trao túi Q5-2021-T000001")

    page.unroute(is_search_url, hold)
    for route in held:
        with suppress(Error):  # the hand-out aborted this search in the browser already
            route.continue_()
    page.wait_for_timeout(1500)  # the time a late answer would take to land

    expect(card).to_contain_text("Đã trao túi Q5-2021-T000001")
    expect(card.get_by_text("Đã nhận túi")).to_be_visible()
    expect(card.get_by_role("button", name="Trao túi")).to_have_count(0)
    screenshot(page, "ward-register-hand-out-kept-phone")
    assert Distribution.objects.active().filter(household=household_a).count() == 1
