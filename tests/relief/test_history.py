"""A record's history in words: labels, choice labels, names for ids, masked numbers, and a limit that still diffs."""

import pytest

from relief.history import record_history
from relief.models import Bag
from relief.services import allocation_create

pytestmark = pytest.mark.django_db


def test_a_bags_history_names_its_ward_and_says_its_state_in_words(funded_campaign, ward_a, staff):
    allocation_create(campaign=funded_campaign, ward=ward_a, quantity=1, created_by=staff)
    bag = Bag.objects.get(ward=ward_a)
    latest, created = record_history(bag)
    assert (latest.who, latest.kind, created.kind) == ("Cán bộ quận", "Sửa", "Tạo")
    rows = {change.label: (change.old, change.new) for change in latest.fields}
    assert rows["Trạng thái"] == ("Tại quận", "Đã phân bổ cho phường")
    assert rows["Phường"] == ("—", "Phường 1")


def test_a_households_numbers_are_masked_in_its_history(household_a):
    household_a.phone = "0987000111"
    household_a.save()
    change = record_history(household_a, fields=["phone"])[0].fields[0]
    assert (change.label, change.old, change.new) == ("Số điện thoại", "091••••678", "098••••111")


def test_the_oldest_change_within_the_limit_is_still_compared_with_the_state_before_it(household_a):
    for members in (2, 3, 4):
        household_a.members = members
        household_a.save()
    changes = record_history(household_a, fields=["members"], limit=2)
    assert [[(f.old, f.new) for f in change.fields] for change in changes] == [[("3", "4")], [("2", "3")]]
