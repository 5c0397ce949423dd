"""Where the table is on a sheet laid out the way ward offices lay it out.

Above the table: the ward's name, the list's title, "Kèm theo Tờ trình số …", blank rows. Then a header of one row,
or of two where a merged cell groups the ones below it ("Địa chỉ" over "Số nhà, đường" and "Khu phố"), sometimes a
row numbering the columns ((1), (2), …), the data, a totals row ("Tổng cộng", a SUM), and the signatures
("Người lập biểu", "TM. UBND PHƯỜNG") with the signers' names below them. ``find_header`` finds the header among the
first rows; ``Layout.skip_reason`` names what a row after it is when it is not data.
"""

import re
from dataclasses import dataclass, field

from .text import fold

_EMPTY = (None, "")
HEADER_SEARCH_ROWS = 30  # rows above the header a list may have (titles, addresses, a decision's number)
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_TOTALS = re.compile(r"^(tong cong|tong so|tong|cong)( (ho|so ho|chung|toan phuong|toan xa))?$")
_SIGNATURE = re.compile(
    r"^(nguoi lap( bieu)?|nguoi ky|tm |t m |thay mat|ktv? |thu truong|xac nhan|chu tich|pho chu tich|ke toan"
    r"|truong (cong an|khu pho|ap|thon|to dan pho|ban|phong)|ky ghi ro|ky va ghi|ky ten|ky ho ten)"
    r"|\bngay( \d+)? thang( \d+)? nam\b"
)
IGNORE = ""  # a column chosen to be left out
IGNORED_TITLE = "dòng tiêu đề phía trên bảng"
IGNORED_BLANK = "dòng trống"
IGNORED_NUMBERS = "dòng đánh số cột"
IGNORED_TOTALS = "dòng tổng cộng"
IGNORED_SIGNATURE = "phần ký tên cuối danh sách"


def header_key(text):
    """A header as compared: "Số CCCD/CMND", "so cccd / cmnd" and "SỐ CCCD - CMND" are the same header."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def _text(cell):
    return "" if cell is None else str(cell).strip()


def _blank(row):
    return not any(_text(cell) for cell in row)


@dataclass
class Header:
    """The header found: the rows it spans, where each known column is, and the title of every column."""

    rows: tuple
    positions: dict
    titles: dict = field(default_factory=dict)  # position: the column's title as the sheet writes it

    @property
    def last_row(self):
        return self.rows[-1]

    def columns(self):
        """(title, the key of the known column it is, or ``IGNORE``) of every column, in the sheet's order."""
        keys = {index: key for key, index in self.positions.items()}
        return [(title, keys.get(index, IGNORE)) for index, title in sorted(self.titles.items())]

    def unmapped(self):
        """The titles of the columns no known column took, in the sheet's order."""
        taken = set(self.positions.values())
        return [title for index, title in sorted(self.titles.items()) if index not in taken]


def _labels(top, below=None):
    """For each position, the names its column may go by, the most specific first.

    Under a merged cell only its first position holds the group's title: the group is carried along to the
    positions after it, so "Khu phố" under a merged "Địa chỉ" may be read as "Khu phố" or as "Địa chỉ Khu phố".
    """
    width = max(len(top), len(below or ()))
    labels, group = [], ""
    for index in range(width):
        upper = _text(top[index]) if index < len(top) else ""
        lower = _text(below[index]) if below and index < len(below) else ""
        group = upper or group
        if lower:
            labels.append([lower, f"{group} {lower}", group] if group else [lower])
        else:
            labels.append([upper] if upper else [])
            if not upper:
                group = ""
    return labels


def _title(candidates):
    """A column's title as the preview shows it: under a group, "Địa chỉ / Khu phố"."""
    if len(candidates) > 1:
        return f"{candidates[2]} / {candidates[0]}"
    return candidates[0]


def _map(labels, names, chosen):
    """{column key: position}: a column the staff mapped themselves (``chosen``: title key to column key, or to
    ``IGNORE``) first, then the others by the names they go by."""
    positions, decided = {}, set()
    for index, candidates in enumerate(labels):
        for text in candidates:
            key = chosen.get(header_key(text))
            if key is not None:
                decided.add(index)
                if key != IGNORE and key not in positions:
                    positions[key] = index
                break
    for index, candidates in enumerate(labels):
        if index in decided:
            continue
        for text in candidates:
            key = names.get(header_key(text))
            if key is not None and key not in positions:
                positions[key] = index
                break
    return positions


def _under_merge(top, below):
    """Whether ``below`` names columns under a merged cell of ``top`` (text where ``top`` is empty)."""
    return any(
        _text(cell) and (index >= len(top) or not _text(top[index])) and not _COLUMN_NUMBER.match(_text(cell))
        for index, cell in enumerate(below)
    )


