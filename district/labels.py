"""QR labels for bags, printed on A4 label sheets: each label the bag's serial as a QR code, in text, and the
campaign's code. A label reprinted is the same label: the code depends on the serial alone."""

import functools

import segno

from relief.models import Bag

# Label sheets sold for A4 printers: (columns, rows) per page.
LAYOUTS = {"3x8": (3, 8), "3x7": (3, 7)}
MAX_LABELS = 2_400  # one print: a hundred pages of 3 by 8


@functools.lru_cache(maxsize=4096)
def bag_qr(serial):
    """The SVG of ``serial``'s QR code: a full QR code (not Micro QR, which phone cameras do not all read), with
    medium error correction so a scuffed label still scans."""
    return segno.make_qr(serial, error="m").svg_inline(scale=3, border=2, dark="#000000", light="#ffffff")


def label_bags(campaign, *, ward=None, first=None, last=None):
    """The bags of ``campaign`` to label, in serial order: all, those a ward holds or held, or a range of numbers;
    at most ``MAX_LABELS`` plus one, so the caller can tell the selection was cut."""
    bags = Bag.objects.filter(campaign=campaign).order_by("number")
    if ward is not None:
        bags = bags.filter(ward=ward)
    if first is not None:
        bags = bags.filter(number__gte=first)
    if last is not None:
        bags = bags.filter(number__lte=last)
    return list(bags.values_list("serial", flat=True)[: MAX_LABELS + 1])


def pages(serials, layout):
    """``serials`` cut into pages of the layout's size, each page a list of rows of serials."""
    columns, rows = LAYOUTS[layout]
    per_page = columns * rows
    for start in range(0, len(serials), per_page):
        page = serials[start : start + per_page]
        yield [page[row : row + columns] for row in range(0, len(page), columns)]
