"""What a cell of a household list means: the columns a list may have and the words wards head them with, and
each cell read into a household's value, tolerantly (numbers Excel rewrote, free-text categories, residence told
by the address), with what was read otherwise than written told to the report.

``households.imports`` reads the file and imports the rows; this module knows one row at a time.
"""

import re
from collections import defaultdict
from typing import NamedTuple

from django.core.exceptions import ValidationError

from relief.levels import words_for
from relief.models import Ward
from relief.spreadsheets import Column, as_text
from relief.tables import header_key
from relief.text import clean_name, clean_text, fold, mask_national_id, normalize_national_id, normalize_phone

from .models import CATEGORIES, Category, CategoryMapping, ColumnMapping, Household

MAX_MEMBERS = 99
ADDRESS_LENGTH = 250

COLUMNS = (
    Column(
        "Họ và tên chủ hộ",
        "head_name",
        shapes_row=True,
        aliases=("Họ tên chủ hộ", "Chủ hộ", "Tên chủ hộ", "Họ và tên", "Họ tên", "Họ và tên người nhận"),
    ),
    # A household may have no papers and no phone: a list without these columns reads them as empty.
    Column(
        "CCCD",
        "national_id",
        required=False,
        aliases=("Số CCCD", "CCCD/CMND", "Số CCCD/CMND", "CMND", "Số CMND", "CMND/CCCD", "Số định danh", "Căn cước"),
    ),
    Column(
        "Số điện thoại", "phone", required=False, aliases=("Điện thoại", "SĐT", "Số ĐT", "ĐT", "Điện thoại liên hệ")
    ),
    Column(
        "Địa chỉ",
        "address",
        shapes_row=True,
        aliases=("Số nhà, đường", "Số nhà", "Nơi ở hiện tại", "Chỗ ở hiện nay", "Địa chỉ thường trú", "Nơi ở"),
    ),
    Column("Phường", "ward", required=False, aliases=("Phường/xã", "Phường / xã", "Xã")),
    Column("Số nhân khẩu", "members", shapes_row=True, aliases=("Nhân khẩu", "Số người", "Số thành viên", "Số khẩu")),
    Column(
        "Diện",
        "categories",
        aliases=("Diện hỗ trợ", "Đối tượng", "Đối tượng hỗ trợ", "Diện đối tượng", "Thuộc diện", "Hoàn cảnh"),
    ),
    Column("Cư trú", "residence", required=False, aliases=("Tình trạng cư trú",)),
    Column(
        "Khu phố", "neighbourhood", required=False, aliases=("Tổ dân phố", "Khu phố/Tổ dân phố", "KP", "Ấp", "Thôn")
    ),
    Column("Quê quán", "hometown", required=False, aliases=("Nguyên quán", "Quê")),
    Column("Ghi chú", "note", required=False),
)
# A number copied as a formula may show one value and hold another; an error cell (#N/A) reads as empty.
TYPED = tuple(column for column in COLUMNS if column.key in ("national_id", "phone", "members"))


def _ward_key(text):
    """ "Phường 01", "P.1" and "phuong 1" name the same ward."""
    key = fold(text)
    key = re.sub(r"^p\.?\s*(\d+)$", r"phuong \1", key)
    if key.isdigit():
        key = f"phuong {key}"
    return re.sub(r"\b0+(\d)", r"\1", key)


