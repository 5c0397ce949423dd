"""The one check every uploaded workbook (and every .csv, ``text_check``) passes before any reader opens it.

An .xlsx is a zip of XML parts. A reader does not allocate by the file's size but by what the parts describe:
calamine builds a sheet as one dense grid from the first to the last cell it finds, and sizes the shared-strings
table by the count the file announces. A 5 KB workbook whose only cell is XFD1048576 therefore asks for hundreds of
gigabytes and kills the worker. So every part is streamed here, in chunks and with a cap on its unzipped size, and
its XML read by expat with no document type allowed (so no entity can expand): the sheet's declared dimension and
the extent of its cells (rows by columns), the number of cells, the shared strings (count and total length), and the
nesting depth of every part are held under the ``ANSINH_UPLOAD_MAX_*`` settings before the reader is called.

The limits keep a city ward's 100,000-household list well inside them. The check runs once per upload: a kept file
read again at its confirmation is not checked twice.
"""

import functools
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError

CHUNK = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"
_CELL = re.compile(r"([A-Za-z]{1,3})(\d{1,7})$")
TOO_BIG = "Tệp Excel quá lớn so với mức hệ thống nhận (%(what)s); hãy chia thành nhiều tệp nhỏ hơn."
UNREADABLE = "Không đọc được tệp Excel. Hãy mở tệp bằng Excel và lưu lại dạng .xlsx (Excel Workbook)."


class UploadRefused(ValidationError):
    """The workbook describes more than a reader may allocate, or is not a workbook: nothing of it is read."""


@dataclass(frozen=True)
class Limits:
    """The bounds in force, read from settings each time so a test or an operator can change them."""

    unzipped_bytes: int
    part_bytes: int
    parts: int
    area: int
    cells: int
    shared_strings: int
    string_chars: int
    depth: int

    @classmethod
    def from_settings(cls):
        return cls(
            unzipped_bytes=settings.ANSINH_UPLOAD_MAX_UNZIPPED_BYTES,
            part_bytes=settings.ANSINH_UPLOAD_MAX_PART_BYTES,
            parts=settings.ANSINH_UPLOAD_MAX_PARTS,
            area=settings.ANSINH_UPLOAD_MAX_AREA,
            cells=settings.ANSINH_UPLOAD_MAX_CELLS,
            shared_strings=settings.ANSINH_UPLOAD_MAX_SHARED_STRINGS,
            string_chars=settings.ANSINH_UPLOAD_MAX_STRING_CHARS,
            depth=settings.ANSINH_UPLOAD_MAX_DEPTH,
        )


def _refuse(what):
    raise UploadRefused(TOO_BIG, code="upload_too_big", params={"what": what})


@functools.cache  # a sheet names a few columns a million times
def column_number(letters):
    """The number of a column from its letters: A is 1, XFD is 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _reference(text):
    """(row, column) of a cell reference such as "XFD1048576", or None when it is not one."""
    match = _CELL.match(text or "")
    if match is None:
        return None
    return int(match[2]), column_number(match[1])


def local_name(name):
    """An element's name without its namespace prefix ("x:c" is "c"), as the readers match it."""
    return name.rpartition(":")[2]


def cell_position(reference, row, column):
    """(row, column) of a ``<c>`` element: its reference's, or the cell after the previous one when it has none, as
    every reader places it."""
    letters = reference.rstrip("0123456789") if reference else ""
    if letters and letters != reference and letters.isalpha():
        return int(reference[len(letters) :]), column_number(letters)
    return row, column + 1


def row_position(number, row):
    """The number of a ``<row>`` element: its ``r``, or the row after the previous one when it has none."""
    return int(number) if number and number.isdigit() else row + 1


class _Extent:
    """The grid a reader allocates for a sheet: from A1 to the last row and the last column any cell names (a sheet
    is read from A1 so that row numbers stay those the spreadsheet shows)."""

    def __init__(self):
        self.last_row = self.last_column = 0

    def add(self, row, column):
        if row > self.last_row:
            self.last_row = row
        if column > self.last_column:
            self.last_column = column

    @property
    def area(self):
        return self.last_row * self.last_column


def _parser(limits, on_start=None, on_text=None):
    """An expat parser that refuses a document type (where entities are declared, so nothing can expand) and
    nesting deeper than the limit, handing each element's local name and attributes to ``on_start``.

    Expat calls back for every element, a few million in a large sheet: the handlers are closures over locals, the
    cheapest Python call there is, because they are most of the check's time.
    """
    parser = expat.ParserCreate()
    parser.buffer_text = True
    depth, max_depth = 0, limits.depth

    def doctype(*args):
        raise UploadRefused(UNREADABLE, code="upload_doctype")

    def start(name, attributes):
        nonlocal depth
        depth += 1
        if depth > max_depth:
            _refuse("các thẻ XML lồng nhau quá sâu")
        if on_start is not None:
            on_start(name if ":" not in name else local_name(name), attributes)

    def end(name):
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if on_text is not None:
        parser.CharacterDataHandler = on_text
    return parser


def _sheet_parser(limits):
    """A parser that bounds a worksheet: its cells, and the extent of its cells and of its declared dimension."""
    extent = _Extent()
    cells, max_cells = 0, limits.cells
    row = column = 0

    def on_start(name, attributes):
        nonlocal cells, row, column
        if name == "c":
            cells += 1
            if cells > max_cells:
                _refuse("quá nhiều ô")
            row, column = cell_position(attributes.get("r"), row, column)
            extent.add(row, column)
        elif name == "row":
            row, column = row_position(attributes.get("r"), row), 0
        elif name == "sheetData":
            # The extent so far is the declared dimension: refused before a single cell is read.
            _check_area(extent, limits)
        elif name == "dimension":
            for reference in (attributes.get("ref") or "").split(":"):
                found = _reference(reference)
                if found:
                    extent.add(*found)

    parser = _parser(limits, on_start)
    return parser, lambda: _check_area(extent, limits)


