"""Donation lists (a bank statement, a list collected by an agency) imported row by row through ``donation_record``.

Every row issues its receipt and funds its bags exactly as a donation typed in the browser does; the whole file
goes in one transaction, so a refused row leaves nothing behind. Each row's submission key is derived from the
upload's token and the row number: confirming the same upload twice records nothing twice.
"""

import datetime
import re
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relief.spreadsheets import Column, Report, as_text, read_rows
from relief.text import clean_name, fold, normalize_phone

from .models import Donation, Donor
from .services import donation_record, donor_create

MAX_AMOUNT = 100_000_000_000  # 100 tỷ đồng: more than any single gift; a larger figure is a typing slip
MAX_BAGS = 100_000
KEY_NAMESPACE = uuid.UUID("6f1d8a52-7c1e-4b8e-9d55-2a8f0c1b7e31")

COLUMNS = (
    Column("Nhà hảo tâm", "name", aliases=("Tên nhà hảo tâm", "Người ủng hộ", "Họ và tên", "Tên")),
    Column("Đơn vị", "organisation", required=False, aliases=("Cơ quan", "Đơn vị công tác")),
    Column("Số tiền", "amount", aliases=("Số tiền (đồng)", "Số tiền ủng hộ", "Số tiền (VND)")),
    Column("Hình thức", "method", required=False),
    Column("Ngày nhận", "received_on", aliases=("Ngày", "Ngày giao dịch")),
    Column("Số túi", "bags", required=False, aliases=("Số túi hiện vật",)),
    Column("Số điện thoại", "phone", required=False, aliases=("Điện thoại",)),
    Column("Ghi chú", "note", required=False, aliases=("Nội dung",)),
)
HEADER = [column.title for column in COLUMNS]
METHODS = {
    "tien mat": Donation.Method.CASH,
    "chuyen khoan": Donation.Method.TRANSFER,
    "ck": Donation.Method.TRANSFER,
    "hien vat": Donation.Method.IN_KIND,
    "tui hien vat": Donation.Method.IN_KIND,
}
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")
_PLAIN = re.compile(r"^\d+$")
_CENTS = re.compile(r"^(\d{1,3}(?:,\d{3})*|\d+)\.0{1,2}$")  # 1,000,000.00 as banks print it
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


class ImportRefused(Exception):
    def __init__(self, report):
        super().__init__("Tệp còn lỗi, chưa nhập khoản nào.")
        self.report = report


def parse_amount(value):
    """Whole đồng from 49000000, 49.000.000, "49,000,000 đ" or a bank's "49,000,000.00"."""
    if isinstance(value, bool):
        raise ValidationError("Số tiền không hợp lệ.")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError("Số tiền phải là số đồng nguyên, không có phần lẻ.")
        value = int(value)
    if isinstance(value, int):
        amount = value
    else:
        text = re.sub(r"(₫|đồng|đ|vnd)", "", as_text(value).lower()).replace(" ", "")
        if _PLAIN.match(text):
            amount = int(text)
        elif _GROUPED.match(text):
            amount = int(re.sub(r"[.,]", "", text))
        elif _CENTS.match(text):
            amount = int(text.split(".")[0].replace(",", ""))
        else:
            raise ValidationError(
                "Số tiền “%(value)s” không phải số đồng (ví dụ: 1.000.000).", params={"value": as_text(value)[:30]}
            )
    if amount <= 0:
        raise ValidationError("Số tiền phải lớn hơn 0.")
    if amount > MAX_AMOUNT:
        raise ValidationError("Số tiền quá lớn (hơn 100 tỷ đồng); hãy kiểm tra lại.")
    return amount


def parse_date(value):
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = as_text(value)
        if not text:
            raise ValidationError("Thiếu ngày nhận.")
        for pattern in _DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                "Ngày nhận “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 22/08/2021).",
                params={"value": text[:30]},
            )
    if day > timezone.localdate():
        raise ValidationError("Ngày nhận %(day)s ở tương lai.", params={"day": day.strftime("%d/%m/%Y")})
    if day.year < 2000:
        raise ValidationError("Ngày nhận %(day)s quá xa trong quá khứ.", params={"day": day.strftime("%d/%m/%Y")})
    return day


def _parse_bags(value):
    text = as_text(value)
    if not text.isdigit() or not 1 <= int(text) <= MAX_BAGS:
        raise ValidationError("Số túi hiện vật phải là số nguyên từ 1 đến %(max)s.", params={"max": f"{MAX_BAGS:,}"})
    return int(text)


def _parse_row(values, report, number):
    row, failed = {}, False

    def attempt(column, parse):
        nonlocal failed
        try:
            return parse()
        except ValidationError as error:
            failed = True
            report.error(number, column, " ".join(error.messages))
            return None

    row["name"] = attempt("Nhà hảo tâm", lambda: _required_text(values.get("name"), "tên nhà hảo tâm", 200))
    row["organisation"] = attempt("Đơn vị", lambda: _optional_text(values.get("organisation"), "Đơn vị", 200))
    row["method"] = attempt("Hình thức", lambda: _parse_method(values.get("method")))
    row["received_on"] = attempt("Ngày nhận", lambda: parse_date(values.get("received_on")))
    row["note"] = attempt("Ghi chú", lambda: _optional_text(values.get("note"), "Ghi chú", 300))
    phone = as_text(values.get("phone"))
    row["phone"] = attempt("Số điện thoại", lambda: normalize_phone(phone) if phone else "")
    row["amount"], row["bags"] = 0, 0
    if row["method"] == Donation.Method.IN_KIND:
        row["bags"] = attempt("Số túi", lambda: _parse_bags(values.get("bags")))
        if as_text(values.get("amount")):
            failed = True
            report.error(number, "Số tiền", "Khoản túi hiện vật không ghi số tiền; ghi số túi ở cột “Số túi”.")
    elif row["method"]:
        row["amount"] = attempt("Số tiền", lambda: parse_amount(values.get("amount")))
        if as_text(values.get("bags")):
            failed = True
            report.error(number, "Số túi", "Chỉ ghi số túi cho hình thức “Túi hiện vật”.")
    return None if failed else row


