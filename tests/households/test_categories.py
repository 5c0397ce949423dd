import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from households.models import CATEGORIES, Category


@pytest.mark.django_db(transaction=True)
def test_the_categories_come_back_after_the_database_is_flushed():
    call_command("flush", "--noinput", verbosity=0)
    assert list(Category.objects.values_list("code", flat=True)) == [code for code, _ in CATEGORIES]


def test_a_category_an_administrator_renamed_keeps_its_name_and_order_after_a_migrate(db):
    Category.objects.filter(code="ho-ngheo").update(name="Hộ nghèo (chuẩn mới)", order=99)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    renamed = Category.objects.get(code="ho-ngheo")
    assert (renamed.name, renamed.order) == ("Hộ nghèo (chuẩn mới)", 99)
    assert Category.objects.count() == len(CATEGORIES)
