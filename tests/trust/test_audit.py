"""Who changed what and when: recorded for every path that writes, and the money's history cannot be rewritten."""

import uuid

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse

from donations.models import Donation
from households.models import Household
from relief.models import Allocation, Bag, Distribution
from tests.district.conftest import csv_bytes, household_row, upload

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers exist on PostgreSQL only"
)


@needs_postgres
@pytest.mark.parametrize("model", [Donation, Distribution])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET history_change_reason = 'sửa'", "DELETE FROM {table}"])
def test_the_database_refuses_to_rewrite_or_erase_the_history_of_money_and_hand_outs(world, model, statement):
    table = model.history.model._meta.db_table
    assert model.history.exists()
    with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=table))
    assert model.history.exists()


def test_a_household_edit_on_the_ward_page_records_who_changed_what(world, officer_a, officer_a_client):
    household = world["household"]
    data = {"head_name": household.head_name, "address": "99 Nguyễn Trãi", "members": "3", "residence": "permanent"}
    data.update(national_id=household.national_id, phone=household.phone, notes="")
    response = officer_a_client.post(reverse("ward:household_edit", args=[household.pk]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    edit = household.history.filter(address="99 Nguyễn Trãi").earliest("history_date")
    assert edit.history_user == officer_a
    assert [change.old for change in edit.diff_against(edit.prev_record).changes if change.field == "address"] == [
        "12 Trần Hưng Đạo"
    ]


def test_a_hand_out_and_its_cancellation_are_in_the_history_with_who_did_them(world, officer_a, officer_a_client):
    distribution = world["distribution"]
    assert distribution.history.earliest("history_date").history_user == officer_a
    officer_a_client.post(reverse("ward:cancel_hand_out", args=[distribution.pk]), {"reason": "Ghi nhầm hộ"})
    latest = distribution.history.latest("history_date")
    assert latest.history_user == officer_a and latest.cancelled_at is not None


def test_households_imported_through_the_pages_carry_who_imported_them_in_their_history(
    staff, staff_client, confirm, ward_a
):
    content = csv_bytes([household_row(1), household_row(2)])
    token = staff_client.post(reverse("district:import_households"), {"file": upload("ds.csv", content)})
    confirm(staff_client, token.context["token"])
    created = Household.history.filter(history_type="+")
    assert created.count() == 2
    assert {record.history_user for record in created} == {staff}


def test_an_allocation_plan_records_its_allocations_and_moved_bags_with_who_decided(
    funded_campaign, staff, staff_client, ward_a
):
    data = {"campaign": funded_campaign.pk, "plan_key": str(uuid.uuid4()), f"ward_{ward_a.pk}": 2}
    assert staff_client.post(reverse("district:allocate"), data).status_code == 302
    allocation = Allocation.objects.get()
    assert allocation.history.get().history_user == staff
    moved = Bag.history.filter(ward=ward_a, state=Bag.State.ALLOCATED)
    assert moved.count() == 2 and {record.history_user for record in moved} == {staff}


def test_a_donation_recorded_on_the_money_page_carries_who_recorded_it(campaign, staff, staff_client, donor):
    data = {"campaign": campaign.pk, "donor": donor.pk, "method": "cash", "amount": "2.000.000"}
    data.update(received_on="20/08/2021", submission_key=str(uuid.uuid4()))
    assert staff_client.post(reverse("money:donation_new"), data).status_code == 302
    assert Donation.objects.get().history.get().history_user == staff


def test_the_bags_a_donation_funds_are_in_the_history_as_created_by_who_recorded_the_money(
    campaign, staff, staff_client, donor
):
    data = {"campaign": campaign.pk, "donor": donor.pk, "method": "cash", "amount": "2.000.000"}
    data.update(received_on="20/08/2021", submission_key=str(uuid.uuid4()))
    assert staff_client.post(reverse("money:donation_new"), data).status_code == 302
    created = Bag.history.filter(history_type="+")
    assert created.count() == Bag.objects.count() == 2
    assert {record.history_user for record in created} == {staff}
