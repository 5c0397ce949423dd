"""Household lists sent by wards and ward police, read from .xlsx or .csv and imported in one transaction.

``household_import_check`` reads a file (its table found by ``relief.tables``, each cell read by
``households.import_cells``) and reports every problem by row and column; ``household_import`` checks again and
inserts every row in batches, or, when the staff chose so, only the rows without errors, whose others they
download (``household_rejected_write``) to fix and upload again. Imported households
are "proposed": the district still verifies them. A row whose CCCD repeats an earlier row of the file or a household
registered in the district is listed on the preview and goes in as a household of its own only when the staff tick
that they checked it (``same_id_too``); otherwise it is left out with the rows in error. The same phone is a warning
the staff read before confirming. Nothing is ever silently merged.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from relief.bulk import insert_rows, one_of
from relief.spreadsheets import (
    SHOWN_PROBLEMS,
    Problem,
    Report,
    no_progress,
    preview_path,
    read_rows,
    sheet_rows,
    workbook_write,
)
from relief.tables import header_key, known_key
from relief.text import fold, mask_national_id, mask_phone

from .duplicates import ELSEWHERE
from .import_cells import (
    COLUMNS,
    PARSERS,
    TITLES,
    TYPED,
    USES,
    Lookups,
    Row,
    parse_row,
    parse_ward,
    parsing_for,
)
from .models import CATEGORIES, Category, CategoryMapping, ColumnMapping, Household
from .tallies import add_households, households_counted_together

# A city ward's whole list fits in one file; make bench holds 100,000 rows under 500 MB of peak memory.
MAX_ROWS = 100_000
INSERT_CHUNK = 20_000  # rows sent at once: bounds the memory of one COPY's text
PREVIEW_VERSION = 4
REJECTED_COLUMN = "Lỗi"
HEADER = [column.title for column in COLUMNS]  # the template's header


@dataclass
class HouseholdReport(Report):
    """A household list's preview: also whether the file names no ward and none was chosen for it yet."""

    needs_ward: bool = False
    readings: list = field(default_factory=list)  # (category text in the file, the category it was read as)
    unknown_categories: list = field(default_factory=list)  # category texts nothing reads, to be chosen for
    # Rows whose CCCD repeats an earlier row or a registered household: {row: why}, and the first of them shown.
    same_id: dict = field(default_factory=dict)
    repeats: list = field(default_factory=list)

    @property
    def ok(self):
        return super().ok and not self.needs_ward

    def repeat(self, row, message, name=""):
        """Note that the CCCD of ``row`` is a repeat: the row goes in only on the staff's explicit decision."""
        if row in self.same_id:
            self.same_id[row] += f" {message}"
        else:
            self.same_id[row] = message
        if len(self.repeats) < SHOWN_PROBLEMS:
            self.repeats.append(Problem(row, TITLES["national_id"], message, name))

    @property
    def absent(self):
        """The titles of the columns a household may leave empty that the file does not have at all."""
        if not self.mapping:
            return []
        return [TITLES[key] for key in ("national_id", "phone") if key not in self.mapping]

    @property
    def unique_rows(self):
        """The rows without errors whose CCCD repeats nothing: what goes in unless the staff decide otherwise."""
        return self.good_rows - len(self.same_id)

    @property
    def left_out(self):
        """The rows that stay out unless the staff decide otherwise: those in error and those whose CCCD repeats."""
        return len(self.rejected) + len(self.same_id)

    @property
    def partly_ok(self):
        """Some rows have errors and others none: the good ones can go in, the rest come back to be fixed."""
        return self.error_count > 0 and self.good_rows > 0 and not self.needs_ward

    def columns_read(self):
        """(the column's title in the file, what the import makes of it), in the household's order."""
        return [(self.mapping[key], USES.get(key, TITLES[key])) for key in PARSERS if key in self.mapping]


class ImportRefused(Exception):
    """The file has errors: nothing was imported. ``report`` says which rows and why."""

    def __init__(self, report):
        super().__init__("Tệp còn lỗi, chưa nhập hộ nào.")
        self.report = report


