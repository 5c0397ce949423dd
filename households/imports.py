"""Household lists sent by wards and ward police, read from .xlsx or .csv and imported all at once or not at all.

``household_import_check`` reads a file and reports every problem by row and column; ``household_import`` checks
again and, only when no row has an error, inserts every row in batches, in one transaction. Imported households
are "proposed": the district still verifies them. Likely duplicates (the same CCCD or phone twice in the file, or
already registered in the district) are warnings the staff read before confirming, never silently merged.
"""

import hashlib
import json
import re
from collections import defaultdict
from typing import NamedTuple

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from relief.bulk import insert_rows, one_of
from relief.models import Ward
from relief.spreadsheets import Column, Report, as_text, preview_path, read_rows
from relief.text import clean_name, fold, normalize_national_id, normalize_phone

from .models import CATEGORIES, Category, Household
from .tallies import add_households, households_counted_together

MAX_MEMBERS = 99
# A city ward's whole list fits in one file; make bench holds 100,000 rows under 500 MB of peak memory.
MAX_ROWS = 100_000
INSERT_CHUNK = 20_000  # rows sent at once: bounds the memory of one COPY's text
PREVIEW_VERSION = 1

COLUMNS = (
    Column("Họ và tên chủ hộ", "head_name", aliases=("Họ tên chủ hộ", "Chủ hộ", "Họ và tên", "Họ tên")),
    Column("CCCD", "national_id", aliases=("Số CCCD", "CCCD/CMND", "Số CCCD/CMND", "CMND", "Số CMND")),
    Column("Số điện thoại", "phone", aliases=("Điện thoại", "SĐT", "SDT")),
    Column("Địa chỉ", "address"),
    Column("Phường", "ward", aliases=("Phường/xã", "Phường / xã", "Xã")),
    Column("Số nhân khẩu", "members", aliases=("Nhân khẩu",)),
    Column("Diện", "categories", aliases=("Diện hỗ trợ", "Đối tượng")),
    Column("Cư trú", "residence", required=False, aliases=("Tình trạng cư trú",)),
)
HEADER = [column.title for column in COLUMNS]


class ImportRefused(Exception):
    """The file has errors: nothing was imported. ``report`` says which rows and why."""

    def __init__(self, report):
        super().__init__("Tệp còn lỗi, chưa nhập hộ nào.")
        self.report = report


class ImportChanged(Exception):
    """Households registered since the preview repeat some rows: nothing was imported. ``report`` shows them, so
    the staff can look again and confirm."""

    def __init__(self, report):
        super().__init__(
            "Từ lúc xem trước, quận đã có thêm hộ trùng CCCD hoặc số điện thoại với tệp; chưa nhập hộ nào. "
            "Hãy xem lại các cảnh báo rồi xác nhận lần nữa."
        )
        self.report = report


def _ward_key(text):
    """ "Phường 01", "P.1" and "phuong 1" name the same ward."""
    key = fold(text)
    key = re.sub(r"^p\.?\s*(\d+)$", r"phuong \1", key)
    if key.isdigit():
        key = f"phuong {key}"
    return re.sub(r"\b0+(\d)", r"\1", key)


class _Lookups:
    """Wards, categories and residences by the names people type, read once per file."""

    def __init__(self, user):
        self.wards = list(Ward.objects.visible_to(user).select_related("district"))
        self.ward_by_key = defaultdict(list)
        for ward in self.wards:
            for key in {_ward_key(ward.name), _ward_key(ward.code)}:
                self.ward_by_key[key].append(ward)
        self.category_by_key = {}
        for category in Category.objects.all():
            self.category_by_key[fold(category.name)] = category.pk
            self.category_by_key[fold(category.code)] = category.pk
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


def _parse_categories(value, lookups):
    ids = []
    for part in re.split(r"[;,]", as_text(value)):
        if not part.strip():
            continue
        category_id = lookups.category_by_key.get(fold(part))
        if category_id is None:
            raise ValidationError(
                "Không có diện “%(value)s”. Các diện: %(names)s.",
                params={"value": part.strip()[:60], "names": "; ".join(name for _, name in CATEGORIES)},
            )
        if category_id not in ids:
            ids.append(category_id)
    return ids


