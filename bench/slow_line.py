"""The ward officer's quick hand-out page on a slow mobile line, in a real Chromium: what a person at a hand-out
point waits for.

One gunicorn of the bench settings (compressed HTML, static files from WhiteNoise with their hashed names) and
Debian's Chromium driven by Playwright, its network held by the DevTools protocol to a slow 3G profile: 400 kbit/s
each way and 400 ms of latency. Measured, each several times:

The static files are collected as a deployment collects them (hashed names, compressed copies, cached for a year).

- **first visit**: the quick hand-out page with an empty browser cache, to the moment it can be used (the search
  box is on the page and every script has run: the ``load`` event), and the bytes that crossed the line;
- **repeat visit**: the same page again with the cache warm (the static files are not fetched again);
- **search answer**: from pressing Enter in the search box to the answer shown (htmx has swapped the results in),
  for a name that matches a few of the ward's households;
- **hand-out answer**: from tapping "Trao túi" to the household's card showing the bag handed out.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

from django.conf import settings

from households.models import Household
from relief.models import Campaign, Distribution

from .load import ROOT, free_port, gunicorn, login_cookie
from .pages import search_terms
from .stats import timing

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
VISITS = 5
SEARCHES = 8
HAND_OUTS = 8
PHONE = {"width": 360, "height": 740}
WATCH_SWAP = """() => { window.swapSettled = false;
    document.body.addEventListener("htmx:afterSettle", () => { window.swapSettled = true; }, {once: true}); }"""


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def _waiting_households(officer, campaign, count):
    """Approved households of the officer's ward that the campaign has not served yet, each found by its CCCD."""
    served = Distribution.objects.holding(campaign).values("household_id")
    return list(
        Household.objects.approved()
        .filter(ward=officer.ward)
        .exclude(national_id="")
        .exclude(pk__in=served)
        .order_by("pk")[:count]
    )


def _context(browser, cookie):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(30_000)
    session, csrf = (part.split("=", 1)[1] for part in cookie.split("; "))
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": "127.0.0.1", "path": "/"},
            {"name": settings.CSRF_COOKIE_NAME, "value": csrf, "domain": "127.0.0.1", "path": "/"},
        ]
    )
    return context


def _slow(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    return cdp


def _visit(page, url):
    """Seconds to the ``load`` event and the bytes received on the wire (compressed, as sent)."""
    received = []

    def on_response(response):
        received.append(response)

    page.on("response", on_response)
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    seconds = time.perf_counter() - started
    wire = 0
    for response in received:
        sizes = response.request.sizes()
        wire += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    page.remove_listener("response", on_response)
    return seconds, wire


def _answer(page, act):
    """Seconds from ``act()`` to htmx having settled the answer in the page."""
    page.evaluate(WATCH_SWAP)
    started = time.perf_counter()
    act()
    page.wait_for_function("() => window.swapSettled === true", polling=10)
    return time.perf_counter() - started


def slow_line_figures(officer, workers=2, threads=4):
    from playwright.sync_api import sync_playwright

    campaign = Campaign.objects.visible_to(officer).open().order_by("-pk").first()
    text, matches = search_terms(officer)["name_few"]
    waiting = _waiting_households(officer, campaign, HAND_OUTS)
    cookie, _ = login_cookie(officer)
    port = free_port()
    static = tempfile.mkdtemp(prefix="ansinh-bench-static-")
    os.environ["BENCH_STATIC_ROOT"] = static  # read by the bench settings of collectstatic and of gunicorn
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True, env=os.environ
    )
    url = f"http://127.0.0.1:{port}/phuong/phat-nhanh/"
    first, repeat, first_bytes, repeat_bytes, searches, hand_outs = [], [], [], [], [], []
    with gunicorn(port, workers, threads), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        try:
            for _ in range(VISITS):
                context = _context(browser, cookie)
                page = context.new_page()
                _slow(context, page)
                for seconds_of, bytes_of in ((first, first_bytes), (repeat, repeat_bytes)):
                    seconds, wire = _visit(page, url)
                    seconds_of.append(seconds)
                    bytes_of.append(wire)
                context.close()
            context = _context(browser, cookie)
            page = context.new_page()
            page.goto(url, wait_until="load")  # the static files in the cache, as on an officer's phone
            _slow(context, page)
            box = page.locator("#queue-q")
            for _ in range(SEARCHES):
                page.evaluate("(text) => { document.querySelector('#queue-q').value = text; }", text)
                searches.append(_answer(page, lambda: box.press("Enter")))
            for household in waiting:
                page.evaluate("(text) => { document.querySelector('#queue-q').value = text; }", household.national_id)
                _answer(page, lambda: box.press("Enter"))
                button = page.locator(f"#hh-{household.pk} button.primary", has_text="Trao túi")
                hand_outs.append(_answer(page, button.click))
                if not page.locator(f"#hh-{household.pk} .done").count():
                    raise RuntimeError(f"household {household.pk}: the hand-out answer shows no bag")
            context.close()
        finally:
            browser.close()
            os.environ.pop("BENCH_STATIC_ROOT")
            shutil.rmtree(static)
    profile = "400 kbit/s down and up, 400 ms latency"
    return {
        "slow_first_visit": {**timing(first), "kb": round(max(first_bytes) / 1024, 1), "profile": profile},
        "slow_repeat_visit": {**timing(repeat), "kb": round(max(repeat_bytes) / 1024, 1), "profile": profile},
        "slow_search_answer": {**timing(searches), "q": text, "ward_matches": matches, "profile": profile},
        "slow_hand_out_answer": {**timing(hand_outs), "profile": profile},
    }
