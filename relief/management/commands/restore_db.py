from django.core.management.base import BaseCommand, CommandError

from relief.backup import restore


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ tệp sao lưu: THAY THẾ toàn bộ dữ liệu hiện có."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Xác nhận thay thế dữ liệu hiện có.")

    def handle(self, *args, path, yes=False, **options):
        if not yes:
            raise CommandError("Khôi phục sẽ thay thế toàn bộ dữ liệu hiện có; chạy lại với --yes để xác nhận.")
        restore(path)
        self.stdout.write(f"Đã khôi phục từ {path}.")
