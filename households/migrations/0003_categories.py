"""The categories of people the program supports, as the program's documents name them, in their display order."""

from django.db import migrations

CATEGORIES = [
    ("nguoi-co-cong", "Người có công"),
    ("gia-dinh-chinh-sach", "Gia đình chính sách"),
    ("ho-ngheo", "Hộ nghèo"),
    ("ho-can-ngheo", "Hộ cận nghèo"),
    ("nguoi-yeu-the", "Người yếu thế"),
    ("hoan-canh-kho-khan", "Hoàn cảnh khó khăn"),
    ("mat-viec-do-dich", "Mất việc do dịch"),
    ("lao-dong-tu-do", "Lao động tự do"),
    ("lang-thang-co-nho", "Lang thang cơ nhỡ"),
]


def load(apps, schema_editor):
    Category = apps.get_model("households", "Category")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("households", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