class ImportChanged(Exception):
    """Households registered since the preview repeat some rows: nothing was imported. ``report`` shows them, so
    the staff can look again and confirm."""

    def __init__(self, report, words):
        super().__init__(
            f"Từ lúc xem trước, {words.org} đã có thêm hộ trùng CCCD hoặc số điện thoại với tệp; chưa nhập hộ nào. "
            "Hãy xem lại các cảnh báo rồi xác nhận lần nữa."
        )
        self.report = report


def _file_rows(path, lookups, report, ward=None, progress=no_progress):
    """The file's rows checked; ``ward`` is the list's ward where the file names none (chosen at the preview).

    A file without a ward column, read without a ward chosen, is read through (its table, columns and ignored rows
    go to the report) but not checked: ``report.needs_ward`` asks for the ward first.
    """
    rows, parsing, ward_code = [], None, ward.code if ward is not None else None
    for number, values in read_rows(
        path,
        COLUMNS,
        MAX_ROWS,
        report=report,
        typed=TYPED,
        chosen=lookups.chosen,
        named_by="head_name",
        progress=progress,
        partial=True,
    ):
        if parsing is None:
            parsing = parsing_for(report.mapping)
            report.needs_ward = "ward" not in report.mapping and ward is None
        if report.needs_ward:
            continue
        if ward_code is not None and not values.get("ward"):
            values["ward"] = ward_code
        row = parse_row(values, lookups, report, number, parsing)
        if row is not None:
            rows.append(row)
    report.readings = [(text, lookups.category_names[pk]) for text, pk in lookups.readings.items()]
    report.unknown_categories = list(lookups.unknown_categories.values())
    return rows


def _flag_register_duplicates(flag, user, rows_by, label, field, mask):
    """``flag(row, message)`` each row whose number is already registered in the district (``rows_by``: number to
    rows); return those households' keys.

    An officer's list is checked against the whole district too, but a household of another ward is not named
    (invariant 5): the row only says that the number is registered elsewhere and the district resolves it. A bounded
    number of queries however many rows the file has (one on PostgreSQL).
    """
    found, said_elsewhere = set(), set()
    if user.ward_id:
        registered = Household.objects.filter(ward__district_id=user.district_id)
        elsewhere = ELSEWHERE[field].format(unit=user.ward.level_word, org=user.district.level_word)
    else:
        registered = Household.objects.visible_to(user)
    registered = registered.exclude(status=Household.Status.REJECTED).order_by()
    for among in one_of(field, rows_by):
        for pk, number, head_name, ward_id, ward_name in registered.filter(among).values_list(
            "pk", field, "head_name", "ward_id", "ward__name"
        ):
            found.add(pk)
            if user.ward_id and ward_id != user.ward_id:
                if number in said_elsewhere:
                    continue  # once per number: not even how many households elsewhere share it shows
                said_elsewhere.add(number)
                message = elsewhere
            else:
                message = f"Đã có hộ {head_name} ở {ward_name} cùng {label} {mask(number)}."
            for row in rows_by.get(number, ()):
                flag(row, message)
    return found


def _flag_file_duplicates(report, rows):
    """Note the CCCDs and warn of the phones repeated within the file; sum the rows up by ward."""
    first_with_id, first_with_phone = {}, {}
    per_ward = defaultdict(int)
    for row in rows:
        per_ward[row.ward.name] += 1
        if row.national_id:
            first = first_with_id.setdefault(row.national_id, row.number)
            if first != row.number:
                report.repeat(row.number, f"Trùng CCCD với dòng {first} của tệp.", row.head_name)
        if row.phone:
            first = first_with_phone.setdefault(row.phone, row.number)
            if first != row.number:
                report.warning(row.number, "Số điện thoại", f"Trùng Số điện thoại với dòng {first} của tệp.")
    report.good_rows = len(rows)
    report.summary = dict(sorted(per_ward.items()))


