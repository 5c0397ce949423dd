"""An import killed half-way (SIGKILL, as by the OOM killer or a pulled plug) leaves nothing; run again, it succeeds."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from households.imports import HEADER
from households.models import Household

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ledger_balances_afterwards"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a second process on a shared database (PostgreSQL)"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000  # long enough to be caught in the middle
IMPORT = (
    "from pathlib import Path; from relief.models import User; from households.imports import household_import; "
    "print(household_import(path=Path({path!r}), user=User.objects.get(pk={user}), source_name='ds.csv'))"
)


def write_list(path, ward):
    lines = [",".join(HEADER)]
    lines += [f"Hộ {n},0790{n:08d},09{n:08d},{n} Trần Hưng Đạo,{ward.name},3,Hộ nghèo,Thường trú" for n in range(ROWS)]
    path.write_text("\n".join(lines), encoding="utf-8")


def run_import(path, user):
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    code = IMPORT.format(path=str(path), user=user.pk)
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def inserting_households():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state <> 'idle'"
            " AND (query ILIKE 'INSERT INTO \"households_household\"%%' OR query ILIKE 'COPY \"households_%%')"
        )
        return cursor.fetchone()[0] > 0


def test_an_import_killed_while_it_inserts_leaves_nothing_and_the_same_file_then_imports(tmp_path, staff, ward_a):
    path = tmp_path / "danh-sach.csv"
    write_list(path, ward_a)
    process = run_import(path, staff)
    deadline = time.monotonic() + 120
    while not inserting_households():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never reached its inserts"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL

    assert Household.objects.count() == 0
    assert Household.history.count() == 0

    again = run_import(path, staff)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert out.strip().endswith(str(ROWS))
    assert Household.objects.count() == ROWS
