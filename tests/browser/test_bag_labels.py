"""The bag label sheet as it prints: each QR code of the printed PDF, and of the page in print media, reads back
as its bag's serial."""

import io

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from relief.models import Bag
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

A4_AT_96_DPI = {"width": 794, "height": 1123}


def test_staff_print_a_label_sheet_whose_codes_read_back_as_the_bags_serials(browser, live_server, staff, stocked):
    context = browser.new_context(viewport=A4_AT_96_DPI, device_scale_factor=2, locale="vi-VN")
    page = context.new_page()
    try:
        login(page, live_server, staff.username, None)
        page.goto(f"{live_server.url}/quan/nhan-tui/?campaign={stocked.pk}&layout=3x8")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        printed = page.screenshot(full_page=True)
        screenshot(page, "district-bag-labels-print")
    finally:
        context.close()

    serials = set(Bag.objects.filter(campaign=stocked).values_list("serial", flat=True))
    assert len(serials) == 10
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1  # ten labels on one A4 sheet of 3 x 8
    at_200_dpi = document[0].render(scale=200 / 72).to_pil().convert("L")
    assert {code.text for code in zxingcpp.read_barcodes(at_200_dpi)} == serials
    assert {code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(printed)).convert("L"))} == serials
