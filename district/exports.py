"""Lists the district takes away as Excel: donations, donors, households and hand-outs, each scoped to the user.

Rows are read with ``iterator()`` and written by a write-only workbook, so a long list is never held whole in
memory; text that a spreadsheet would run as a formula gets a leading apostrophe (``relief.spreadsheets.safe_text``).
National IDs and phone numbers leave masked: a file travels by e-mail and USB stick, and nobody working from a list
needs more than the last digits; the full number is on the household's page, where each look is recorded.
"""

from django.utils import timezone
from django.utils.text import capfirst

from donations.models import Donation, Donor
from households.models import Household
from relief.levels import words_for
from relief.models import Distribution
from relief.spreadsheets import temporary_file, workbook_write
from relief.text import mask_national_id, mask_phone

CHUNK = 2000
# The receiving unit's column, headed when the file is written by the level of the user's units: "Phường" in a
# district's list, "Khu phố" in a ward's own.
UNIT_COLUMN = "{unit}"


def _day(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _moment(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


DONATION_HEADER = [
    "Số biên nhận",
    "Ngày nhận",
    "Nhà hảo tâm",
    "Đơn vị",
    "Hình thức",
    "Số tiền (đồng)",
    "Số túi hiện vật",
    "Điều chỉnh cho",
    "Lý do điều chỉnh",
    "Ghi chú",
    "Chương trình",
    "Người nhận",
]


def _donations(user, filters):
    rows = (
        Donation.objects.visible_to(user)
        .select_related("campaign", "donor", "reverses", "recorded_by")
        .order_by("campaign_id", "receipt_seq")
    )
    for donation in rows.iterator(chunk_size=CHUNK):
        yield [
            donation.receipt_number,
            _day(donation.received_on),
            donation.donor.name,
            donation.donor.organisation,
            donation.get_method_display(),
            donation.amount,
            donation.bags_in_kind,
            donation.reverses.receipt_number if donation.reverses else "",
            donation.reason,
            donation.note,
            donation.campaign.name,
            donation.recorded_by.get_full_name() or donation.recorded_by.username,
        ]


DONOR_HEADER = ["Tên", "Đơn vị", "Loại", "Số điện thoại", "Địa chỉ", "Ẩn danh khi công khai", "Tổng ủng hộ (đồng)"]


def _donors(user, filters):
    for donor in Donor.objects.visible_to(user).with_totals().order_by("name", "pk").iterator(chunk_size=CHUNK):
        yield [
            donor.name,
            donor.organisation,
            donor.get_kind_display(),
            donor.phone,
            donor.address,
            "Có" if donor.anonymous else "Không",
            donor.total_given,
        ]


HOUSEHOLD_HEADER = [
    "Mã hộ",
    "Họ và tên chủ hộ",
    "CCCD",
    "Số điện thoại",
    "Địa chỉ",
    UNIT_COLUMN,
    "Số nhân khẩu",
    "Diện",
    "Cư trú",
    "Trạng thái",
    "Nguồn",
    "Ghi chú",
]


def _households(user, filters):
    rows = Household.objects.visible_to(user).filter(**filters).select_related("ward").prefetch_related("categories")
    for household in rows.order_by("ward__code", "name_key", "pk").iterator(chunk_size=CHUNK):
        yield [
            household.pk,
            household.head_name,
            mask_national_id(household.national_id),
            mask_phone(household.phone),
            household.address,
            household.ward.name,
            household.members,
            "; ".join(category.name for category in household.categories.all()),
            household.get_residence_display(),
            household.get_status_display(),
            household.get_source_display(),
            household.notes,
        ]


HANDOUT_HEADER = [
    "Mã túi",
    "Họ và tên chủ hộ",
    "CCCD",
    UNIT_COLUMN,
    "Thời điểm trao",
    "Người nhận thay",
    "Người ghi nhận",
    "Đã hủy",
    "Lý do hủy",
]


def _handouts(user, filters):
    rows = Distribution.objects.visible_to(user).select_related("bag", "household", "ward", "recorded_by")
    for handout in rows.order_by("ward__code", "handed_out_at", "pk").iterator(chunk_size=CHUNK):
        yield [
            handout.bag.serial,
            handout.household.head_name,
            mask_national_id(handout.household.national_id),
            handout.ward.name,
            _moment(handout.handed_out_at),
            handout.received_by,
            handout.recorded_by.get_full_name() or handout.recorded_by.username,
            _moment(handout.cancelled_at) if handout.cancelled_at else "",
            handout.cancel_reason,
        ]


KINDS = {
    "donations": ("Khoản ủng hộ", "khoan-ung-ho", DONATION_HEADER, _donations),
    "donors": ("Nhà hảo tâm", "nha-hao-tam", DONOR_HEADER, _donors),
    "households": ("Hộ gia đình", "ho-gia-dinh", HOUSEHOLD_HEADER, _households),
    "handouts": ("Lượt trao túi", "luot-trao-tui", HANDOUT_HEADER, _handouts),
}


def export_workbook(kind, user, filters=None):
    """Write the ``kind`` list visible to ``user`` to a temporary file; return ``(file, filename)``.

    The file spills to disk past a few megabytes, so a long list costs disk, not memory.
    """
    title, slug, header, rows = KINDS[kind]
    if UNIT_COLUMN in header:
        unit = capfirst(words_for(user).unit)
        header = [unit if column == UNIT_COLUMN else column for column in header]
    handle = temporary_file()
    workbook_write(handle, title, header, rows(user, filters or {}))
    handle.seek(0)
    return handle, f"{slug}-{timezone.localdate():%Y%m%d}.xlsx"