def _flag_duplicates(report, user, rows, *, within_file=True):
    """Note the rows whose CCCD repeats another row or a registered household (``report.same_id``), and warn of
    phones repeated likewise.

    Returns the keys of the registered households the rows repeat.
    """
    if within_file:
        _flag_file_duplicates(report, rows)
    rows_by_id, rows_by_phone = defaultdict(list), defaultdict(list)
    for row in rows:
        if row.national_id:
            rows_by_id[row.national_id].append(row)
        if row.phone:
            rows_by_phone[row.phone].append(row)

    def same_id(row, message):
        report.repeat(row.number, message, row.head_name)

    def same_phone(row, message):
        report.warning(row.number, "Số điện thoại", message)

    register = _flag_register_duplicates(same_id, user, rows_by_id, "CCCD", "national_id", mask_national_id)
    register |= _flag_register_duplicates(same_phone, user, rows_by_phone, "Số điện thoại", "phone", mask_phone)
    report.warnings.sort(key=lambda problem: problem.row)
    report.repeats.sort(key=lambda problem: problem.row)
    return register


def household_import_check(*, path, user, ward=None, keep_preview=False, progress=no_progress):
    """Read the file at ``path`` as ``user`` would import it and return a ``HouseholdReport``; nothing is saved.

    ``ward`` is the list's ward, for rows that name none. Raises ``SpreadsheetError`` when the file as a whole is
    unreadable or lacks a column. With ``keep_preview``, a file without errors leaves its checked rows beside it,
    so confirming does not read and check it again. ``progress(phase, done, total)`` hears how far it is:
    ``"reading"`` the sheet's rows, then ``"duplicates"``.
    """
    report = HouseholdReport()
    rows = _file_rows(path, Lookups(user), report, ward, progress)
    progress("duplicates", len(rows), len(rows))
    register = _flag_duplicates(report, user, rows)
    if keep_preview and (report.ok or report.partly_ok):
        _preview_keep(path, user, rows, register, report)
    return report


# --- the checked rows, kept between the preview and the confirmation -------------------------------------------