def _required_text(value, label, max_length):
    text = clean_name(as_text(value))
    if not text:
        raise ValidationError("Thiếu %(label)s.", params={"label": label})
    return _optional_text(text, label.capitalize(), max_length)


def _optional_text(value, label, max_length):
    text = clean_name(as_text(value))
    if len(text) > max_length:
        raise ValidationError("%(label)s dài quá %(max)s ký tự.", params={"label": label, "max": max_length})
    return text


def _parse_method(value):
    text = fold(as_text(value))
    if not text:
        return Donation.Method.TRANSFER  # a bank statement, the usual source of a list, leaves it out
    method = METHODS.get(text) or {fold(label): key for key, label in Donation.Method.choices}.get(text)
    if method is None:
        raise ValidationError(
            "Hình thức “%(value)s” không hợp lệ; ghi “Tiền mặt”, “Chuyển khoản” hoặc “Túi hiện vật”.",
            params={"value": as_text(value)[:30]},
        )
    return method


def _parsed_rows(path, report, checked):
    for number, values in read_rows(path, COLUMNS, report=report, checked=checked):
        row = _parse_row(values, report, number)
        if row is not None:
            report.good_rows += 1
            yield number, row


def donation_import_check(*, path, campaign, keep=None, checked=False):
    """Read the file and return a ``Report``: errors by row and column, and rows that look recorded already.

    ``keep``, a list, receives ``(row number, cleaned row)`` pairs, so the import reads the file once. ``checked``
    says the upload guard already passed this file (``read_rows``).
    """
    report = Report()
    seen = {}
    dates = set()
    rows_by_gift = defaultdict(list)
    total, bags = 0, 0
    for number, row in _parsed_rows(path, report, checked):
        if keep is not None:
            keep.append((number, row))
        gift = (fold(row["name"]), row["amount"], row["bags"], row["received_on"])
        if gift in seen:
            report.warning(number, "Nhà hảo tâm", f"Giống dòng {seen[gift]} (cùng người, số tiền, ngày).")
        seen.setdefault(gift, number)
        rows_by_gift[gift].append(number)
        dates.add(row["received_on"])
        total += row["amount"]
        bags += row["bags"]
    recorded = Donation.objects.filter(campaign=campaign, received_on__in=dates, reverses__isnull=True)
    for name, amount, in_kind, day, receipt in recorded.values_list(
        "donor__name", "amount", "bags_in_kind", "received_on", "receipt_number"
    ).iterator():
        for number in rows_by_gift.get((fold(name), amount, in_kind, day), ()):
            report.warning(number, "Nhà hảo tâm", f"Có thể đã ghi rồi: biên nhận {receipt} cùng người, số tiền, ngày.")
    report.warnings.sort(key=lambda problem: problem.row)
    report.summary = {"total": total, "bags_in_kind": bags, "bags_from_cash": total // campaign.bag_value}
    return report


def _donor_for(row, campaign, user, cache):
    key = (fold(row["name"]), fold(row["organisation"]))
    if key not in cache:
        donor = Donor.objects.filter(
            district=campaign.district, name=row["name"], organisation=row["organisation"]
        ).first()
        if donor is None:
            donor = donor_create(
                created_by=user,
                district=campaign.district,
                kind=Donor.Kind.BENEFACTOR,
                name=row["name"],
                organisation=row["organisation"],
                phone=row["phone"],
            )
        cache[key] = donor
    return cache[key]


@transaction.atomic
def donation_import(*, path, campaign, user, upload_key, checked=False):
    """Check the file again, then record every row through ``donation_record``; or raise ``ImportRefused``.

    Returns the donations recorded. ``upload_key`` (the upload's token) makes each row's submission key;
    ``checked`` says the upload guard passed this very file at its preview.
    """
    rows = []
    report = donation_import_check(path=path, campaign=campaign, keep=rows, checked=checked)
    if not report.ok:
        raise ImportRefused(report)
    donors, donations = {}, []
    for number, row in rows:
        donation, _ = donation_record(
            campaign=campaign,
            donor=_donor_for(row, campaign, user, donors),
            recorded_by=user,
            received_on=row["received_on"],
            method=row["method"],
            amount=row["amount"],
            bags_in_kind=row["bags"],
            note=row["note"],
            submission_key=uuid.uuid5(KEY_NAMESPACE, f"{upload_key}:{number}"),
        )
        donations.append(donation)
    return donations


def donation_template_guide():
    return [
        "Mỗi dòng là một khoản ủng hộ. Dòng đầu tiên giữ nguyên tên cột.",
        "Cột bắt buộc: Nhà hảo tâm, Số tiền, Ngày nhận.",
        "Số tiền: số đồng, ví dụ 1.000.000 hoặc 1000000.",
        "Hình thức: Tiền mặt, Chuyển khoản hoặc Túi hiện vật (để trống là Chuyển khoản).",
        "Túi hiện vật: để trống Số tiền và ghi Số túi.",
        "Ngày nhận: ngày/tháng/năm, ví dụ 22/08/2021.",
        "Mỗi dòng được cấp một biên nhận. Nếu còn dòng lỗi, không khoản nào được nhập.",
    ]
