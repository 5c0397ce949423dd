"""The QR code on the back of a chip-based CCCD, read into the fields of the registration form.

The code holds one line of text, seven fields separated by ``|``:
``CCCD number|old CMND number|full name|date of birth DDMMYYYY|sex|permanent address|issue date DDMMYYYY``
(the old number is empty for people who never had a CMND). It is personal data: it is parsed here, handed to the
form, and kept nowhere else; the functions say nothing of it in their errors and are marked so that an error
report does not print their variables.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from relief.text import clean_name, normalize_national_id

SEPARATOR = "|"
FIELDS = 7
# A real code is under 250 characters (a long address included); anything far beyond is not a CCCD's.
MAX_LENGTH = 600
SEXES = {"nam": "male", "nữ": "female", "nu": "female"}

NOT_CCCD = "Mã vừa quét không phải mã QR của CCCD gắn chip."
TOO_LONG = "Mã vừa quét dài hơn %(limit)s ký tự: không phải mã QR của CCCD hay nhãn túi."
NOT_UTF8 = "Mã vừa quét có ký tự không đọc được (không phải chữ mã hóa UTF-8): không phải mã QR của CCCD hay nhãn túi."
WRONG_FIELDS = (
    "Mã CCCD phải có 7 mục ngăn bởi dấu “|” (số CCCD, số CMND cũ, họ tên, ngày sinh, giới tính, nơi thường trú, "
    "ngày cấp); mã vừa quét có %(count)s mục."
)
MISSING = "Mã CCCD thiếu %(what)s."
BAD_NUMBER = "Số CCCD trong mã không hợp lệ: %(why)s"
BAD_OLD_NUMBER = "Số CMND cũ trong mã phải có 9 hoặc 12 chữ số."
BAD_DATE = "%(what)s trong mã CCCD phải là ngày có thật, dạng NgàyThángNăm (8 chữ số, ví dụ 15031985)."
FUTURE_DATE = "%(what)s trong mã CCCD ở sau ngày hôm nay."
BAD_SEX = "Giới tính trong mã CCCD phải là “Nam” hoặc “Nữ”."
NAME_WITHOUT_LETTERS = "Họ tên trong mã CCCD không có chữ."


@dataclass(frozen=True)
class CccdCard:
    """What a CCCD's code says. ``national_id`` is the 12-digit CCCD number, or the old CMND's when the code holds
    only that; ``sex`` is ``"male"`` or ``"female"``; ``issued_on`` may be None on an old code without it."""

    national_id: str
    old_id: str
    full_name: str
    birth_date: datetime.date
    sex: str
    address: str
    issued_on: datetime.date | None

    def form_initial(self):
        """The registration form's fields this card fills."""
        return {
            "national_id": self.national_id,
            "head_name": self.full_name,
            "head_birth_date": self.birth_date,
            "head_sex": self.sex,
            "address": self.address,
        }


def looks_like_cccd(text):
    """Whether a scanned text is meant as a CCCD's code (fields separated by ``|``) rather than a bag's label."""
    return SEPARATOR in text


@sensitive_variables()
def text_of(payload):
    """The text of a code's bytes (``bytes``) as UTF-8, or the text itself; refused when too long or not UTF-8."""
    if isinstance(payload, bytes | bytearray):
        if len(payload) > MAX_LENGTH * 4:
            raise ValidationError(TOO_LONG, code="cccd_too_long", params={"limit": MAX_LENGTH})
        try:
            payload = bytes(payload).decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(NOT_UTF8, code="cccd_not_utf8") from None
    if len(payload) > MAX_LENGTH:
        raise ValidationError(TOO_LONG, code="cccd_too_long", params={"limit": MAX_LENGTH})
    return payload


@sensitive_variables()
def parse_cccd(payload):
    """The ``CccdCard`` a CCCD's QR code holds (``str``, or the raw ``bytes`` a decoder read); ``ValidationError``
    with one clear Vietnamese message when the code is not one."""
    text = text_of(payload).strip().lstrip("\ufeff")
    if not text:
        raise ValidationError(NOT_CCCD, code="cccd_empty")
    if "\ufffd" in text:  # a decoder that met bytes it could not read put the replacement character in their place
        raise ValidationError(NOT_UTF8, code="cccd_not_utf8")
    if SEPARATOR not in text:
        raise ValidationError(NOT_CCCD, code="cccd_no_separator")
    fields = [field.strip() for field in text.split(SEPARATOR)]
    if len(fields) != FIELDS:
        raise ValidationError(WRONG_FIELDS, code="cccd_fields", params={"count": len(fields)})
    number, old_number, name, born, sex, address, issued = fields
    national_id, old_id = _numbers(number, old_number)
    full_name = clean_name(name)
    if not full_name:
        raise ValidationError(MISSING, code="cccd_missing", params={"what": "họ tên"})
    if not any(ch.isalpha() for ch in full_name):
        raise ValidationError(NAME_WITHOUT_LETTERS, code="cccd_name")
    if not born:
        raise ValidationError(MISSING, code="cccd_missing", params={"what": "ngày sinh"})
    address = clean_name(address)
    if not address:
        raise ValidationError(MISSING, code="cccd_missing", params={"what": "nơi thường trú"})
    return CccdCard(
        national_id=national_id,
        old_id=old_id,
        full_name=full_name,
        birth_date=_date(born, "Ngày sinh"),
        sex=_sex(sex),
        address=address,
        issued_on=_date(issued, "Ngày cấp") if issued else None,
    )


def _numbers(number, old_number):
    digits = "".join(ch for ch in number if not ch.isspace())
    old = "".join(ch for ch in old_number if not ch.isspace())
    if old and not (old.isdigit() and len(old) in (9, 12)):
        raise ValidationError(BAD_OLD_NUMBER, code="cccd_old_number")
    if not digits:
        if not old:
            raise ValidationError(MISSING, code="cccd_missing", params={"what": "số CCCD"})
        # A code with only the old number: the household is registered under it, as a CMND typed by hand is.
        return old, old
    if not digits.isdigit() or len(digits) != 12:
        raise ValidationError(BAD_NUMBER, code="cccd_number", params={"why": "phải có đúng 12 chữ số."})
    try:
        return normalize_national_id(digits), old
    except ValidationError as error:
        raise ValidationError(BAD_NUMBER, code="cccd_number", params={"why": " ".join(error.messages)}) from None


def _date(text, what):
    if not (len(text) == 8 and text.isdigit()):
        raise ValidationError(BAD_DATE, code="cccd_date", params={"what": what})
    try:
        day = datetime.date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise ValidationError(BAD_DATE, code="cccd_date", params={"what": what}) from None
    if day > timezone.localdate():
        raise ValidationError(FUTURE_DATE, code="cccd_future", params={"what": what})
    return day


def _sex(text):
    sex = SEXES.get(clean_name(text).lower())
    if sex is None:
        raise ValidationError(BAD_SEX, code="cccd_sex")
    return sex
