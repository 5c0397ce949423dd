"""A leader opens the dashboard in Chromium, sees the per-ward table and the charts, and downloads the Excel file."""

import datetime
import struct
import zlib

import openpyxl
import pytest
from django.utils import timezone

from donations.models import Donor
from households.hand_outs import distribution_record
from households.models import CATEGORIES, Category, Household
from relief.models import Distribution, Ward
from relief.services import allocation_create
from tests.browser.conftest import ARTIFACTS, login, screenshot
from tests.conftest import give, make_household

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_campaign(campaign, district, ward_a, ward_b, staff, officer_a):
    """Five wards, money from three kinds of donors, households of several categories served over four days."""
    wards = [ward_a, ward_b] + [
        Ward.objects.create(district=district, code=f"q5-p{n:02d}", name=f"Phường {n}") for n in range(3, 6)
    ]
    for kind, amount in [(Donor.Kind.STAFF, 49), (Donor.Kind.BENEFACTOR, 51), (Donor.Kind.ORGANISATION, 30)]:
        donor = Donor.objects.create(name=f"Nhà hảo tâm {kind}", kind=kind, district=district)
        give(campaign, donor, staff, amount=amount * campaign.bag_value)
    # transaction=True tests flush the tables, categories loaded by the data migration included.
    categories = [
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})[0]
        for order, (code, name) in enumerate(CATEGORIES[:4])
    ]
    start = timezone.make_aware(datetime.datetime(2021, 8, 22, 9))
    for index, ward in enumerate(wards):
        allocation_create(campaign=campaign, ward=ward, quantity=12 + 2 * index, created_by=staff)
        for n in range(10 + index):
            household = make_household(
                ward, f"Hộ {ward.name} số {n}", address=f"{n} Hùng Vương", residence=Household.Residence.PERMANENT
            )
            household.categories.add(categories[(n + index) % len(categories)])
            if n < 8 - index:
                handout = distribution_record(household=household, campaign=campaign, recorded_by=staff)
                Distribution.objects.filter(pk=handout.pk).update(
                    handed_out_at=start + datetime.timedelta(days=(n + index) % 4)
                )
    return campaign


def distinct_colours(png_path):
    """Count the distinct RGB(A) pixels of a PNG, decoded with zlib alone (Pillow is not a dependency)."""
    data = png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour_type = header[:4]
    assert depth == 8 and colour_type in (2, 6)
    size = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * size
    previous, colours = bytearray(stride), set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, up_left = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[x] = (line[x] + predictor) & 255
        colours.update(bytes(line[x : x + size]) for x in range(0, stride, size * 7))
        previous = line
    return len(colours)


def test_a_leader_sees_the_ward_table_and_the_charts_and_exports_excel(
    page, live_server, busy_campaign, leader, tmp_path
):
    login(page, live_server, leader.username, None)
    page.goto(f"{live_server.url}/lanh-dao/")

    table = page.locator("table.ward-table")
    assert table.locator("tbody tr").count() == 5
    assert "Tổng cộng" in table.locator("tfoot").inner_text()
    chart = page.locator("figure.chart svg:visible").first
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    chart_png = tmp_path / "chart.png"
    chart.screenshot(path=str(chart_png))
    assert distinct_colours(chart_png) >= 3  # not a blank box: background, bars, text at least
    full = screenshot(page, "leaders-dashboard-desktop")
    assert full.stat().st_size > 50_000

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel").click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(str(path))
    sheet = openpyxl.load_workbook(path)["Theo phường"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Phường"
    assert [row[0] for row in rows[1:6]] == ["Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5"]
    assert rows[6][0] == "Tổng cộng"
    assert rows[6][5] == sum(row[5] for row in rows[1:6]) == 8 + 7 + 6 + 5 + 4  # bags handed out


def test_a_leader_reads_the_dashboard_on_a_phone_without_the_page_scrolling_sideways(
    phone_page, live_server, busy_campaign, leader
):
    login(phone_page, live_server, leader.username, None)
    phone_page.goto(f"{live_server.url}/lanh-dao/")

    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone_page.locator("figure.chart svg:visible").first.bounding_box()["width"] > 250
    screenshot(phone_page, "leaders-dashboard-phone")
    ARTIFACTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(ARTIFACTS / "leaders-dashboard-phone-top.png"))
    phone_page.locator("table.ward-table").screenshot(path=str(ARTIFACTS / "leaders-dashboard-phone-table.png"))
    phone_page.locator("section.charts").screenshot(path=str(ARTIFACTS / "leaders-dashboard-phone-charts.png"))


def test_a_leader_opens_a_ward_and_the_printable_report(page, live_server, busy_campaign, leader):
    login(page, live_server, leader.username, None)
    page.goto(f"{live_server.url}/lanh-dao/")
    page.locator("table.ward-table").get_by_role("link", name="Phường 2").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("Phường 2")
    screenshot(page, "leaders-ward-desktop")

    page.goto(f"{live_server.url}/lanh-dao/bao-cao/")
    page.emulate_media(media="print")
    text = page.locator("article.report").inner_text()
    assert "NGƯỜI LẬP BIỂU" in text and "LÃNH ĐẠO" in text
    screenshot(page, "leaders-report-print")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
