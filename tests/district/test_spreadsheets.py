import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from relief.spreadsheets import (
    Column,
    Report,
    as_text,
    read_rows,
    upload_claim,
    upload_keep,
    upload_path,
    upload_release,
    workbook_write,
)
from tests.district.conftest import upload


def test_an_upload_is_kept_under_a_random_token_and_claimed_only_once():
    token = upload_keep(upload("ds.csv", b"a,b\n"), ".csv")
    claimed = upload_claim(token, ".csv")
    assert claimed is not None and claimed.read_bytes() == b"a,b\n"
    assert upload_claim(token, ".csv") is None  # the second click of a double click finds nothing to import


def test_a_released_upload_can_be_claimed_again():
    token = upload_keep(upload("ds.csv", b"x"), ".csv")
    upload_release(upload_claim(token, ".csv"), ".csv")
    assert upload_path(token, ".csv") is not None


@pytest.mark.parametrize(
    ("token", "suffix"),
    [("../../etc/passwd", ".csv"), ("", ".csv"), ("a" * 30, ".exe"), ("a/b" * 10, ".xlsx")],
)
def test_a_token_can_name_no_other_file(token, suffix):
    assert upload_path(token, suffix) is None


@pytest.mark.parametrize(
    ("value", "text"), [(None, ""), (12.0, "12"), (" Phường 1 ", "Phường 1"), (79081000123, "79081000123")]
)
def test_cells_read_as_the_text_people_typed(value, text):
    assert as_text(value) == text


def test_text_starting_like_a_formula_is_written_as_text():
    buffer = io.BytesIO()
    workbook_write(buffer, "Thử", ["A"], [["=1+1"], ["+84912345678"], ["-"], ["@x"], ["bình thường"], [42]])
    buffer.seek(0)
    cells = [row[0] for row in load_workbook(buffer).worksheets[0].iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["'=1+1", "'+84912345678", "'-", "'@x", "bình thường", 42]
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "s", "s", "n"]


CELLS = [
    "Nguyễn Thị Ánh Đào",  # unicode, precomposed
    "Nguye\u0302\u0303n",  # unicode, combining marks as some phones type them
    "079085000001",  # a CCCD typed as text keeps its leading zero
    79085000001,  # the same CCCD stored as a number
    "0912345678",
    912345678,
    datetime.datetime(2021, 8, 22),
    datetime.datetime(2021, 8, 22, 10, 30),
    None,
    4,
    4.5,
    -3,
    True,
    "  khoảng trắng  ",
]


def test_the_excel_reader_gives_the_cells_openpyxl_gave(tmp_path):
    path = tmp_path / "o.xlsx"
    workbook = Workbook()
    columns = [Column(f"Cột {n}", f"c{n}") for n in range(len(CELLS))]
    workbook.active.append([column.title for column in columns])
    workbook.active.append(CELLS)
    workbook.active.append([None] * (len(CELLS) - 1) + ["cuối"])  # empty cells before a filled one
    workbook.save(path)
    before = list(load_workbook(path, read_only=True, data_only=True).worksheets[0].iter_rows(values_only=True))[1:]

    read = [[values[column.key] for column in columns] for _, values in read_rows(path, columns, report=Report())]

    assert [[as_text(cell) for cell in row] for row in read] == [[as_text(cell) for cell in row] for row in before]
    dates = (6, 7)
    assert [cell for n, cell in enumerate(read[0]) if n not in dates] == [
        cell for n, cell in enumerate(before[0]) if n not in dates
    ]
    assert [type(cell) for cell in read[0]][2:6] == [str, int, str, int]
    assert read[1][:-1] == [None] * (len(CELLS) - 1)