class Lookups:
    """Wards, categories and residences by the names people type, read once per file."""

    def __init__(self, user):
        self.wards = list(Ward.objects.visible_to(user).select_related("district"))
        self.words = words_for(user)  # the user's levels, for the messages: "phường" of a "quận", "khu phố" …
        self.ward_by_key = defaultdict(list)
        for ward in self.wards:
            for key in {_ward_key(ward.name), _ward_key(ward.code)}:
                self.ward_by_key[key].append(ward)
        self.category_by_key = {}
        self.category_by_words, self.category_names = {}, {}
        by_code = {}
        for category in Category.objects.all():
            self.category_by_key[fold(category.name)] = category.pk
            self.category_by_key[fold(category.code)] = category.pk
            self.category_by_words[_category_words(category.name)] = category.pk
            self.category_names[category.pk] = category.name
            by_code[category.code] = category.pk
        for words, code in CATEGORY_WORDS.items():
            if code in by_code:
                self.category_by_words.setdefault(tuple(words.split()), by_code[code])
        self.readings = {}  # free text read as a category by its words: shown on the preview
        # Categories the district's staff chose on earlier previews for words nothing else reads: {folded words:
        # category id, or None to leave them out}; and the words of this file nothing reads, to be chosen for
        # ({folded words: the first writing of them}).
        self.category_chosen = dict(
            CategoryMapping.objects.filter(district_id=user.district_id).values_list("text_key", "category_id")
        )
        self.unknown_categories = {}
        # The columns the district's staff mapped on earlier previews: {title key: field, or "" to leave it out}.
        self.chosen = dict(ColumnMapping.objects.filter(district_id=user.district_id).values_list("title_key", "field"))
        self.residence_by_key = {}
        for value, label in Household.Residence.choices:
            self.residence_by_key[fold(label)] = value
            self.residence_by_key[fold(value)] = value
        self.residence_by_key["khong noi cu tru"] = Household.Residence.NONE
        self.parsed = {}

    def remembered(self, key, value, parse):
        """``parse(value, self)``, worked out once per distinct cell of a column; a refusal is remembered too."""
        memo = (key, value.__class__, value)  # so that True, 1 and 1.0 stay three different cells
        if memo not in self.parsed:
            try:
                self.parsed[memo] = (parse(value, self), None)
            except ValidationError as error:
                self.parsed[memo] = (None, error.messages)
        result, refusal = self.parsed[memo]
        if refusal:
            raise ValidationError(refusal)  # a fresh one: raising the same exception again would grow its traceback
        return result


