from django.core.management.base import BaseCommand, CommandError

from audit.ledger import ledger_problems


class Command(BaseCommand):
    help = "Kiểm tra tiền và túi khớp nhau trên toàn bộ cơ sở dữ liệu; báo từng chỗ sai."

    def handle(self, *args, **options):
        problems = ledger_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Sổ sách không khớp: {len(problems)} lỗi.")
        self.stdout.write("Sổ sách khớp: tiền, túi và lượt trao đều cân đối.")