def _check_area(extent, limits):
    if extent.area > limits.area:
        _refuse("bảng tính trải trên quá nhiều hàng và cột")


def _strings_parser(limits):
    """A parser that bounds the shared strings: the count the file announces, the strings it holds, their length."""
    strings = chars = 0

    def on_start(name, attributes):
        nonlocal strings
        if name == "si":
            strings += 1
            if strings > limits.shared_strings:
                _refuse("quá nhiều chuỗi chữ")
        elif name == "sst":
            for announced in (attributes.get("count"), attributes.get("uniqueCount")):
                # A reader reserves room for the announced count before it reads a single string.
                if announced and (not announced.isdigit() or int(announced) > limits.shared_strings):
                    _refuse("quá nhiều chuỗi chữ")

    def on_text(text):
        nonlocal chars
        chars += len(text)
        if chars > limits.string_chars:
            _refuse("chuỗi chữ quá dài")

    return _parser(limits, on_start, on_text), None


def _kind(name):
    lowered = name.lower()
    if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
        return "sheet"
    if lowered == "xl/sharedstrings.xml":
        return "strings"
    if lowered.endswith((".xml", ".rels", ".vml")):
        return "xml"
    return None


def workbook_check(source):
    """Refuse (``UploadRefused``) a workbook that would make a reader allocate past the limits; return None if not.

    ``source`` is a path or a seekable binary file. Every part is unzipped as a stream, so the check itself holds no
    more than a chunk in memory whatever the file claims.
    """
    limits = Limits.from_settings()
    try:
        with zipfile.ZipFile(source) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            if len(members) > limits.parts:
                _refuse("quá nhiều phần trong tệp")
            total = 0
            for member in members:
                total = _check_member(archive, member, limits, total)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            EOFError, ValueError) as error:  # fmt: skip
        # A damaged, encrypted or oddly compressed archive: no reader can use it, and it is refused the same way.
        raise UploadRefused(UNREADABLE, code="upload_unreadable") from error


PARSERS = {"sheet": _sheet_parser, "strings": _strings_parser, "xml": lambda limits: (_parser(limits), None)}
# A reader needs the sheets and the shared strings whole; another damaged part (the list of content types, say) it
# may skip, so its damage is the reader's to judge, and the guard only stops parsing it.
STRICT = ("sheet", "strings")


def _check_member(archive, member, limits, total):
    """Stream one part through its checks; return the unzipped bytes counted so far."""
    kind = _kind(member.filename)
    parser, finish = PARSERS[kind](limits) if kind else (None, None)
    size = 0
    with archive.open(member) as stream:
        # The sizes in the zip's directory are the uploader's word: the bytes are counted as they come out.
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            total += len(chunk)
            if size > limits.part_bytes or total > limits.unzipped_bytes:
                _refuse("quá lớn khi giải nén")
            if parser:
                parser = _feed(parser, kind, chunk)
    if parser:
        _feed(parser, kind, b"", final=True)
    if finish:
        finish()
    return total


def _feed(parser, kind, chunk, final=False):
    """Parse one more chunk; return the parser, or None once a part a reader may skip turns out damaged."""
    try:
        parser.Parse(chunk, final)
    except expat.ExpatError as error:
        if kind in STRICT:
            raise UploadRefused(UNREADABLE, code="upload_bad_xml") from error
        return None
    return parser


NOT_TEXT = (
    "Tệp .csv này không phải văn bản (có thể là tệp Excel bị đổi tên); hãy tải lên đúng tệp .xlsx, hoặc mở bằng "
    "Excel và lưu lại dạng CSV."
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def text_check(path):
    """Refuse a .csv whose bytes are not text: a zip (an .xlsx renamed) or binary bytes, which a CSV reader trying
    the encodings lists come in (``relief.spreadsheets``) would otherwise read as garbage text. Only UTF-16 text
    holds NUL bytes."""
    with open(path, "rb") as handle:
        head = handle.read(CHUNK)
    if head.startswith(ZIP_MAGIC) or (b"\x00" in head and not head.startswith(UTF16_BOMS)):
        raise UploadRefused(NOT_TEXT, code="upload_not_text")


def upload_check(upload):
    """Check an uploaded file (a Django ``UploadedFile``) that is a zip archive, as a workbook; then rewind it.

    Whatever its name says: a reader told the format may still be handed a zip, so the bytes decide.
    """
    upload.seek(0)
    is_zip = upload.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    upload.seek(0)
    if is_zip:
        try:
            workbook_check(upload)
        finally:
            upload.seek(0)


class GuardedImportFormMixin:
    """The admin's import form (django-import-export) with its file passed through the guard before any reader."""

    def clean_import_file(self):
        parent = getattr(super(), "clean_import_file", None)
        upload = parent() if parent else self.cleaned_data["import_file"]
        upload_check(upload)
        return upload


@functools.cache
def guarded_form(form_class):
    """``form_class`` with the guard in front of its file: whatever import form an admin chooses keeps it."""
    return type(f"Guarded{form_class.__name__}", (GuardedImportFormMixin, form_class), {})


class UploadGuardAdminMixin:
    """For a model admin with django-import-export's import: every file it is given passes the upload guard."""

    def get_import_form_class(self, request):
        return guarded_form(super().get_import_form_class(request))