def _parse_ward(value, lookups):
    text = as_text(value)
    if not text:
        raise ValidationError("Thiếu tên phường.")
    found = lookups.ward_by_key.get(_ward_key(text), [])
    if len(found) > 1:
        raise ValidationError("Có nhiều phường tên “%(value)s”; hãy ghi mã phường.", params={"value": text[:60]})
    if not found:
        raise ValidationError(
            "Không có “%(value)s” trong các phường anh/chị quản lý (%(names)s).",
            params={"value": text[:60], "names": ", ".join(ward.name for ward in lookups.wards[:30])},
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
    text = _digits_from_cell(value, (9, 12))
    return normalize_national_id(text) if text else ""


def _parse_phone(value, lookups):
    text = _digits_from_cell(value, (10,))
    return normalize_phone(text) if text else ""


# Each column's parser takes the cell and the file's lookups; it returns the clean value or raises ValidationError.
PARSERS = {
    "head_name": lambda value, lookups: _parse_text(value, "họ và tên chủ hộ", 120),
    "national_id": _parse_national_id,
    "phone": _parse_phone,
    "address": lambda value, lookups: _parse_text(value, "địa chỉ", 250),
    "ward": _parse_ward,
    "members": lambda value, lookups: _parse_members(value),
    "categories": _parse_categories,
    "residence": _parse_residence,
}
# A list repeats the same few wards, categories and residences thousands of times: each distinct cell is parsed once.
REPEATED = ("ward", "members", "categories", "residence")
TITLES = {column.key: column.title for column in COLUMNS}
_PARSING = [(key, parse, key in REPEATED) for key, parse in PARSERS.items()]


class _Row(NamedTuple):
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


def _parse_row(values, lookups, report, number):
    """The row's cleaned values, or None with each of its errors added to ``report`` under its column."""
    row, failed = {}, False
    for key, parse, repeated in _PARSING:
        value = values.get(key)
        try:
            row[key] = lookups.remembered(key, value, parse) if repeated else parse(value, lookups)
        except ValidationError as error:
            failed = True
            report.error(number, TITLES[key], " ".join(error.messages))
    return None if failed else _Row(number=number, ward_text=as_text(values.get("ward")), **row)


def _file_rows(path, lookups, report):
    rows = []
    for number, values in read_rows(path, COLUMNS, MAX_ROWS, report=report):
        row = _parse_row(values, lookups, report, number)
        if row is not None:
            rows.append(row)
    return rows


def _flag_register_duplicates(report, user, rows_by, label, field):
    """Warn of rows whose number is already registered in the district; return those households' keys.

    A bounded number of queries however many rows the file has (one on PostgreSQL).
    """
    found = set()
    visible = Household.objects.visible_to(user).exclude(status=Household.Status.REJECTED).order_by()
    for among in one_of(field, rows_by):
        for pk, number, head_name, ward_name in visible.filter(among).values_list(
            "pk", field, "head_name", "ward__name"
        ):
            found.add(pk)
            for row in rows_by.get(number, ()):
                report.warning(row, label, f"Đã có hộ {head_name} ở {ward_name} cùng {label} {number}.")
    return found


def _flag_file_duplicates(report, rows):
    """Warn of numbers repeated within the file; sum the rows up by ward."""
    rows_by_id, rows_by_phone = defaultdict(list), defaultdict(list)
    per_ward = defaultdict(int)
    for row in rows:
        per_ward[row.ward.name] += 1
        for value, seen, label in ((row.national_id, rows_by_id, "CCCD"), (row.phone, rows_by_phone, "Số điện thoại")):
            if not value:
                continue
            if seen[value]:
                report.warning(row.number, label, f"Trùng {label} với dòng {seen[value][0]} của tệp.")
            seen[value].append(row.number)
    report.good_rows = len(rows)
    report.summary = dict(sorted(per_ward.items()))


def _flag_duplicates(report, user, rows, *, within_file=True):
    """Warn of numbers repeated within the file and of numbers already registered in the district.

    Returns the keys of the registered households the rows repeat.
    """
    if within_file:
        _flag_file_duplicates(report, rows)
    rows_by_id, rows_by_phone = defaultdict(list), defaultdict(list)
    for row in rows:
        if row.national_id:
            rows_by_id[row.national_id].append(row.number)
        if row.phone:
            rows_by_phone[row.phone].append(row.number)
    register = _flag_register_duplicates(report, user, rows_by_id, "CCCD", "national_id")
    register |= _flag_register_duplicates(report, user, rows_by_phone, "Số điện thoại", "phone")
    report.warnings.sort(key=lambda problem: problem.row)
    return register


def household_import_check(*, path, user, keep_preview=False):
    """Read the file at ``path`` as ``user`` would import it and return a ``Report``; nothing is saved.

    Raises ``SpreadsheetError`` when the file as a whole is unreadable or lacks a column. With ``keep_preview``, a
    file without errors leaves its checked rows beside it, so confirming does not read and check it again.
    """
    report = Report()
    rows = _file_rows(path, _Lookups(user), report)
    register = _flag_duplicates(report, user, rows)
    if keep_preview and report.ok:
        _preview_keep(path, user, rows, register)
    return report


# --- the checked rows, kept between the preview and the confirmation -------------------------------------------


def _digest(path):
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _preview_keep(path, user, rows, register):
    """Write the checked rows beside the uploaded file, under the file's digest and the user who checked it."""
    kept = {
        "version": PREVIEW_VERSION,
        "digest": _digest(path),
        "user": user.pk,
        "register": sorted(register),
        "rows": [[*row[:5], row.ward.pk, *row[6:]] for row in rows],
    }
    _preview_write(path, kept)


def _preview_write(path, kept):
    preview_path(path).write_text(json.dumps(kept, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _preview_load(path, user):
    """The rows kept at the preview of exactly this file by this user, or None (then the file is read again)."""
    try:
        kept = json.loads(preview_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("version") != PREVIEW_VERSION or kept.get("user") != user.pk:
        return None
    if kept.get("digest") != _digest(path):
        return None
    return kept


def _preview_recheck(kept, user, report):
    """The kept rows, each with its ward looked up again: a ward renamed, merged or moved out of the user's scope
    since the preview, or a category gone, is an error of that row now."""
    lookups = _Lookups(user)
    categories = set(Category.objects.values_list("pk", flat=True))
    rows = []
    for number, head_name, national_id, phone, address, ward_id, ward_text, members, category_ids, residence in kept[
        "rows"
    ]:
        try:
            ward = lookups.remembered("ward", ward_text, _parse_ward)
            if ward.pk != ward_id:
                raise ValidationError(
                    "“%(value)s” nay là một phường khác so với lúc xem trước.", params={"value": ward_text}
                )
        except ValidationError as error:
            report.error(number, TITLES["ward"], " ".join(error.messages))
            continue
        if not categories.issuperset(category_ids):
            report.error(number, TITLES["categories"], "Có diện đã bị xoá từ lúc xem trước.")
            continue
        rows.append(
            _Row(number, head_name, national_id, phone, address, ward, ward_text, members, category_ids, residence)
        )
    return rows


# --- writing ----------------------------------------------------------------------------------------------------


class _WordFolder:
    """``fold`` a name word by word, each distinct word once: a list of 100,000 names holds a few thousand words."""

    def __init__(self):
        self.words = {}

    def __call__(self, text):
        words = self.words
        folded = [words[word] if word in words else words.setdefault(word, fold(word)) for word in text.split()]
        return " ".join(word for word in folded if word)


HOUSEHOLD_FIELDS = (
    "ward_id", "head_name", "name_key", "national_id", "phone", "address", "address_key", "members", "residence",
    "status", "source", "notes", "created_by_id", "created_at", "updated_at",
)  # fmt: skip
HISTORY_FIELDS = (
    "id", "ward_id", "head_name", "national_id", "phone", "address", "members", "residence", "status", "source",
    "notes", "created_by_id", "created_at", "history_date", "history_change_reason", "history_type", "history_user_id",
)  # fmt: skip


def _insert(rows, user, note):
    """Insert households, their categories, and the history of both (invariant 6: who, when, what).

    The history is what ``bulk_create_with_history`` would write, plus the categories of each household's first
    version, which its own table keeps (one row per category and version). The leaders' counters (``relief.tallies``)
    count the new households once, set-based, instead of a few trigger statements for each row and category.
    """
    now, fold_words = timezone.now(), _WordFolder()
    proposed, imported = Household.Status.PROPOSED, Household.Source.IMPORT
    households = [
        (
            row.ward.pk, row.head_name, fold_words(row.head_name), row.national_id, row.phone, row.address,
            fold_words(row.address), row.members, row.residence, proposed, imported, note, user.pk, now, now,
        )
        for row in rows
    ]  # fmt: skip
    with households_counted_together(connection):
        ids = insert_rows(Household, HOUSEHOLD_FIELDS, households)
        links = [
            (pk, row_index, category_id)
            for row_index, (pk, row) in enumerate(zip(ids, rows, strict=True))
            for category_id in row.categories
        ]
        link_ids = insert_rows(
            Household.categories.through, ("household_id", "category_id"), [(pk, c) for pk, _, c in links]
        )
    add_households(connection, ids)
    history_ids = insert_rows(
        Household.history.model,
        HISTORY_FIELDS,
        [
            (pk, ward_id, head_name, national_id, phone, address, members, residence, status, source, notes,
             created_by, created_at, now, None, "+", user.pk)
            for pk, (ward_id, head_name, _, national_id, phone, address, _, members, residence, status, source, notes,
                     created_by, created_at, _) in zip(ids, households, strict=True)
        ],
    )  # fmt: skip
    versions = [(pk, history_ids[row_index], category) for pk, row_index, category in links]
    insert_rows(
        apps.get_model("households", "HistoricalHousehold_categories"),
        ("id", "household_id", "category_id", "history_id"),
        [
            (link_id, pk, category, history_id)
            for link_id, (pk, history_id, category) in zip(link_ids, versions, strict=True)
        ],
        with_ids=False,
    )


@transaction.atomic
def household_import(*, path, user, source_name=""):
    """Insert every row of the file at ``path`` as a proposed household, or raise ``ImportRefused`` / ``ImportChanged``.

    Returns the number of households imported. The rows checked at the preview of this very file (same digest, same
    user) are used as they are; what may have changed since is checked again inside the transaction: each ward is
    still the user's, each category still exists, and no household registered since repeats a row's number. Without
    a kept preview the file is read and checked here.
    """
    report = Report()
    kept = _preview_load(path, user)
    if kept is None:
        rows = _file_rows(path, _Lookups(user), report)
        _flag_duplicates(report, user, rows)
    else:
        rows = _preview_recheck(kept, user, report)
        report.good_rows = len(rows)
        # The rows' warnings within the file were read at the preview; only the register may have changed.
        register = _flag_duplicates(Report(), user, rows, within_file=False)
        if not report.error_count and rows and not register.issubset(kept["register"]):
            kept["register"] = sorted(register)
            _preview_write(path, kept)
            _flag_duplicates(report, user, rows)
            raise ImportChanged(report)
    if report.error_count or not rows:
        raise ImportRefused(report)
    note = f"Nhập từ tệp {source_name}".strip()[:250] if source_name else ""
    for start in range(0, len(rows), INSERT_CHUNK):
        _insert(rows[start : start + INSERT_CHUNK], user, note)
    return len(rows)


def household_template_guide():
    return [
        "Mỗi dòng là một hộ. Dòng đầu tiên giữ nguyên tên cột.",
        "Cột bắt buộc: " + ", ".join(column.title for column in COLUMNS if column.required) + ".",
        "CCCD: 12 chữ số (CMND cũ: 9 chữ số); có thể để trống nếu hộ không có giấy tờ.",
        "Số điện thoại: 10 chữ số bắt đầu bằng 0; có thể để trống.",
        "Diện: một hoặc nhiều diện, cách nhau bằng dấu ; hoặc dấu phẩy. Các diện:",
        *(f"  • {name}" for _, name in CATEGORIES),
        "Cư trú (không bắt buộc): " + ", ".join(label for _, label in Household.Residence.choices) + ".",
        "Ví dụ một dòng: Nguyễn Văn An | 079081000123 | 0912345678 | 12 Trần Hưng Đạo | Phường 1 | 4 | "
        "Hộ nghèo; Mất việc do dịch | Thường trú",
        "Nếu còn dòng lỗi, không hộ nào được nhập; sửa tệp rồi tải lên lại.",
    ]
