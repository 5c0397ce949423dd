"""Spreadsheets in and out: the lists wards, police and banks send as .xlsx or .csv, and the lists we hand back.

An .xlsx is read with calamine (python-calamine, a Rust reader, far faster than openpyxl at turning a
sheet's XML into cells); its cells come back as openpyxl gave them, so the parsers see the same values. A .csv is
read line by line, in whichever encoding Excel saved it (UTF-8, UTF-16, Windows-1258). Writing uses openpyxl's
write-only workbook. An uploaded file is checked in a private temporary directory, under a random name only the
uploader's session knows; a donation list waits there for its confirmation, a household list in the database
(``households.PendingImport``). Before calamine opens an .xlsx, ``relief.upload_guard`` bounds what reading it
would allocate, and it refuses a .csv that is no text.
"""

import codecs
import csv
import datetime
import itertools
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

from .tables import HEADER_SEARCH_ROWS, IGNORED_BLANK, IGNORED_TITLE, Layout, find_header
from .text import clean_text
from .uncomputed import sheet_formulas
from .upload_guard import UTF16_BOMS, UploadRefused, text_check, workbook_check

SUFFIXES = (".xlsx", ".csv")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000  # per file, unless an import says otherwise (households take 100,000)
SHOWN_PROBLEMS = 200  # a preview listing more problems than this helps nobody; the count says how many in all
KEEP_UPLOADS_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
CSV_CHUNK = 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


UNCOMPUTED_MESSAGE = (
    "Ô này là công thức chưa có giá trị (tệp không được Excel tính và lưu lại). Hãy mở tệp bằng Excel, lưu lại "
    "rồi tải lên lần nữa, hoặc gõ thẳng giá trị vào ô."
)


