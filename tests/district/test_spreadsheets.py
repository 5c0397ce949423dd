import io

import pytest
from openpyxl import load_workbook

from relief.spreadsheets import (
    as_text,
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
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "s", "s", "n"]
    assert cells[0].value == "=1+1"
