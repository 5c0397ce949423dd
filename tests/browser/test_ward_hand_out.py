"""A ward officer on a phone: find a person typed without diacritics, hand out a bag, undo a mistake."""

import re

import pytest
from playwright.sync_api import expect

from households.models import CATEGORIES, Category
from relief.models import Bag, Distribution
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The data migration's categories: the flush after an earlier transactional test emptied the table."""
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def test_an_officer_hands_out_a_bag_from_the_queue_and_cancels_it_on_a_phone(
    phone_page, live_server, officer_a, stocked, household_a, household_b
):
    page = phone_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/")
    expect(page.get_by_test_id("home-stock")).to_have_text("4")
    screenshot(page, "ward-home-phone")

    page.get_by_role("link", name="Phát nhanh").first.click()
    page.wait_for_load_state()  # htmx is deferred: keys typed before it loads would search nothing
    page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại").fill("nguyen van an")
    card = page.locator(f"#hh-{household_a.pk}")
    expect(card).to_contain_text("Nguyễn Văn An")
    expect(page.get_by_text("Trần Thị Bích")).to_have_count(0)  # another ward's household never shows
    screenshot(page, "ward-queue-phone")

    card.get_by_role("button", name="Trao túi").click()
    expect(card).to_contain_text("Đã trao túi Q5-2021-T000001")
    expect(page.get_by_test_id("stock")).to_have_text("3")
    expect(card.get_by_text("Đã nhận túi")).to_be_visible()
    screenshot(page, "ward-queue-handed-out-phone")
    assert Distribution.objects.active().count() == 1

    card.get_by_role("link", name="Hủy nếu nhầm").click()
    page.get_by_label("Lý do hủy").fill("Nhầm người")
    page.get_by_role("button", name="Hủy lượt trao").click()
    expect(page.get_by_role("status")).to_contain_text("túi đã trở lại kho phường")
    expect(page.get_by_test_id("stock")).to_have_text("4")
    expect(page.get_by_text(re.compile("Đã hủy .*Nhầm người"))).to_be_visible()
    screenshot(page, "ward-household-cancelled-phone")
    assert Bag.objects.filter(ward=household_a.ward, state=Bag.State.ALLOCATED).count() == 4

    page.get_by_role("link", name="Phát nhanh").first.click()
    page.wait_for_load_state()  # htmx is deferred: keys typed before it loads would search nothing
    page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại").fill("079081")
    page.locator(f"#hh-{household_a.pk}").get_by_role("button", name="Trao túi").dblclick()  # an impatient thumb
    expect(page.get_by_test_id("stock")).to_have_text("3")
    page.get_by_role("button", name="Người tiếp theo").click()
    expect(page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại")).to_be_focused()
    expect(page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại")).to_have_value("")
    assert Distribution.objects.active().count() == 1


def test_the_register_search_finds_a_name_typed_without_diacritics_on_a_phone(
    phone_page, live_server, officer_a, stocked, household_a
):
    page = phone_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/ho/")
    page.get_by_label("Tìm theo tên, CCCD, số điện thoại hoặc địa chỉ").fill("NGUYEN van")
    expect(page.locator(f"#hh-{household_a.pk}")).to_be_visible()
    page.get_by_label("Tìm theo tên, CCCD, số điện thoại hoặc địa chỉ").fill("khong ai ten nay")
    expect(page.get_by_text("Không có hộ nào khớp")).to_be_visible()
    screenshot(page, "ward-register-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the register must not scroll sideways on a 360 px phone"


def test_a_hand_out_whose_answer_is_lost_is_recorded_once_when_the_officer_taps_again(
    phone_page, live_server, officer_a, stocked, household_a
):
    page = phone_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/ho/")

    def lose_the_answer(route):
        route.fetch()  # the server records the hand-out…
        route.abort("connectionreset")  # …and the phone never hears back

    page.route("**/trao-tui/", lose_the_answer, times=1)
    card = page.locator(f"#hh-{household_a.pk}")
    card.get_by_role("button", name="Trao túi").click()
    expect(page.get_by_role("alert")).to_contain_text("Hãy bấm lại")
    assert Distribution.objects.active().count() == 1
    expect(page.get_by_test_id("stock")).to_have_text("4")  # the page never heard of it
    screenshot(page, "ward-lost-answer-phone")

    card.get_by_role("button", name="Trao túi").click()
    expect(card).to_contain_text("Đã trao túi Q5-2021-T000001")
    expect(page.get_by_test_id("stock")).to_have_text("3")
    expect(page.get_by_role("alert")).to_be_hidden()
    assert Distribution.objects.active().count() == 1


def test_an_officer_finds_a_person_and_hands_out_a_bag_by_keyboard_alone_with_the_focus_in_sight(
    page, live_server, officer_a, stocked, household_a
):
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/phat-nhanh/")
    page.wait_for_load_state()  # htmx is deferred: keys typed before it loads would search nothing
    search = page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại")
    search.focus()
    page.keyboard.type("nguyen van an")
    card = page.locator(f"#hh-{household_a.pk}")
    expect(card).to_contain_text("Nguyễn Văn An")
    hand_out = card.get_by_role("button", name="Trao túi")
    for _ in range(30):  # Tab forward from the search box until the card's button holds the focus
        page.keyboard.press("Tab")
        if hand_out.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the card's “Trao túi” button")
    outline = hand_out.evaluate(
        "button => getComputedStyle(button).outlineStyle + ' ' + getComputedStyle(button).outlineWidth"
    )
    assert outline == "solid 3px"  # :focus-visible draws the focus where a keyboard user can see it
    page.keyboard.press("Enter")
    expect(card).to_contain_text("Đã trao túi Q5-2021-T000001")
    assert Distribution.objects.active().count() == 1