def _digits_from_cell(value, lengths):
    """A number Excel stored as a number lost its leading 0; put it back where the length says one is missing."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
        for length in lengths:
            if len(text) == length - 1:
                return "0" + text
        return text
    return as_text(value)


def _parse_members(value):
    if value is None or as_text(value) == "":
        return 1
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = as_text(value)
    if isinstance(value, bool) or (not isinstance(value, int) and not text.isdigit()):
        raise ValidationError("Số nhân khẩu “%(value)s” không phải số nguyên.", params={"value": text[:30]})
    number = int(text)
    if not 1 <= number <= MAX_MEMBERS:
        raise ValidationError("Số nhân khẩu phải từ 1 đến %(max)s.", params={"max": MAX_MEMBERS})
    return number


# Words wards write for a category that its name does not hold.
CATEGORY_WORDS = {
    "that nghiep": "mat-viec-do-dich",
    "mat viec": "mat-viec-do-dich",
    "nguoi khuyet tat": "nguoi-yeu-the",
    "khuyet tat": "nguoi-yeu-the",
    "neo don": "nguoi-yeu-the",
    "nguoi cao tuoi": "nguoi-yeu-the",
    "tre mo coi": "nguoi-yeu-the",
    "vo gia cu": "lang-thang-co-nho",
    "lang thang": "lang-thang-co-nho",
    "khong noi cu tru": "lang-thang-co-nho",
    "ban ve so": "lao-dong-tu-do",
    "kho khan": "hoan-canh-kho-khan",
    "gia dinh co cong": "nguoi-co-cong",
    "thuong binh": "nguoi-co-cong",
    "liet si": "gia-dinh-chinh-sach",
}


def _category_words(text):
    return tuple(header_key(text).split())


def _contains(words, phrase):
    """Whether ``phrase`` (a tuple of words) appears in ``words`` in order and side by side."""
    size = len(phrase)
    return any(words[start : start + size] == phrase for start in range(len(words) - size + 1))


def _category_near(part, lookups):
    """The category a free-text ``part`` names: the one whose name (or a word wards use for it) it holds, the
    longest such name winning ("hộ cận nghèo" holds "hộ … nghèo" too), or None."""
    words = _category_words(part)
    best, best_size = None, 0
    for phrase, category_id in lookups.category_by_words.items():
        if len(phrase) > best_size and _contains(words, phrase):
            best, best_size = category_id, len(phrase)
    return best


def _parse_categories(value, lookups):
    ids = []
    for part in re.split(r"[;,+/\n]", as_text(value)):
        if not part.strip():
            continue
        key = fold(part)
        if key in lookups.category_chosen:
            category_id = lookups.category_chosen[key]
            if category_id is None:
                continue  # words the district chose to leave out
        else:
            category_id = lookups.category_by_key.get(key)
        if category_id is None:
            category_id = _category_near(part, lookups)
            if category_id is not None:
                lookups.readings[clean_text(part)] = category_id
        if category_id is None:
            lookups.unknown_categories.setdefault(key, clean_text(part).strip())  # one choice for every writing
            raise ValidationError(
                "Không có diện “%(value)s”. Các diện: %(names)s.",
                params={"value": part.strip()[:60], "names": "; ".join(name for _, name in CATEGORIES)},
            )
        if category_id not in ids:
            ids.append(category_id)
    return ids


def parse_ward(value, lookups):
    text = as_text(value)
    if not text:
        raise ValidationError("Thiếu tên %(unit)s.", params={"unit": lookups.words.unit})
    found = lookups.ward_by_key.get(_ward_key(text), [])
    if len(found) > 1:
        raise ValidationError(
            "Có nhiều %(unit)s tên “%(value)s”; hãy ghi mã %(unit)s.",
            params={"value": text[:60], "unit": lookups.words.unit},
        )
    if not found:
        raise ValidationError(
            "Không có “%(value)s” trong các %(unit)s anh/chị quản lý (%(names)s).",
            params={
                "value": text[:60],
                "unit": lookups.words.unit,
                "names": ", ".join(ward.name for ward in lookups.wards[:30]),
            },
        )
    return found[0]


def _parse_text(value, label, max_length):
    text = clean_name(as_text(value))
    if not text:
        raise ValidationError("Thiếu %(label)s.", params={"label": label})
    if len(text) > max_length:
        raise ValidationError(
            "%(label)s dài quá %(max)s ký tự.", params={"label": label.capitalize(), "max": max_length}
        )
    return text


def _parse_residence(value, lookups):
    text = as_text(value)
    if not text:
        return Household.Residence.PERMANENT
    residence = lookups.residence_by_key.get(fold(text))
    if residence is None:
        raise ValidationError(
            "Cư trú “%(value)s” không hợp lệ; ghi một trong: %(names)s.",
            params={"value": text[:40], "names": ", ".join(label for _, label in Household.Residence.choices)},
        )
    return residence


def _parse_national_id(value, lookups):
    """A CCCD or a CMND; a CCCD Excel kept as a number (11 digits, its leading 0 lost) gets its 0 back only when
    that makes a valid CCCD, so a mistyped number is still refused as typed."""
    text = as_text(value)
    if not text:
        return ""
    if len(text) == 11 and text.isdigit():
        try:
            return normalize_national_id("0" + text)
        except ValidationError:
            pass
    return normalize_national_id(text)


def _parse_phone(value, lookups):
    text = _digits_from_cell(value, (10,))
    return normalize_phone(text) if text else ""


def _parse_neighbourhood(value, lookups):
    """ "Khu phố" beside the address: a bare number is the khu phố's number."""
    text = clean_name(as_text(value))
    return f"Khu phố {text}" if text.isdigit() else text


def _parse_note(value, lookups):
    return clean_text(as_text(value))


