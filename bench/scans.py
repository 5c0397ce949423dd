"""Scanning: reading a phone's photo on the server, and a hand-out of a scanned label beside one of a typed serial.

The photos are made here as the tests make them (``tests.scan_images``): a 12-megapixel JPEG (4032 x 3024, what a
phone's camera sends) with a bag's label or a CCCD's code in it, at the size a code has when held at arm's length
and when it fills a tenth of the frame. The hand-outs go through Django's test client to the real view, alternately
a photo of the bag's label and its serial typed, each to a household of the ward still waiting for its bag, so the
difference between the two is the photo's upload and reading.
"""

import time
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Exists, OuterRef
from django.urls import reverse

from households.models import Household
from relief.models import Bag, Campaign, Distribution
from relief.qr_photo import read_one_code
from tests.scan_images import code_image, encoded, photo, rotated

from .pages import client_for
from .stats import timing

PHONE_PHOTO = (4032, 3024)
DECODES = 50
HAND_OUTS = 30  # of each kind
CCCD = "079081000123|023456789|Nguyễn Văn An|15031981|Nam|12 Trần Hưng Đạo, Phường 1, Quận 5, TP. Hồ Chí Minh|20042021"


def phone_photo(text, module):
    """A phone's 12-megapixel photo of the code of ``text`` at ``module`` pixels a module, a little turned."""
    return encoded(photo((rotated(code_image(text, module=module), 12), (1500, 1100)), size=PHONE_PHOTO))


def decode_figures():
    """The server's time to read one phone photo, per kind of photo: ``{name: timing}``."""
    photos = {
        "decode_label_near": phone_photo("Q5-2021-T000123", 24),
        "decode_label_far": phone_photo("Q5-2021-T000123", 8),
        "decode_cccd_near": phone_photo(CCCD, 16),
        "decode_cccd_far": phone_photo(CCCD, 6),
    }
    figures = {}
    for name, data in photos.items():
        seconds = []
        for _ in range(DECODES):
            started = time.perf_counter()
            read_one_code(SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"))
            seconds.append(time.perf_counter() - started)
        figures[name] = {**timing(seconds), "bytes": len(data)}
    return figures


def hand_out_figures(officer):
    """``{"typed": timing, "scanned": timing, "ratio_p95"}``: hand-outs in ``officer``'s ward by a serial typed and
    by a photo of the label, alternately."""
    ward = officer.ward
    campaign = Campaign.objects.filter(district_id=ward.district_id, is_open=True).order_by("-pk").first()
    served = Distribution.objects.filter(household=OuterRef("pk"), campaign=campaign, cancelled_at__isnull=True)
    waiting = list(
        Household.objects.filter(ward=ward, status=Household.Status.APPROVED)
        .exclude(Exists(served))
        .values_list("pk", flat=True)[: 2 * HAND_OUTS]
    )
    serials = list(
        Bag.objects.filter(campaign=campaign, ward=ward, state=Bag.State.ALLOCATED)
        .order_by("number")
        .values_list("serial", flat=True)[: 2 * HAND_OUTS]
    )
    if len(waiting) < 2 * HAND_OUTS or len(serials) < 2 * HAND_OUTS:
        raise RuntimeError(f"{ward} has too few waiting households or bags for {2 * HAND_OUTS} hand-outs")
    client = client_for(officer)
    times = {"typed": [], "scanned": []}
    for n, (pk, serial) in enumerate(zip(waiting, serials, strict=True)):
        kind = "scanned" if n % 2 else "typed"
        data = {"campaign": campaign.pk, "request_key": str(uuid.uuid4())}
        if kind == "scanned":
            data["photo"] = SimpleUploadedFile("label.jpg", phone_photo(serial, 12), content_type="image/jpeg")
        else:
            data["serial"] = serial
        started = time.perf_counter()
        response = client.post(reverse("ward:hand_out", args=[pk]), data, HTTP_HX_REQUEST="true")
        times[kind].append(time.perf_counter() - started)
        if response.status_code != 200 or f"<strong>{serial}</strong>" not in response.text:
            raise RuntimeError(f"the {kind} hand-out of {serial} was not recorded")
    typed, scanned = timing(times["typed"]), timing(times["scanned"])
    return {"typed": typed, "scanned": scanned, "ratio_p95": round(scanned["p95_ms"] / typed["p95_ms"], 2)}
