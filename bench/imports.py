"""Household import at scale: the real path (upload and preview, then confirm) beside a plain django-import-export
``ModelResource`` import of the same rows, and beside the limit of the machine: the same households and category
links written by a raw PostgreSQL ``COPY`` into the same tables, with the counters kept.

Each side runs in a child process of its own, so its peak memory (the process's maximum resident set) is its own.
The real path refuses a file of more than ``households.imports.MAX_ROWS`` rows, so the 100,000 rows go through it
as files of at most that size (one file since that limit is 100,000), each previewed and confirmed as district
staff would.
"""

import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from households.imports import HEADER

ROWS = 100_000
PLAIN_ROWS = 5_000  # the plain import goes row by row; its rate is measured on the first rows of the same file
ROOT = Path(__file__).resolve().parent.parent

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Hải", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm", "Thảo"]
STREETS = ["Trần Hưng Đạo", "An Dương Vương", "Hùng Vương", "Nguyễn Trãi", "Châu Văn Liêm", "Hải Thượng Lãn Ông"]
CATEGORIES = ["Hộ nghèo", "Mất việc do dịch", "Lao động tự do", "Hoàn cảnh khó khăn", "Người có công"]


def rows(count, ward_names, seed=6):
    """Households as a ward would list them; one row in a hundred repeats an earlier CCCD (a duplicate to flag)."""
    rng = random.Random(seed)
    previous = ""
    for n in range(count):
        national_id = f"079{rng.choice('01')}{rng.randrange(40, 99):02d}{900_000 + n:06d}"
        if n % 100 == 99:
            national_id = previous
        previous = national_id
        yield [
            f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            national_id,
            f"09{n:08d}",
            f"{rng.randrange(1, 400)} {rng.choice(STREETS)}",
            rng.choice(ward_names),
            rng.randrange(1, 8),
            "; ".join(rng.sample(CATEGORIES, rng.randrange(1, 3))),
            "Thường trú",
        ]


def write_workbooks(directory, ward_names, per_file):
    """The 100,000 rows as .xlsx files of at most ``per_file`` rows each; returns their paths."""
    paths, all_rows = [], list(rows(ROWS, ward_names))
    for start in range(0, ROWS, per_file):
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Danh sách")
        sheet.append(HEADER)
        for row in all_rows[start : start + per_file]:
            sheet.append(row)
        path = Path(directory) / f"ho-{start // per_file + 1:02d}.xlsx"
        book.save(path)
        paths.append(path)
    return paths


def _child(side, staff_pk, paths):
    """Run one side in a child process with the bench's settings and database; returns what it printed."""
    code = f"import django; django.setup(); from bench.imports import {side}; {side}({staff_pk}, {paths!r})"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the {side} import failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def real_path(staff_pk, paths):
    """Upload each file to ``district:import_households``, read the preview's report, confirm it; print figures."""
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from bench.pages import client_for
    from relief.models import User

    setup_test_environment()  # so a response carries its template context: the preview's report and token
    client = client_for(User.objects.get(pk=staff_pk))
    imported = warnings = 0
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as upload:
            preview = client.post(reverse("district:import_households"), {"file": upload})
        report = preview.context["report"]
        if not report.ok:
            raise RuntimeError(f"{path}: {report.errors[:3]}")
        warnings += report.warning_count + len(report.same_id)
        # The repeated CCCDs go in as households of their own, as when the staff tick that they checked them, so
        # that every row is imported as before.
        confirm = client.post(
            reverse("district:import_households_confirm"), {"token": preview.context["token"], "same_id_too": "1"}
        )
        if confirm.status_code != 302:
            raise RuntimeError(f"{path}: confirm answered {confirm.status_code}")
        imported += report.good_rows
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": imported, "seconds": seconds, "warnings": warnings, "peak_mb": _peak_mb()}))