UNTYPED_MESSAGE = (
    "Ô này là công thức hoặc ô lỗi (như #N/A, #VALUE!); cột này phải ghi thẳng con số. Hãy gõ giá trị vào ô rồi "
    "tải lên lại."
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
    name: str = ""  # whose row it is (a household's head, a donor), beside its number on the preview


@dataclass
class Report:
    """What a preview shows: problems by row and column, and how many rows would go in."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # rows of the sheet that are not data, each with the reason
    corrected: list = field(default_factory=list)  # values read otherwise than written, each with what was read
    unmapped: list = field(default_factory=list)  # titles of the columns no known column took
    mapping: dict = field(default_factory=dict)  # each known column found: its title as the sheet writes it
    columns: list = field(default_factory=list)  # (title, key or "") of every column of the header, in order
    missing: list = field(default_factory=list)  # titles of the required columns the header lacks (``partial``)
    error_count: int = 0
    warning_count: int = 0
    ignored_count: int = 0
    corrected_count: int = 0
    header_rows: tuple = ()  # the sheet's rows that hold the table's header
    rejected: dict = field(default_factory=dict)  # every row with an error: its messages, for the rows given back
    good_rows: int = 0
    summary: dict = field(default_factory=dict)

    def error(self, row, column, message, name=""):
        self.error_count += 1
        self.rejected.setdefault(row, []).append(f"{column}: {message}")
        if len(self.errors) < SHOWN_PROBLEMS:
            self.errors.append(Problem(row, column, message, name))

    def warning(self, row, column, message):
        self.warning_count += 1
        if len(self.warnings) < SHOWN_PROBLEMS:
            self.warnings.append(Problem(row, column, message))

    def correct(self, row, column, message):
        self.corrected_count += 1
        if len(self.corrected) < SHOWN_PROBLEMS:
            self.corrected.append(Problem(row, column, message))

    def ignore(self, row, reason):
        self.ignored_count += 1
        if len(self.ignored) < SHOWN_PROBLEMS:
            self.ignored.append(Problem(row, "", reason))

    @property
    def ok(self):
        return self.error_count == 0 and self.good_rows > 0


@dataclass(frozen=True)
class Column:
    title: str
    key: str
    required: bool = True
    aliases: tuple = ()
    # A row that fills every such column is data whatever else it says: a note "Ngày 5 tháng 3 năm 2021" beside a
    # household's name, address and members does not start the signatures below the table.
    shapes_row: bool = False


def _cell(value):
    """A calamine cell as openpyxl gave it: an empty cell is None and a whole number an int (Excel stores 4 as 4.0)."""
    if value == "":
        return None
    if value.__class__ is float and value.is_integer():
        return int(value)
    return value


def _xlsx_rows(path, checked, untyped, size=None):
    # calamine holds a whole sheet in memory, sized by the cells the file names: the guard bounds that first.
    if not checked:
        try:
            workbook_check(path)
        except UploadRefused as refused:
            raise SpreadsheetError(refused.messages) from refused
    # A damaged .xlsx fails wherever the zip or XML reader happens to notice: any failure means the same thing to
    # the staff, so all are caught here.
    try:
        formulas = sheet_formulas(path)
        uncomputed = formulas.uncomputed
        for cells in (formulas.computed, formulas.errors):
            for row, columns in cells.items():
                untyped.setdefault(row, set()).update(columns)
        with CalamineWorkbook.from_path(str(path)) as workbook:
            sheet = workbook.get_sheet_by_index(0)
            if size is not None:
                size["rows"] = sheet.height
            rows = sheet.iter_rows()
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


def _csv_encoding(path):
    """The encoding Excel saved a .csv in: UTF-8 with its mark ("CSV UTF-8"), UTF-16 ("Unicode Text"), plain UTF-8,
    or else Windows-1258, the Vietnamese code page of "CSV (Comma delimited)" on a Vietnamese Windows."""
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith(UTF16_BOMS):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(CSV_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1258"
    return "utf-8"


def _csv_delimiter(handle):
    """Excel set to Vietnamese separates with ";", "Unicode Text" with a tab, most other tools with ",": the one the
    first lines (titles above the table included) use most."""
    sample = "".join(itertools.islice(handle, 20))
    handle.seek(0)
    return max((",", ";", "\t"), key=sample.count)


def _csv_rows(path, checked, size=None):
    if not checked:
        try:
            text_check(path)
        except UploadRefused as refused:
            raise SpreadsheetError(refused.messages) from refused
    if size is not None:
        with open(path, "rb") as handle:
            size["rows"] = sum(1 for _ in handle)  # lines, a cell with a line break aside: enough for a progress bar
    try:
        with open(path, encoding=_csv_encoding(path), newline="") as handle:
            yield from csv.reader(handle, delimiter=_csv_delimiter(handle))
    except UnicodeError as exc:
        raise SpreadsheetError(
            "Không đọc được chữ trong tệp CSV. Hãy lưu tệp bằng mã UTF-8 (trong Excel: Lưu thành → “CSV UTF-8”)."
        ) from exc
    except csv.Error as exc:
        raise SpreadsheetError("Tệp CSV bị lỗi định dạng, không đọc được.") from exc


PROGRESS_EVERY = 2_000  # rows between two reports of how far the reading is


def no_progress(phase, done, total):
    """A ``progress(phase, done, total)`` that nobody listens to: the default of every reader and import."""


def read_rows(
    path,
    columns,
    max_rows=MAX_ROWS,
    *,
    report,
    checked=False,
    typed=(),
    chosen=None,
    named_by=None,
    progress=no_progress,
    partial=False,
):
    """Yield ``(row number as the spreadsheet shows it, {key: value})`` for each data row of the sheet's table.

    The table is found where the sheet holds it (``relief.tables``): title rows above the header, a header of one or
    two rows, and the column numbers, blank rows, totals and signatures among or below the data are left out, each
    such row listed in ``report.ignored`` with the reason; the columns found are in ``report.mapping`` and every
    column of the header no known column took in ``report.unmapped``. A row with a formula saved without its value
    in one of ``columns`` is not yielded: each such cell is an error of ``report``, as an empty number stored
    without a word would be worse. Raises ``SpreadsheetError`` when the file cannot be read, would make the reader
    allocate past the upload guard's limits, has no header naming the required columns, or holds more rows than an
    import takes at once. ``checked`` says the upload guard already passed this very file (a kept upload read again
    at its confirmation), so it is not checked twice. ``typed`` are the columns (numbers, mostly) whose value must be
    typed: a formula or an error value (#N/A) there is an error of its row, which is not yielded. ``chosen`` maps
    column titles to the columns the staff chose for them (``relief.tables.find_header``). ``named_by`` is the key
    of the column whose cell names a row's person, shown beside the row's errors. ``progress("reading", row,
    rows)`` hears every ``PROGRESS_EVERY`` rows how far the reading is in the sheet's rows. With ``partial``, a
    header found that lacks required columns is not refused: their titles go to ``report.missing``, for the staff
    to say which columns they are, and no row is yielded.
    """
    path = Path(path)
    untyped = {}  # {row: column indexes} of the formulas with a value and the error cells, filled as the sheet opens
    size = {}  # {"rows": the sheet's rows}, known once it opens
    cells = _xlsx_rows(path, checked, untyped, size) if path.suffix == ".xlsx" else _csv_rows(path, checked, size)
    rows = enumerate(cells, start=1)
    header, above, ahead = find_header(rows, columns, chosen, partial=partial)
    if header is None:
        _refuse_header(above, columns)
    for number in above:
        report.ignore(number, IGNORED_TITLE)
    report.unmapped = header.unmapped()
    report.header_rows = header.rows
    report.mapping = {key: header.titles[index] for key, index in header.positions.items()}
    report.columns = header.columns()
    report.missing = [column.title for column in columns if column.required and column.key not in header.positions]
    if report.missing:
        return
    layout, positions, data_rows, blank = Layout(header, columns), header.positions, 0, []
    for number, row in itertools.chain(ahead, rows):
        if number % PROGRESS_EVERY == 0:
            progress("reading", number, max(size.get("rows", 0), number))
        reason = layout.skip_reason(number, row)
        if reason == IGNORED_BLANK:
            blank.append(number)  # listed once a row follows it: the blank rows ending a sheet are not worth a line
            continue
        if blank:
            for earlier in blank:
                report.ignore(earlier, IGNORED_BLANK)
            blank.clear()
        if reason is not None:
            report.ignore(number, reason)
            continue
        data_rows += 1
        if data_rows > max_rows:
            raise SpreadsheetError(
                "Tệp có hơn %(max)s dòng. Hãy chia thành nhiều tệp nhỏ hơn.",
                params={"max": f"{max_rows:,}".replace(",", ".")},
            )
        values = {key: (row[index] if index < len(row) else None) for key, index in positions.items()}
        if UNCOMPUTED in row and _report_uncomputed(values, columns, report, number, named_by):
            continue
        if number in untyped and _report_untyped(untyped[number], typed, positions, values, report, number, named_by):
            continue
        yield number, values
    if not data_rows:
        raise SpreadsheetError("Tệp chỉ có dòng tên cột, chưa có dòng dữ liệu nào.")


def _refuse_header(closest, columns):
    """No header among the first rows: say which columns the closest one lacked, or that the file is empty."""
    if closest is None:
        raise SpreadsheetError("Tệp trống: không có dòng tên cột nào.")
    missing = [column.title for column in columns if column.required and column.key not in closest]
    raise SpreadsheetError(
        "Tệp thiếu cột: %(missing)s. Không tìm thấy dòng tên cột có đủ các cột này trong %(rows)s dòng đầu; hãy "
        "đặt tên cột như trong tệp mẫu.",
        params={"missing": ", ".join(f"“{name}”" for name in missing), "rows": HEADER_SEARCH_ROWS},
    )


def sheet_rows(path, numbers):
    """The cells of the rows ``numbers`` of a file read before (so the upload guard passed it), in sheet order."""
    path = Path(path)
    wanted = set(numbers)
    last = max(wanted, default=0)
    cells = _xlsx_rows(path, True, {}) if path.suffix == ".xlsx" else _csv_rows(path, True)
    for number, row in enumerate(cells, start=1):
        if number > last:
            break
        if number in wanted:
            yield number, ["" if cell is UNCOMPUTED else cell for cell in row]


def _report_untyped(indexes, typed, positions, values, report, number, named_by):
    """Report each cell of a ``typed`` column that is a formula or an error value; return whether there was one."""
    found = [column for column in typed if positions.get(column.key) in indexes]
    for column in found:
        report.error(number, column.title, UNTYPED_MESSAGE, name=_row_name(values, named_by))
    return bool(found)


def _report_uncomputed(values, columns, report, number, named_by):
    """Report each of the row's cells that is a formula without its value; return whether there was one."""
    found = [column for column in columns if values.get(column.key) is UNCOMPUTED]
    for column in found:
        report.error(number, column.title, UNCOMPUTED_MESSAGE, name=_row_name(values, named_by))
    return bool(found)


def _row_name(values, named_by):
    return clean_text(as_text(values.get(named_by)))[:60] if named_by else ""


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