# Each column's parser takes the cell and the file's lookups; it returns the clean value or raises ValidationError.
PARSERS = {
    "head_name": lambda value, lookups: _parse_text(value, "họ và tên chủ hộ", 120),
    "national_id": _parse_national_id,
    "phone": _parse_phone,
    "address": lambda value, lookups: _parse_text(value, "địa chỉ", ADDRESS_LENGTH),
    "ward": parse_ward,
    "members": lambda value, lookups: _parse_members(value),
    "categories": _parse_categories,
    "residence": _parse_residence,
    "neighbourhood": _parse_neighbourhood,
    "hometown": _parse_note,
    "note": _parse_note,
}
# Read only when the file has them: a list in the template's columns parses what it always parsed.
EXTRA = ("neighbourhood", "hometown", "note")
USES = {"neighbourhood": "Địa chỉ (nối sau số nhà, đường)", "hometown": "Ghi chú (“Quê quán: …”)", "note": "Ghi chú"}
# A list repeats the same few wards, categories and residences thousands of times: each distinct cell is parsed once.
REPEATED = ("ward", "members", "categories", "residence")
TITLES = {column.key: column.title for column in COLUMNS}
BASE_FIELDS = len(PARSERS) - len(EXTRA)  # a file read with more columns than these has extras to fold in


def parsing_for(found):
    """(key, parser, whether repeated) for the columns every row has, and for the extra ones the file has."""
    return [(key, parse, key in REPEATED) for key, parse in PARSERS.items() if key not in EXTRA or key in found]


class Row(NamedTuple):
    """One checked row: clean values, the ward it names, and that name as typed (to be looked up again on confirm)."""

    number: int
    head_name: str
    national_id: str
    phone: str
    address: str
    ward: Ward
    ward_text: str
    members: int
    categories: list
    residence: str
    notes: str = ""


def _with_extras(row, report, number):
    """Fold the extra columns into the household: the khu phố ends the address, home town and note go to notes."""
    neighbourhood, hometown, note = (row.pop(key, "") for key in EXTRA)
    if neighbourhood and "address" in row:
        row["address"] = f"{row['address']}, {neighbourhood}"
        if len(row["address"]) > ADDRESS_LENGTH:
            report.error(
                number,
                TITLES["address"],
                f"Địa chỉ cùng khu phố dài quá {ADDRESS_LENGTH} ký tự.",
                name=row.get("head_name", ""),
            )
            return False
    row["notes"] = "; ".join(part for part in (f"Quê quán: {hometown}" if hometown else "", note) if part)
    return True


def parse_row(values, lookups, report, number, parsing):
    """The row's cleaned values, or None with each of its errors added to ``report`` under its column."""
    row, failed = {}, False
    for key, parse, repeated in parsing:
        value = values.get(key)
        try:
            row[key] = lookups.remembered(key, value, parse) if repeated else parse(value, lookups)
        except ValidationError as error:
            failed = True
            name = clean_name(as_text(values.get("head_name")))[:60]
            report.error(number, TITLES[key], " ".join(error.messages), name=name)
    if failed or (len(parsing) > BASE_FIELDS and not _with_extras(row, report, number)):
        return None
    national_id = row["national_id"]
    if national_id and len(national_id) == 12 and not as_text(values.get("national_id")).startswith("0"):
        report.correct(number, TITLES["national_id"], f"Thêm số 0 Excel đã bỏ ở đầu: {mask_national_id(national_id)}")
    if not values.get("residence"):
        _infer_residence(row, report, number)
    return Row(number=number, ward_text=as_text(values.get("ward")), **row)


# What an address says of where the household lives ("78 Hùng Vương (ở trọ)", "Gầm cầu Chữ Y"), most telling first.
RESIDENCE_WORDS = (
    (re.compile(r"không nơi cư trú|khong noi cu tru|vô gia cư|vo gia cu|gầm cầu|gam cau|lang thang", re.I), "none"),
    (re.compile(r"ngoại tỉnh|ngoai tinh", re.I), "other_province"),
    (re.compile(r"ở trọ|o tro|nhà trọ|nha tro|phòng trọ|phong tro|tạm trú|tam tru|ở nhờ|o nho", re.I), "temporary"),
)


def _infer_residence(row, report, number):
    """A row whose residence cell is empty: the residence its address tells, shown on the preview to be confirmed."""
    address = row.get("address", "")
    for words, residence in RESIDENCE_WORDS:
        found = words.search(address)
        if found:
            row["residence"] = residence
            label = Household.Residence(residence).label
            report.correct(number, TITLES["residence"], f"{label} (địa chỉ ghi “{found.group(0)}”)")
            return
