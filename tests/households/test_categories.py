import pytest
from django.core.management import call_command

from households.models import CATEGORIES, Category


@pytest.mark.django_db(transaction=True)
def test_the_categories_come_back_after_the_database_is_flushed():
    call_command("flush", "--noinput", verbosity=0)
    assert list(Category.objects.values_list("code", flat=True)) == [code for code, _ in CATEGORIES]
