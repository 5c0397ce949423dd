"""Builders for the district pages' tests: spreadsheets as wards send them, and a district next door."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from households.imports import HEADER
from relief.models import User
from tests.conftest import client_for, make_user


def household_row(n, ward="Phường 1", changes=None):
    """A valid row for household number ``n``: its own CCCD and phone, so rows never repeat by accident."""
    row = {
        "Họ và tên chủ hộ": f"Nguyễn Văn Hộ {n}",
        "CCCD": f"079085{n:06d}",
        "Số điện thoại": f"09{n:08d}",
        "Địa chỉ": f"{n} Trần Hưng Đạo",
        "Phường": ward,
        "Số nhân khẩu": 3,
        "Diện": "Hộ nghèo; Mất việc do dịch",
        "Cư trú": "Thường trú",
    }
    row.update(changes or {})
    return row


def xlsx_bytes(rows, header=None):
    header = header or (list(rows[0]) if rows else HEADER)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=None, bom=True, delimiter=","):
    header = header or (list(rows[0]) if rows else HEADER)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def other_staff(other_district):
    return make_user("canbo_btl", User.Role.DISTRICT_STAFF, district=other_district, first_name="Cán bộ Bắc Từ Liêm")


@pytest.fixture
def other_staff_client(other_staff):
    return client_for(other_staff)


@pytest.fixture(autouse=True)
def _private_upload_dir(settings, tmp_path):
    # Each test keeps its uploads in its own directory, so tests never see each other's files.
    settings.ANSINH_IMPORT_DIR = str(tmp_path / "uploads")


def ward_list_xlsx(header, rows, *, titles=(), groups=None, column_numbers=False, totals=None, signatures=()):
    """A list as a ward office lays it out: ``titles`` rows above a header of ``header`` (or two rows when
    ``groups`` maps a group title to the sub-columns it spans, merged as Excel merges them), an optional row of
    column numbers, the ``rows``, a ``totals`` row and ``signatures`` rows below. Returns the bytes and the
    spreadsheet row number of the first data row."""
    workbook = Workbook()
    sheet = workbook.active
    for title in titles:
        sheet.append([title])
    sheet.append([])
    top = len(titles) + 2
    if groups:
        first, second, spans = [], [], {}
        for name in header:
            group = next((group for group, members in groups.items() if name in members), None)
            if group is None:
                first.append(name)
                second.append(None)
            else:
                first.append(group if group not in spans else None)
                spans.setdefault(group, []).append(len(first))
                second.append(name)
        sheet.append(first)
        sheet.append(second)
        for column, name in enumerate(first, start=1):
            if name is not None and name not in groups:
                sheet.merge_cells(start_row=top, end_row=top + 1, start_column=column, end_column=column)
        for columns in spans.values():
            sheet.merge_cells(start_row=top, end_row=top, start_column=columns[0], end_column=columns[-1])
    else:
        sheet.append(header)
    if column_numbers:
        sheet.append([f"({n})" for n in range(1, len(header) + 1)])
    first_data = top + (2 if groups else 1) + column_numbers
    for row in rows:
        sheet.append([row.get(name) for name in header])
    if totals is not None:
        sheet.append(totals)
    for line in signatures:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), first_data