def _merged_down(below, positions):
    """Whether ``below`` leaves empty a column the row above names alone (a cell merged down two rows): a data row
    fills the columns the header names. With it, ``below`` finishes a two-row header when it names columns under a
    merged cell, or names more columns than the row above alone (a group over a single column)."""
    return any(index >= len(below) or not _text(below[index]) for index in positions.values())


def known_key(title, columns):
    """The key of the column ``title`` names by the columns' own names and aliases, or ``IGNORE``."""
    return _names(columns).get(header_key(title), IGNORE)


def _names(columns):
    return {
        header_key(name): column.key for column in columns for name in (column.title, *column.aliases) if name.strip()
    }


PARTIAL_HEADER_COLUMNS = 2  # known columns a row must name to be taken for a header that lacks some of them


def find_header(numbered_rows, columns, chosen=None, *, partial=False):
    """Read ``(number, row)`` pairs up to the header; return ``(header, title rows, rows read past it)``.

    The header is the first row (or pair of rows) naming every required column, a column's name being its own or
    the one ``chosen`` for its title (``header_key`` of the title as the preview shows it: the column key, or
    ``IGNORE``). When the first
    ``HEADER_SEARCH_ROWS`` rows hold none, the header is None and the second item is, in place of the title rows,
    the positions the closest row named (for the message), or None when the sheet holds nothing at all. With
    ``partial``, that closest row is the header when it names at least ``PARTIAL_HEADER_COLUMNS`` columns: the
    staff then say which of its columns are the ones it lacks (its rows past it are not returned).
    """
    names, chosen = _names(columns), chosen or {}
    required = {column.key for column in columns if column.required}
    above, closest, closest_row, waiting, searched = [], {}, None, None, 0
    for number, row in numbered_rows:
        if _blank(row):
            continue
        if waiting is not None:
            top_number, top, top_positions = waiting
            if _merged_down(row, top_positions):
                labels = _labels(top, row)
                positions = _map(labels, names, chosen)
                second = _under_merge(top, row) or len(positions) > len(top_positions)
                if second and required <= positions.keys():
                    return _header((top_number, number), labels, positions), above, []
            if required <= top_positions.keys():
                return _header((top_number,), _labels(top), top_positions), above, [(number, row)]
            above.append(top_number)
        searched += 1
        if searched > HEADER_SEARCH_ROWS:
            break
        positions = _map(_labels(row), names, chosen)
        if len(positions) > len(closest):
            closest, closest_row = positions, (number, row)
        waiting = (number, row, positions)
    if waiting is not None and required <= waiting[2].keys():
        return _header((waiting[0],), _labels(waiting[1]), waiting[2]), above, []
    if partial and len(closest) >= PARTIAL_HEADER_COLUMNS:
        number, row = closest_row
        return _header((number,), _labels(row), closest), [title for title in above if title < number], []
    return None, (closest if searched else None), []


def _header(rows, labels, positions):
    titles = {index: _title(candidates) for index, candidates in enumerate(labels) if candidates}
    return Header(rows=rows, positions=positions, titles=titles)


class Layout:
    """What a row below the header is when it is not data: the column numbers, a total, the signatures.

    The checks run only for a row that leaves a required column empty (a household or a donation fills them all),
    so a clean list pays one look at its required cells per row.
    """

    def __init__(self, header, columns):
        self.header_end = header.last_row
        self.required = [header.positions[column.key] for column in columns if column.required]
        self.shaping = [header.positions[column.key] for column in columns if column.shapes_row]
        self.signed = False

    def skip_reason(self, number, row):
        """Why the row at ``number`` is no data row, or None when it is one."""
        if self.signed:
            return IGNORED_SIGNATURE
        if self._fills_required(row):
            if number == self.header_end + 1 and self._numbers_the_columns(row):
                return IGNORED_NUMBERS
            return None
        if _blank(row):
            return IGNORED_BLANK
        if number == self.header_end + 1 and self._numbers_the_columns(row):
            return IGNORED_NUMBERS
        keys = [header_key(_text(cell)) for cell in row if _text(cell)]
        if any(_TOTALS.match(key) for key in keys):
            return IGNORED_TOTALS
        if any(_SIGNATURE.search(key) for key in keys) and not (self.shaping and self._fills(row, self.shaping)):
            self.signed = True
            return IGNORED_SIGNATURE
        return None

    def _fills_required(self, row):
        """Whether every required cell holds something: the one look a clean list's rows get. Readers give an empty
        cell as None (.xlsx) or "" (.csv); a cell of spaces counts as filled and is refused by its column's parser."""
        return self._fills(row, self.required)

    @staticmethod
    def _fills(row, indexes):
        try:
            return all(row[index] not in _EMPTY for index in indexes)
        except IndexError:
            return False

    @staticmethod
    def _numbers_the_columns(row):
        cells = [_text(cell) for cell in row if _text(cell)]
        return len(cells) >= 3 and all(_COLUMN_NUMBER.match(cell) for cell in cells)
