"""Build a synthetic city at real scale, for load tests and benchmarks of the pages and reports.

At --scale 1: 20 districts, 300 wards (or, with --shape two-tier, today's shape: one city over 170 wards and
communes running one campaign), 1,000,000 households, 100,000 donations, 2,000,000 funded bags and
1,000,000 hand-outs over 60 days, written with PostgreSQL COPY in a few minutes. The same --seed always gives the
same city. The data keeps every invariant of the app (``check_ledger`` balances on it) and the campaigns' counters
are set, so donations and hand-outs recorded afterwards through the app continue the numbering.

Audit history (django-simple-history) is not written for the synthetic rows: nobody changed them.

The command needs an empty program (no districts, wards, campaigns, donors, donations, bags, households …).
--replace first removes the whole program and the logins tied to its districts, and is refused unless every
district in the database is one the command generates (codes d01, d02, …), so it never wipes a real district.
SQLite is supported only for small cities (--scale up to 0.01, plain INSERTs) so the tests run there too.
"""

import re
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from citygen import load
from citygen.city import generate_city
from citygen.people import usernames
from citygen.plan import DISTRICTS, SHAPES, city_plan
from relief.models import District, User

DEFAULT_SEED = 2021
DEMO_PASSWORD = "ansinh-city-2021"
SQLITE_MOST = 0.01
GENERATED_DISTRICT = re.compile(r"^d\d{2,}$")


class Command(BaseCommand):
    help = (
        "Sinh một thành phố giả lập để thử tải: 300 phường, 1.000.000 hộ, 2.000.000 túi, 1.000.000 lượt trao "
        "(--scale 1). Cần chương trình trống (hoặc --replace). Không ghi lịch sử thay đổi cho dữ liệu giả lập."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Tỉ lệ so với thành phố đầy đủ, ví dụ 0.01.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Cùng seed cho cùng dữ liệu.")
        parser.add_argument(
            "--replace", action="store_true", help="Xóa dữ liệu chương trình do lệnh này sinh ra trước khi sinh lại."
        )
        parser.add_argument(
            "--shape",
            choices=SHAPES,
            default=DISTRICTS,
            help="2021: các quận trên các phường; two-tier: một thành phố trên khoảng 170 phường, xã (từ 1/7/2025).",
        )
        parser.add_argument(
            "--demo-logins", action="store_true", help=f"Đặt mật khẩu {DEMO_PASSWORD} cho mọi tài khoản sinh ra."
        )

    def handle(self, *args, scale, seed, replace, demo_logins, shape, **options):
        self._check_database(scale)
        started = time.perf_counter()
        logins = usernames(city_plan(scale, seed, shape))
        password = make_password(DEMO_PASSWORD) if demo_logins else None
        with transaction.atomic():
            if replace:
                self._replace()
            self._check_empty(logins)
            try:
                report = generate_city(
                    scale=scale, seed=seed, writer=load.writer_for_database(), password=password,
                    progress=self._progress, shape=shape,
                )  # fmt: skip
            except ValueError as error:
                raise CommandError(str(error)) from error
            report.seconds["household history"] = _timed(load.write_household_history)
            report.seconds["sequences"] = _timed(load.reset_sequences)
            committing = time.perf_counter()
        report.seconds["commit"] = time.perf_counter() - committing
        report.seconds["vacuum and analyze"] = _timed(load.vacuum_analyze)
        self._summary(report, time.perf_counter() - started, demo_logins)

    def _check_database(self, scale):
        if scale <= 0:
            raise CommandError("--scale phải lớn hơn 0.")
        if connection.vendor == "sqlite" and scale > SQLITE_MOST:
            raise CommandError(
                f"SQLite chỉ dùng cho thành phố nhỏ (--scale tối đa {SQLITE_MOST}); thành phố đầy đủ cần "
                "PostgreSQL (DATABASE_URL=postgres://…) để nạp bằng COPY."
            )
        if connection.vendor not in ("sqlite", "postgresql"):
            raise CommandError("Lệnh chỉ chạy trên PostgreSQL (hoặc SQLite cho thành phố nhỏ).")

    def _replace(self):
        foreign = [
            code for code in District.objects.values_list("code", flat=True) if not GENERATED_DISTRICT.match(code)
        ]
        if foreign:
            raise CommandError(
                f"Không xóa: cơ sở dữ liệu có quận không do lệnh này sinh ra ({', '.join(foreign[:5])}). "
                "Hãy dùng một cơ sở dữ liệu riêng cho thành phố giả lập."
            )
        load.delete_program()

    def _check_empty(self, logins):
        if not load.program_is_empty():
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu chương trình. Lệnh chỉ sinh vào chương trình trống; thêm --replace để "
                "xóa thành phố giả lập cũ và sinh lại."
            )
        taken = list(User.objects.filter(username__in=logins).values_list("username", flat=True)[:5])
        if taken:
            raise CommandError(f"Tên đăng nhập đã có người dùng: {', '.join(taken)}.")

    def _progress(self, district):
        self.stdout.write(f"  {district.name}: {len(district.wards)} đơn vị nhận, {district.hand_outs} lượt trao")

    def _summary(self, report, wall, demo_logins):
        out = self.stdout
        out.write("Thời gian từng bước (giây):")
        for phase, seconds in report.seconds.items():
            out.write(f"  {phase:<28} {seconds:8.1f}")
        out.write("Số dòng:")
        for table, n in report.rows.items():
            out.write(f"  {table:<34} {n:>10,}".replace(",", "."))
        size = load.database_size()
        out.write(f"Tổng thời gian: {wall:.1f} giây" + (f"; cơ sở dữ liệu: {size}" if size else ""))
        if demo_logins:
            out.write(f"Mật khẩu chung của các tài khoản sinh ra: {DEMO_PASSWORD}")


def _timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started