def _digest(path):
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _preview_keep(path, user, rows, register, report):
    """Write the checked rows beside the uploaded file, under the file's digest and the user who checked it, with
    the rows refused (their numbers and errors) and where the header is, to give those rows back."""
    kept = {
        "version": PREVIEW_VERSION,
        "digest": _digest(path),
        "user": user.pk,
        "register": sorted(register),
        "header_rows": list(report.header_rows),
        "rejected": [[number, "; ".join(messages)] for number, messages in sorted(report.rejected.items())],
        "same_id": sorted([number, message] for number, message in report.same_id.items()),
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


def _preview_recheck(kept, lookups, report):
    """The kept rows, each with its ward looked up again: a ward renamed, merged or moved out of the user's scope
    since the preview, or a category gone, is an error of that row now."""
    categories = set(Category.objects.values_list("pk", flat=True))
    rows = []
    for (
        number, head_name, national_id, phone, address, ward_id, ward_text, members, category_ids, residence, notes,
    ) in kept["rows"]:  # fmt: skip
        try:
            ward = lookups.remembered("ward", ward_text, parse_ward)
            if ward.pk != ward_id:
                raise ValidationError(
                    "“%(value)s” nay là một %(unit)s khác so với lúc xem trước.",
                    params={"value": ward_text, "unit": lookups.words.unit},
                )
        except ValidationError as error:
            report.error(number, TITLES["ward"], " ".join(error.messages), name=head_name)
            continue
        if not categories.issuperset(category_ids):
            report.error(number, TITLES["categories"], "Có diện đã bị xoá từ lúc xem trước.", name=head_name)
            continue
        rows.append(
            Row(
                number, head_name, national_id, phone, address, ward, ward_text, members, category_ids, residence, notes
            )
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
    "status", "source", "notes", "created_by_id", "created_at", "updated_at", "head_birth_date", "head_sex",
)  # fmt: skip
HISTORY_FIELDS = (
    "id", "ward_id", "head_name", "national_id", "phone", "address", "members", "residence", "status", "source",
    "notes", "created_by_id", "created_at", "history_date", "history_change_reason", "history_type", "history_user_id",
    "head_birth_date", "head_sex",
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
            fold_words(row.address), row.members, row.residence, proposed, imported,
            "; ".join(part for part in (note, row.notes) if part) if row.notes else note, user.pk, now, now,
            None, None,  # a list gives no date of birth or sex: not known, as on a household typed without them
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
             created_by, created_at, now, None, "+", user.pk, born, sex)
            for pk, (ward_id, head_name, _, national_id, phone, address, _, members, residence, status, source, notes,
                     created_by, created_at, _, born, sex) in zip(ids, households, strict=True)
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
def household_import(*, path, user, source_name="", good_only=False, same_id_too=False, progress=no_progress):
    """Insert the rows of the file at ``path`` as proposed households, or raise ``ImportRefused`` / ``ImportChanged``.

    Every row or none, unless ``good_only``: then the rows without errors go in and the others stay out (the staff
    download them, fix them and upload them again). A row whose CCCD repeats an earlier row or a registered
    household is one in error unless ``same_id_too``, the organizing unit's explicit decision that it is a
    household of its own (an officer's list never takes it: the organizing unit resolves those rows). Returns the
    number of households imported. The rows checked at the preview of this very file (same digest, same user) are
    used as they are; what may have changed since is checked again inside the transaction: each ward is still the
    user's, each category still exists, and no household registered since repeats a row's number. Without a kept
    preview the file is read and checked here.

    ``progress(phase, done, total)`` hears how far it is: ``"checking"`` (and ``"reading"`` as the rows are read
    again, without a kept preview), then ``"writing"`` after each batch of rows, then ``"committing"`` once every
    row is written and the transaction's checks remain.
    """
    progress("checking", 0, 0)
    report = HouseholdReport()
    kept, lookups = _preview_load(path, user), Lookups(user)
    if kept is None:
        rows = _file_rows(path, lookups, report, progress=progress)
        _flag_duplicates(report, user, rows)
    else:
        for number, message in kept["rejected"]:
            report.error(number, "", message)
        rows = _preview_recheck(kept, lookups, report)
        report.good_rows = len(rows)
        if report.error_count and not good_only:
            raise ImportRefused(report)
        # The rows' repeats within the file were found at the preview; only the register may have changed.
        now = HouseholdReport()
        register = _flag_duplicates(now, user, rows, within_file=False)
        if rows and not register.issubset(kept["register"]):
            kept["register"] = sorted(register)
            _preview_write(path, kept)
            _flag_duplicates(report, user, rows)
            raise ImportChanged(report, lookups.words)
        report.same_id = {**dict(kept["same_id"]), **now.same_id}
    if not same_id_too or user.ward_id:  # an officer's list leaves them to the organizing unit to decide
        rows = _leave_out_repeats(report, rows)
    if not rows or (report.error_count and not good_only):
        raise ImportRefused(report)
    note = f"Nhập từ tệp {source_name}".strip()[:250] if source_name else ""
    progress("writing", 0, len(rows))
    for start in range(0, len(rows), INSERT_CHUNK):
        _insert(rows[start : start + INSERT_CHUNK], user, note)
        progress("writing", min(start + INSERT_CHUNK, len(rows)), len(rows))
    progress("committing", len(rows), len(rows))
    return len(rows)


def _leave_out_repeats(report, rows):
    """The rows whose CCCD repeats nothing; each other one becomes an error saying what it repeats."""
    if not report.same_id:
        return rows
    unique = []
    for row in rows:
        message = report.same_id.get(row.number)
        if message is None:
            unique.append(row)
        else:
            report.error(row.number, TITLES["national_id"], message, name=row.head_name)
    report.good_rows = len(unique)
    return unique


def household_rejected_write(*, path, handle):
    """Write to ``handle`` the rows the preview of the file at ``path`` refused, as an .xlsx in the file's own
    columns under its own header, each with a last column "Lỗi" saying what to fix; uploaded again once fixed,
    it reads as any list does (the "Lỗi" column is left out). Returns the number of rows, or None when the file
    has no kept preview."""
    kept = json.loads(preview_path(path).read_text(encoding="utf-8")) if preview_path(path).exists() else None
    if kept is None:
        return None
    errors = dict(kept["rejected"])  # and the rows whose CCCD repeats: they stay out unless the staff decide
    errors.update((number, f"{TITLES['national_id']}: {message}") for number, message in kept.get("same_id", ()))
    errors = dict(sorted(errors.items()))
    cells = dict(sheet_rows(path, [*kept["header_rows"], *errors]))
    width = max((len(row) for row in cells.values()), default=0)

    def padded(number, last):
        row = cells.get(number, [])
        return [*row, *[None] * (width - len(row)), last]

    header, *more_header = (padded(number, None) for number in kept["header_rows"])
    header[-1] = REJECTED_COLUMN
    rows = [*more_header, *(padded(number, message) for number, message in errors.items())]
    workbook_write(handle, "Dòng lỗi", header, rows)
    return len(errors)


# What a column of a list may be imported as, for the staff to choose on the preview ("" leaves it out).
FIELD_CHOICES = [(column.key, USES.get(column.key, column.title)) for column in COLUMNS]


@transaction.atomic
def column_mapping_remember(*, user, choices):
    """Remember for the user's district the field chosen for each column title (``choices``: (title, field or "")),
    so the district's next lists map themselves; a choice that the title's own name would make anyway is forgotten,
    so that improving the known names reaches the district."""
    mappings = ColumnMapping.objects.filter(district_id=user.district_id)
    for title, key in choices:
        title_key = header_key(title)
        if key == known_key(title, COLUMNS):
            mappings.filter(title_key=title_key).delete()
        else:
            mappings.update_or_create(
                district_id=user.district_id, title_key=title_key, defaults={"field": key, "updated_by": user}
            )


LEAVE_OUT = "-"  # a category choice: leave the words out of the household's categories


@transaction.atomic
def category_mapping_remember(*, user, choices):
    """Remember for the user's district the category chosen for words its lists use (``choices``: (words, a
    category's id, ``LEAVE_OUT``, or "" for no choice yet)), so the district's next lists read them so."""
    for text, choice in choices:
        if not choice:
            continue
        CategoryMapping.objects.update_or_create(
            district_id=user.district_id,
            text_key=fold(text)[:200],
            defaults={"category_id": None if choice == LEAVE_OUT else int(choice), "updated_by": user},
        )


def household_template_guide(words):
    """The template's guide, in the words of the reader's levels (``relief.levels.UnitWords``)."""
    return [
        "Mỗi dòng là một hộ. Dòng đầu tiên giữ nguyên tên cột.",
        "Cột bắt buộc: " + ", ".join(column.title for column in COLUMNS if column.required) + ".",
        f"Cột Phường: nếu tệp là danh sách của một {words.unit} và không có cột này, chọn {words.unit} khi tải lên "
        "hoặc khi xem trước.",
        "Khu phố (không bắt buộc) được nối vào địa chỉ; Quê quán và Ghi chú (không bắt buộc) vào ghi chú của hộ.",
        "CCCD: 12 chữ số (CMND cũ: 9 chữ số); có thể để trống nếu hộ không có giấy tờ.",
        "Số điện thoại: 10 chữ số bắt đầu bằng 0; có thể để trống.",
        "Diện: một hoặc nhiều diện, cách nhau bằng dấu ; hoặc dấu phẩy. Các diện:",
        *(f"  • {name}" for _, name in CATEGORIES),
        "Cư trú (không bắt buộc): " + ", ".join(label for _, label in Household.Residence.choices) + ".",
        "Ví dụ một dòng: Nguyễn Văn An | 079081000123 | 0912345678 | 12 Trần Hưng Đạo | Phường 1 | 4 | "
        "Hộ nghèo; Mất việc do dịch | Thường trú",
        f"Một dòng trùng số CCCD với dòng khác hoặc với hộ đã đăng ký chỉ được nhập khi {words.org} đã đối chiếu "
        "và đánh dấu nhập như hộ riêng.",
        "Nếu còn dòng lỗi, có thể sửa tệp rồi tải lên lại, hoặc nhập các dòng hợp lệ và tải về các dòng lỗi để sửa.",
    ]
