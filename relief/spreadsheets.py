"""Spreadsheets in and out: the lists wards, police and banks send as .xlsx or .csv, and the lists we hand back.

An .xlsx is read with calamine (python-calamine, a Rust reader, far faster than openpyxl at turning a
sheet's XML into cells); its cells come back as openpyxl gave them, so the parsers see the same values. A .csv is
read line by line. Writing uses openpyxl's write-only workbook. An uploaded file is checked in a private temporary
directory, under a random name only the uploader's session knows; a donation list waits there for its
confirmation, a household list in the database (``households.PendingImport``). Before calamine opens an .xlsx,
``relief.upload_guard`` bounds what reading it would allocate.
"""

import csv
import datetime
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from .text import fold
from .uncomputed import uncomputed_cells
from .upload_guard import UploadRefused, workbook_check

SUFFIXES = (".xlsx", ".csv")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000  # per file, unless an import says otherwise (households take 100,000)
SHOWN_PROBLEMS = 200  # a preview listing more problems than this helps nobody; the count says how many in all
KEEP_UPLOADS_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


UNCOMPUTED_MESSAGE = (
    "Ô này là công thức chưa có giá trị (tệp không được Excel tính và lưu lại). Hãy mở tệp bằng Excel, lưu lại "
    "rồi tải lên lần nữa, hoặc gõ thẳng giá trị vào ô."
)


class _Uncomputed:
    """The value of a formula cell saved without its result: read as empty text, but a row holding one is refused."""

    def __str__(self):
        return ""


UNCOMPUTED = _Uncomputed()


class SpreadsheetError(ValidationError):
    """The file as a whole cannot be read (wrong type, empty, missing columns): nothing row by row to show."""


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Report:
    """What a preview shows: problems by row and column, and how many rows would go in."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    good_rows: int = 0
    summary: dict = field(default_factory=dict)

    def error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < SHOWN_PROBLEMS:
            self.errors.append(Problem(row, column, message))

    def warning(self, row, column, message):
        self.warning_count += 1
        if len(self.warnings) < SHOWN_PROBLEMS:
            self.warnings.append(Problem(row, column, message))

    @property
    def ok(self):
        return self.error_count == 0 and self.good_rows > 0


@dataclass(frozen=True)
class Column:
    title: str
    key: str
    required: bool = True
    aliases: tuple = ()


def _header_map(header, columns):
    """Map each known column key to its position in ``header``; raise if a required column is missing."""
    folded = [fold(str(cell)) if cell is not None else "" for cell in header]
    positions = {}
    for column in columns:
        names = {fold(column.title), *(fold(alias) for alias in column.aliases)}
        for index, name in enumerate(folded):
            if name in names:
                positions[column.key] = index
                break
    missing = [column.title for column in columns if column.required and column.key not in positions]
    if missing:
        raise SpreadsheetError(
            "Tệp thiếu cột: %(missing)s. Dòng đầu tiên của tệp phải là tên cột, như trong tệp mẫu.",
            params={"missing": ", ".join(f"“{name}”" for name in missing)},
        )
    return positions


def _cell(value):
    """A calamine cell as openpyxl gave it: an empty cell is None and a whole number an int (Excel stores 4 as 4.0)."""
    if value == "":
        return None
    if value.__class__ is float and value.is_integer():
        return int(value)
    return value


def _xlsx_rows(path, checked):
    # calamine holds a whole sheet in memory, sized by the cells the file names: the guard bounds that first.
    if not checked:
        try:
            workbook_check(path)
        except UploadRefused as refused:
            raise SpreadsheetError(refused.messages) from refused
    # A damaged .xlsx fails wherever the zip or XML reader happens to notice: any failure means the same thing to
    # the staff, so all are caught here.
    try:
        uncomputed = uncomputed_cells(path)
        with CalamineWorkbook.from_path(str(path)) as workbook:
            rows = workbook.get_sheet_by_index(0).iter_rows()
            number = 0
            for number, row in enumerate(rows, start=1):
                cells = [_cell(value) for value in row]
                if number in uncomputed:
                    _mark_uncomputed(cells, uncomputed.pop(number))
                yield cells
            # calamine ends the sheet at its last value: rows holding only uncomputed formulas come after it.
            for later in range(number + 1, max(uncomputed, default=number) + 1):
                cells = []
                _mark_uncomputed(cells, uncomputed.get(later, ()))
                yield cells
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(
            "Không đọc được tệp Excel. Hãy mở tệp bằng Excel và lưu lại dạng .xlsx (Excel Workbook)."
        ) from exc


def _mark_uncomputed(cells, columns):
    for column in columns:
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = UNCOMPUTED


def _csv_rows(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            # Excel set to Vietnamese separates with ";"; most other tools with ",".
            delimiter = ";" if first.count(";") > first.count(",") else ","
            handle.seek(0)
            yield from csv.reader(handle, delimiter=delimiter)
    except UnicodeDecodeError as exc:
        raise SpreadsheetError("Tệp CSV phải được lưu bằng mã UTF-8 (trong Excel: Lưu thành → “CSV UTF-8”).") from exc
    except csv.Error as exc:
        raise SpreadsheetError("Tệp CSV bị lỗi định dạng, không đọc được.") from exc


def read_rows(path, columns, max_rows=MAX_ROWS, *, report, checked=False):
    """Yield ``(row number as the spreadsheet shows it, {key: value})`` for each non-empty data row.

    A row with a formula saved without its value in one of ``columns`` is not yielded: each such cell is an error
    of ``report``, as an empty number stored without a word would be worse. Raises ``SpreadsheetError`` when the
    file cannot be read, would make the reader allocate past the upload guard's limits, has no header or lacks a
    required column, or holds more rows than an import takes at once. ``checked`` says the upload guard already
    passed this very file (a kept upload read again at its confirmation), so it is not checked twice.
    """
    path = Path(path)
    rows = _xlsx_rows(path, checked) if path.suffix == ".xlsx" else _csv_rows(path)
    header, data_rows = None, 0
    for number, row in enumerate(rows, start=1):
        if header is None:
            if row and any(cell not in (None, "") for cell in row):
                header = _header_map(row, columns)
            continue
        if not any(cell is not None and as_text(cell) != "" for cell in row):
            continue
        data_rows += 1
        if number > max_rows + 1:
            raise SpreadsheetError(
                "Tệp có hơn %(max)s dòng. Hãy chia thành nhiều tệp nhỏ hơn.",
                params={"max": f"{max_rows:,}".replace(",", ".")},
            )
        values = {key: (row[index] if index < len(row) else None) for key, index in header.items()}
        if UNCOMPUTED in row and _report_uncomputed(values, columns, report, number):
            continue
        yield number, values
    if header is None:
        raise SpreadsheetError("Tệp trống: không có dòng tên cột nào.")
    if not data_rows:
        raise SpreadsheetError("Tệp chỉ có dòng tên cột, chưa có dòng dữ liệu nào.")


def _report_uncomputed(values, columns, report, number):
    """Report each of the row's cells that is a formula without its value; return whether there was one."""
    found = False
    for column in columns:
        if values.get(column.key) is UNCOMPUTED:
            report.error(number, column.title, UNCOMPUTED_MESSAGE)
            found = True
    return found