def plain(staff_pk, paths):
    """django-import-export's own way: a ModelResource, ``import_data`` as a dry run (the preview), then for real."""
    import tablib
    from import_export import fields, resources, widgets

    from households.models import Category, Household
    from relief.models import User, Ward

    staff = User.objects.get(pk=staff_pk)

    class WardOfDistrict(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Ward.objects.filter(district_id=staff.district_id)

    class PlainResource(resources.ModelResource):
        head_name = fields.Field(attribute="head_name", column_name=HEADER[0])
        national_id = fields.Field(attribute="national_id", column_name=HEADER[1])
        phone = fields.Field(attribute="phone", column_name=HEADER[2])
        address = fields.Field(attribute="address", column_name=HEADER[3])
        ward = fields.Field(attribute="ward", column_name=HEADER[4], widget=WardOfDistrict(Ward, field="name"))
        members = fields.Field(attribute="members", column_name=HEADER[5], widget=widgets.IntegerWidget())
        categories = fields.Field(
            attribute="categories",
            column_name=HEADER[6],
            widget=widgets.ManyToManyWidget(Category, field="name", separator=";"),
        )

        class Meta:
            model = Household
            fields = ["head_name", "national_id", "phone", "address", "ward", "members", "categories"]
            import_id_fields = []

    with open(paths[0], "rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    del dataset[PLAIN_ROWS:]
    started = time.perf_counter()
    for dry_run in (True, False):
        result = PlainResource().import_data(dataset, dry_run=dry_run, raise_errors=True)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": result.totals["new"], "seconds": seconds, "peak_mb": _peak_mb()}))


def _copy_out(cursor, sql, params):
    buffer = io.BytesIO()
    cursor.copy_expert(cursor.mogrify(f"COPY ({sql}) TO STDOUT", params).decode(), buffer)
    buffer.seek(0)
    return buffer


def raw_copy(first_id, last_id):
    """Seconds a raw ``COPY`` takes to write the households ``first_id`` to ``last_id`` and their category links again,
    with the counters kept the way the import keeps them, in one transaction up to its commit.

    The rows are the ones the real path just wrote, copied out and deleted first (not timed), so both write the
    same rows into the same tables and indexes. The history rows the import also writes are not rewritten: the
    limit is the households themselves."""
    from django.db import connection, transaction

    from households.models import Household
    from households.tallies import add_households, households_counted_together

    links = Household.categories.through
    columns = [field.column for field in Household._meta.concrete_fields]
    column_list = ", ".join(f'"{column}"' for column in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        households = _copy_out(
            cursor,
            f"SELECT {column_list} FROM households_household WHERE id BETWEEN %s AND %s ORDER BY id",
            [first_id, last_id],
        )
        categories = _copy_out(
            cursor,
            f"SELECT id, household_id, category_id FROM {links._meta.db_table}"
            " WHERE household_id BETWEEN %s AND %s ORDER BY id",
            [first_id, last_id],
        )
        cursor.execute(f"DELETE FROM {links._meta.db_table} WHERE household_id BETWEEN %s AND %s", [first_id, last_id])
        cursor.execute("DELETE FROM households_household WHERE id BETWEEN %s AND %s RETURNING id", [first_id, last_id])
        ids = [row[0] for row in cursor.fetchall()]
    started = time.perf_counter()
    with transaction.atomic():
        with households_counted_together(connection), connection.cursor() as cursor:
            cursor.copy_expert(f"COPY households_household ({column_list}) FROM STDIN", households)
            cursor.copy_expert(f"COPY {links._meta.db_table} (id, household_id, category_id) FROM STDIN", categories)
        add_households(connection, ids)
    return len(ids), time.perf_counter() - started


def import_figures():
    """Rows per second and peak memory of the real path, of the plain import and of a raw COPY, and their ratios."""
    from django.db.models import Max

    from households.imports import MAX_ROWS
    from households.models import Household
    from relief.models import User

    staff = User.objects.filter(role=User.Role.DISTRICT_STAFF, district__isnull=False).order_by("pk").first()
    ward_names = list(staff.district.wards.values_list("name", flat=True))

    def last_id():
        return Household.objects.aggregate(last=Max("pk"))["last"] or 0

    first_id = last_id() + 1
    with tempfile.TemporaryDirectory() as directory:
        paths = [str(path) for path in write_workbooks(directory, ward_names, MAX_ROWS)]
        real = _child("real_path", staff.pk, paths)
        imported_to = last_id()
        base = _child("plain", staff.pk, paths[:1])
    copied, copy_seconds = raw_copy(first_id, imported_to)
    if copied != real["rows"]:
        raise RuntimeError(f"the raw COPY wrote {copied} households, the import {real['rows']}")
    rate, base_rate, copy_rate = real["rows"] / real["seconds"], base["rows"] / base["seconds"], copied / copy_seconds
    return {
        "rows": real["rows"],
        "files": len(paths),
        "seconds": round(real["seconds"], 1),
        "rows_per_second": round(rate),
        "duplicate_warnings": real["warnings"],
        "peak_mb": real["peak_mb"],
        "baseline": {"rows": base["rows"], "rows_per_second": round(base_rate), "peak_mb": base["peak_mb"]},
        "ratio": round(rate / base_rate, 1),
        "raw_copy": {"rows": copied, "seconds": round(copy_seconds, 1), "rows_per_second": round(copy_rate)},
        "ratio_to_raw_copy": round(rate / copy_rate, 2),
    }
