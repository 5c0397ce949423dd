"""Household lists sent by wards and ward police, read from .xlsx or .csv and imported all at once or not at all.

``household_import_check`` reads a file and reports every problem by row and column; ``household_import`` checks
again and, only when no row has an error, inserts every row in batches, in one transaction. Imported households
are "proposed": the district still verifies them. Likely duplicates (the same CCCD or phone twice in the file, or
already registered in the district) are warnings the staff read before confirming, never silently merged.
"""

import re
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from relief.models import Ward
from relief.spreadsheets import Column, Report, as_text, read_rows
from relief.text import clean_name, fold, normalize_national_id, normalize_phone

from .models import CATEGORIES, Category, Household

BATCH = 1000
MAX_MEMBERS = 99
LOOKUP_CHUNK = 500

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
    if not isinstance(value, int) and not text.isdigit():
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
TITLES = {column.key: column.title for column in COLUMNS}


def _parse_row(values, lookups, report, number):
    """The row's cleaned values, or None with each of its errors added to ``report`` under its column."""
    row, failed = {}, False
    for key, parse in PARSERS.items():
        try:
            row[key] = parse(values.get(key), lookups)
        except ValidationError as error:
            failed = True
            report.error(number, TITLES[key], " ".join(error.messages))
    return None if failed else row


def _parsed_rows(path, user, report):
    lookups = _Lookups(user)
    for number, values in read_rows(path, COLUMNS):
        row = _parse_row(values, lookups, report, number)
        if row is not None:
            report.good_rows += 1
            yield number, row


def _warn_duplicates_in_district(report, user, rows_by, label, field):
    """One bounded query per chunk of numbers: which of them are already registered in the district."""
    numbers = list(rows_by)
    visible = Household.objects.visible_to(user).exclude(status=Household.Status.REJECTED)
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        chunk = numbers[start : start + LOOKUP_CHUNK]
        for number, head_name, ward_name in visible.filter(**{f"{field}__in": chunk}).values_list(
            field, "head_name", "ward__name"
        ):
            for row in rows_by.get(number, ()):
                report.warning(row, label, f"Đã có hộ {head_name} ở {ward_name} cùng {label} {number}.")


def household_import_check(*, path, user, keep=None):
    """Read the file at ``path`` as ``user`` would import it and return a ``Report``; nothing is saved.

    Raises ``SpreadsheetError`` when the file as a whole is unreadable or lacks a column. ``keep``, a list, receives
    the cleaned rows, so the import reads the file once.
    """
    report = Report()
    rows_by_id, rows_by_phone = defaultdict(list), defaultdict(list)
    per_ward = defaultdict(int)
    for number, row in _parsed_rows(path, user, report):
        if keep is not None:
            keep.append(row)
        per_ward[row["ward"].name] += 1
        for value, seen, label in (
            (row["national_id"], rows_by_id, "CCCD"),
            (row["phone"], rows_by_phone, "Số điện thoại"),
        ):
            if not value:
                continue
            if seen[value]:
                report.warning(number, label, f"Trùng {label} với dòng {seen[value][0]} của tệp.")
            seen[value].append(number)
    _warn_duplicates_in_district(report, user, rows_by_id, "CCCD", "national_id")
    _warn_duplicates_in_district(report, user, rows_by_phone, "Số điện thoại", "phone")
    report.warnings.sort(key=lambda problem: problem.row)
    report.summary = dict(sorted(per_ward.items()))
    return report


def _insert(batch, user):
    """Insert a batch of households, their categories, and the history of both (invariant 6: who, when, what)."""
    households = bulk_create_with_history([household for household, _ in batch], Household, default_user=user)
    through = Household.categories.through
    links = through.objects.bulk_create(
        [
            through(household_id=household.pk, category_id=category_id)
            for household, (_, category_ids) in zip(households, batch, strict=True)
            for category_id in category_ids
        ],
        batch_size=BATCH,
    )
    # bulk_create_with_history records the households' fields but not their categories; the history keeps them in
    # its own table, one row per category and household version, which a bulk path has to fill itself.
    history_of = dict(
        Household.history.filter(id__in=[household.pk for household in households], history_type="+").values_list(
            "id", "history_id"
        )
    )
    category_history = apps.get_model("households", "HistoricalHousehold_categories")
    category_history.objects.bulk_create(
        [
            category_history(
                id=link.pk,
                household_id=link.household_id,
                category_id=link.category_id,
                history_id=history_of[link.household_id],
            )
            for link in links
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def household_import(*, path, user, source_name=""):
    """Check the file again and insert every row as a proposed household, or raise ``ImportRefused``.

    Returns the number of households imported. The cleaned rows (small dicts: 20,000 at most) are kept from the
    check, so the file is parsed once; it is the spreadsheet, never held whole, that would cost memory.
    """
    rows = []
    report = household_import_check(path=path, user=user, keep=rows)
    if not report.ok:
        raise ImportRefused(report)
    note = f"Nhập từ tệp {source_name}".strip()[:250] if source_name else ""
    batch, count = [], 0
    for row in rows:
        household = Household(
            ward=row["ward"],
            head_name=row["head_name"],
            national_id=row["national_id"],
            phone=row["phone"],
            address=row["address"],
            members=row["members"],
            residence=row["residence"],
            status=Household.Status.PROPOSED,
            source=Household.Source.IMPORT,
            notes=note,
            created_by=user,
        )
        household.normalize()
        batch.append((household, row["categories"]))
        if len(batch) == BATCH:
            _insert(batch, user)
            count += len(batch)
            batch = []
    if batch:
        _insert(batch, user)
        count += len(batch)
    return count


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