def as_text(value):
    """A cell as trimmed text; a whole number Excel stored as 12.0 reads "12"."""
    if value.__class__ is str:  # nearly every cell is text: checked first, the common case is one comparison
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


# --- the uploaded file, kept between preview and confirmation -------------------------------------------------


def _upload_dir():
    directory = Path(getattr(settings, "ANSINH_IMPORT_DIR", "") or Path(tempfile.gettempdir()) / "ansinh-imports")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _forget_old_uploads(directory):
    """Uploads nobody confirmed are deleted after a day, so the directory does not fill up."""
    limit = time.time() - KEEP_UPLOADS_SECONDS
    for old in directory.iterdir():
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except FileNotFoundError:
            pass


def upload_keep(uploaded, suffix):
    """Save an uploaded file under a fresh random token and return the token."""
    directory = _upload_dir()
    _forget_old_uploads(directory)
    token = secrets.token_urlsafe(24)
    with open(directory / f"{token}{suffix}", "xb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return token


def upload_path(token, suffix):
    """The kept file of ``token``, or None when it is gone; the token is checked so it can name no other file."""
    if not token or not _TOKEN.match(token) or suffix not in SUFFIXES:
        return None
    path = _upload_dir() / f"{token}{suffix}"
    return path if path.exists() else None


def upload_claim(token, suffix):
    """Take the kept file for one confirmation: a rename only one request can win, so a double click imports once.

    Returns the claimed path, or None when another request claimed it first or it expired.
    """
    path = upload_path(token, suffix)
    if path is None:
        return None
    claimed = path.with_name(f"{path.stem}.claimed{suffix}")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    return claimed


def upload_release(claimed, suffix):
    """Give a claimed file back (the confirmation found errors), so the staff can see the preview again."""
    original = claimed.with_name(claimed.name.replace(f".claimed{suffix}", suffix))
    os.rename(claimed, original)


def preview_path(upload):
    """Where the checked rows of an upload wait beside it, under its token (claimed or not)."""
    upload = Path(upload)
    return upload.with_name(f"{upload.name.split('.')[0]}.preview.json")


def upload_discard(path):
    if path is not None:
        Path(path).unlink(missing_ok=True)
        preview_path(path).unlink(missing_ok=True)


# --- writing ----------------------------------------------------------------------------------------------------


def temporary_file():
    """Where a workbook is written before it is sent: memory for a small one, disk past a few megabytes."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)


def safe_text(value):
    """``value`` as every export writes it: text a spreadsheet would run as a formula gets a leading apostrophe.

    Excel, LibreOffice and Google Sheets run a cell starting with = + - @ (and, after a tab or carriage return, the
    rest of it) as a formula, from an .xlsx as from a .csv; the apostrophe is the mark they read as "this is text".
    Numbers, dates and empty cells pass unchanged, so sums still work. Every export (ours and the admin's) writes
    through this one function.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def text_cell(sheet, value):
    """A write-only cell holding ``value`` made safe (``safe_text``)."""
    return WriteOnlyCell(sheet, value=safe_text(value))


def workbook_write(handle, title, header, rows, *, guide=()):
    """Write a one-sheet workbook (plus an optional guide sheet of text lines) to ``handle``, row by row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = text_cell(sheet, name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([text_cell(sheet, value) for value in row])
    if guide:
        notes = workbook.create_sheet("Hướng dẫn")
        for line in guide:
            notes.append([text_cell(notes, line)])
    workbook.save(handle)
