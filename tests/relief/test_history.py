"""A record's history in words: labels, choice labels, names for ids, masked numbers, and a limit that still diffs."""

import pytest

from households.hand_outs import distribution_record
from relief.history import copy_to_history, record_history
from relief.models import Bag, Distribution
from relief.services import allocation_create

pytestmark = pytest.mark.django_db


def test_a_bags_history_names_its_ward_and_says_its_state_in_words(funded_campaign, ward_a, staff):
    allocation_create(campaign=funded_campaign, ward=ward_a, quantity=1, created_by=staff)
    bag = Bag.objects.get(ward=ward_a)
    latest, created = record_history(bag)
    assert (latest.who, latest.kind, created.kind) == ("Cán bộ quận", "Sửa", "Tạo")
    rows = {change.label: (change.old, change.new) for change in latest.fields}
    assert rows["Trạng thái"] == ("Chưa phân bổ", "Đã phân bổ")
    assert rows["Đơn vị nhận"] == ("—", "Phường 1")


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


def _written(row):
    """A history row as simple-history's fields and the tracked fields of the record it copies."""
    fields = [field.attname for field in row.tracked_fields]
    return [row.history_type, row.history_user_id, row.history_change_reason, *(getattr(row, f) for f in fields)]


@pytest.mark.parametrize("kind", ["+", "~"])
def test_copying_a_record_to_its_history_writes_the_row_simple_history_writes(stocked, household_a, officer_a, kind):
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    for model, pk in ((Bag, distribution.bag_id), (Distribution, distribution.pk)):
        record = model.objects.get(pk=pk)
        model.history.bulk_history_create([record], update=kind == "~", default_user=officer_a)
        theirs = model.history.filter(id=pk).latest("history_id")
        copy_to_history(model, pk, user=officer_a, kind=kind)
        ours = model.history.filter(id=pk).latest("history_id")
        assert ours.history_id != theirs.history_id
        assert _written(ours) == _written(theirs)
        assert abs(ours.history_date - theirs.history_date).total_seconds() < 5


def test_a_hand_out_enters_the_history_of_its_bag_and_of_itself_once_each(stocked, household_a, officer_a):
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    bag_rows = distribution.bag.history.filter(state=Bag.State.HANDED_OUT)
    assert [(row.history_type, row.history_user) for row in bag_rows] == [("~", officer_a)]
    rows = Distribution.history.filter(id=distribution.pk)
    assert [(row.history_type, row.history_user, row.household_id) for row in rows] == [
        ("+", officer_a, household_a.pk)
    ]
