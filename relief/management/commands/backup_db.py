from django.core.management.base import BaseCommand

from relief.backup import backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu ra một tệp (PostgreSQL: pg_dump; SQLite: bản sao trực tuyến)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp sao lưu sẽ ghi, ví dụ ansinh-2021-08-22.dump")

    def handle(self, *args, path, **options):
        backup(path)
        self.stdout.write(f"Đã sao lưu vào {path}.")
