"""Vietnamese text as people type it: names without diacritics, phones with +84, IDs with spaces."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone

from relief.provinces import PROVINCES, birth_year_of

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"[\s.\-()]")
# Characters nobody means to type but copy and paste bring along: control characters (NUL among them, which
# PostgreSQL refuses in text; those Unicode counts as spaces, tab and line breaks, stay spaces) and the zero-width
# ones, which make two equal names differ.
_INVISIBLE = dict.fromkeys(
    [
        *(code for code in [*range(0x20), *range(0x7F, 0xA0)] if not chr(code).isspace()),
        0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
    ]
)  # fmt: skip


def clean_text(text):
    """Text as a person meant it: composed Unicode (NFC), single spaces, without control or zero-width characters.

    Names and addresses are stored so, and every search box cleans its words so: a NUL byte in a query is dropped
    rather than sent to the database. ``str.split`` splits on what ``\\s`` matches (both ask
    ``Py_UNICODE_ISSPACE``), in a third of the time.
    """
    return " ".join(unicodedata.normalize("NFC", (text or "").translate(_INVISIBLE)).split())


def fold(text):
    """Lower-case, accent-free form of ``text`` so that "nguyen van duc" matches "Nguyễn Văn Đức".

    ``đ`` is a letter of its own in Unicode, not ``d`` with a mark, so it is mapped by hand. The characters
    ``clean_text`` drops are dropped here too, so that a zero-width space does not hide a duplicate.
    """
    if not text:
        return ""
    text = text.translate(_INVISIBLE).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def clean_name(text):
    """A name or an address as it is stored: ``clean_text``."""
    return clean_text(text)


def normalize_phone(value):
    """Return a mobile number as 10 digits starting with 0, or raise ValidationError.

    People write "0912 345 678", "0912.345.678" or "+84 912 345 678"; all are the same number.
    """
    raw = _NON_DIGITS.sub("", value or "")
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if not re.fullmatch(r"0\d{9}", raw):
        raise ValidationError(
            "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84 thay cho số 0).", code="invalid_phone"
        )
    return raw


def normalize_national_id(value):
    """Return a national ID as digits: a 12-digit CCCD or an old 9-digit CMND; raise ValidationError otherwise."""
    raw = _NON_DIGITS.sub("", value or "")
    if not raw.isdigit() or len(raw) not in (9, 12):
        raise ValidationError("Số CCCD phải có 12 chữ số (hoặc CMND cũ 9 chữ số).", code="invalid_national_id")
    if len(raw) == 12:
        if raw[:3] not in PROVINCES:
            raise ValidationError(
                "Số CCCD bắt đầu bằng mã tỉnh nơi đăng ký khai sinh (001 Hà Nội, 079 TP. Hồ Chí Minh, …); "
                "%(code)s không phải mã tỉnh.",
                code="invalid_national_id_province",
                params={"code": raw[:3]},
            )
        year = birth_year_of(raw)
        # Only a year of this century can lie in the future: the clock is read only then (imports check 100,000).
        if year is None or (year >= 2000 and year > timezone.localdate().year):
            raise ValidationError(
                "Chữ số thứ 4 đến 6 của CCCD (giới tính, năm sinh) không hợp lệ.", code="invalid_national_id_year"
            )
    return raw


def mask_national_id(value):
    """Show only the last three digits: enough to tell two people apart on a signature list."""
    if not value:
        return ""
    return "•" * (len(value) - 3) + value[-3:]


def mask_phone(value):
    if not value:
        return ""
    return value[:3] + "•" * (len(value) - 6) + value[-3:]
