"""Amounts of money typed the way Vietnamese staff type them, read into whole đồng.

Accepted, all meaning 49.000.000 ₫: "49.000.000", "49 000 000", "49,000,000", "49000000", "49 triệu", "49tr".
With a unit, a comma is the decimal mark ("1,5 triệu" = 1.500.000 ₫) and units may follow one another from large
to small ("1 tỷ 200 triệu", "2 triệu 500 nghìn"). "500 nghìn", "500 ngàn" and "500k" are 500.000 ₫.
Refused: a bare number with a fraction (the đồng has no smaller unit), "1.5 triệu" (a dot groups thousands in
Vietnamese, so the reader cannot tell what was meant), anything that is not a number, zero and negative amounts.
"""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError

from relief.templatetags.relief_format import format_vnd

# The receipt reads the amount in words up to this, and no single gift to a district program comes near it.
MAX_AMOUNT = 999_999_999_999
MIN_AMOUNT = 1_000

UNITS = {
    "k": 1_000,
    "nghìn": 1_000,
    "nghin": 1_000,
    "ngàn": 1_000,
    "ngan": 1_000,
    "tr": 1_000_000,
    "triệu": 1_000_000,
    "trieu": 1_000_000,
    "tỷ": 1_000_000_000,
    "tỉ": 1_000_000_000,
    "ty": 1_000_000_000,
    "ti": 1_000_000_000,
}
CURRENCY = re.compile(r"(₫|đồng|dong|vnđ|vnd|đ)$")
GROUPED = re.compile(r"\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*")
NUMBER_WITH_UNIT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*([^\d\s,.]+)")

EXAMPLE = "ví dụ 49.000.000 hoặc 49 triệu"


def _invalid(message, code="invalid_amount", **params):
    return ValidationError(message, code=code, params=params)


def _bare_number(text):
    """Digits alone, or grouped by threes with one kind of separator: "49.000.000", "49 000 000", "49,000,000"."""
    if text.isdigit():
        return int(text)
    if GROUPED.fullmatch(text):
        return int(re.sub(r"[., ]", "", text))
    if re.fullmatch(r"\d+[.,]\d{1,2}", text):
        raise _invalid("Tiền đồng không có phần lẻ: hãy nhập số đồng nguyên, %(example)s.", example=EXAMPLE)
    return None


def _with_units(text):
    """Numbers each followed by a unit, larger units first: "1 tỷ 200 triệu", "1,5 triệu", "500k"."""
    total, position, last_unit = Decimal(0), 0, None
    for match in NUMBER_WITH_UNIT.finditer(text):
        if text[position : match.start()].strip():
            return None
        whole, fraction, unit_word = match.groups()
        unit = UNITS.get(unit_word)
        if unit is None or (last_unit is not None and unit >= last_unit):
            return None
        total += Decimal(f"{whole.replace('.', '')}.{fraction or 0}") * unit
        position, last_unit = match.end(), unit
    if last_unit is None or text[position:].strip():
        return None
    if total != total.to_integral_value():
        raise _invalid("Số tiền phải là số đồng nguyên; %(text)s không tròn đồng.", text=text)
    return int(total)


def parse_amount(value):
    """Return the amount typed in ``value`` as a whole number of đồng, or raise a ValidationError in Vietnamese."""
    # Some keyboards send decomposed letters ("ệ" as "e" plus two marks); the unit names are written composed.
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", str(value or ""))).strip().lower()
    if not text:
        raise _invalid("Hãy nhập số tiền, %(example)s.", code="required", example=EXAMPLE)
    if text.startswith("-"):
        raise _invalid("Số tiền phải lớn hơn 0. Muốn giảm một khoản đã ghi, hãy lập bút toán điều chỉnh.")
    text = CURRENCY.sub("", text).strip()
    if re.fullmatch(r"\d+\.\d{1,2}\s*[^\d\s,.]+", text):
        raise _invalid("Trong tiếng Việt dấu chấm ngăn hàng nghìn; phần thập phân dùng dấu phẩy, ví dụ 1,5 triệu.")
    amount = _bare_number(text)
    if amount is None:
        amount = _with_units(text)
    if amount is None:
        raise _invalid("Không đọc được số tiền “%(value)s”: hãy nhập %(example)s.", value=value, example=EXAMPLE)
    if amount <= 0:
        raise _invalid("Số tiền phải lớn hơn 0.")
    if amount < MIN_AMOUNT:
        raise _invalid("Số tiền nhỏ nhất là %(min)s; có thể bạn gõ thiếu chữ số?", min=format_vnd(MIN_AMOUNT))
    if amount > MAX_AMOUNT:
        raise _invalid("Số tiền quá lớn: mỗi biên nhận ghi tối đa %(max)s.", max=format_vnd(MAX_AMOUNT))
    return amount
