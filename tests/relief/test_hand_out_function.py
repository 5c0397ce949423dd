"""``relief_hand_out_next_bag``: on PostgreSQL the writes of a hand-out of the next bag are one function
(``relief.hand_out_sql``). What it writes and returns must be what the step-by-step path writes and returns, which
SQLite runs and these tests run too; the service's own tests hold the rules on both."""

import uuid

import pytest
from django.db import connection, models

from households.selectors import ward_stock
from relief import hand_out_sql
from relief.models import Bag, Distribution
from relief.services import distribution_record
from tests.relief.test_history import _written

pytestmark = pytest.mark.django_db


def test_a_hand_out_writes_the_history_rows_simple_history_writes(stocked, household_a, officer_a):
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    for model, pk, kind in ((Bag, distribution.bag_id, "~"), (Distribution, distribution.pk, "+")):
        ours = model.history.filter(id=pk).latest("history_id")
        model.history.bulk_history_create([model.objects.get(pk=pk)], update=kind == "~", default_user=officer_a)
        theirs = model.history.filter(id=pk).latest("history_id")
        assert ours.history_id != theirs.history_id
        assert _written(ours) == _written(theirs)


def test_the_hand_out_returned_is_the_one_stored(stocked, household_a, officer_a):
    returned = distribution_record(
        household=household_a.pk,
        campaign=stocked.pk,
        recorded_by=officer_a,
        received_by="  Lê Thị Hoa ",
        request_key=uuid.uuid4(),
    )
    stored = Distribution.objects.select_related("bag").get(pk=returned.pk)
    fields = [field.attname for field in Distribution._meta.concrete_fields]
    assert [getattr(returned, name) for name in fields] == [getattr(stored, name) for name in fields]
    assert returned.received_by == "Lê Thị Hoa"
    bag_fields = ["id", "campaign_id", "number", "serial", "state", "ward_id"]
    assert [getattr(returned.bag, name) for name in bag_fields] == [getattr(stored.bag, name) for name in bag_fields]
    assert (returned.household, returned.campaign, returned.ward) == (household_a, stocked, household_a.ward)


def test_the_stock_a_hand_out_tells_is_the_wards_stock_after_it(stocked, household_a, officer_a):
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    told = distribution.stock_after
    assert told == (ward_stock(officer_a, stocked) if connection.vendor == "postgresql" else None)
    assert ward_stock(officer_a, stocked) == 3


def test_a_distribution_field_the_function_gives_no_value_stops_it_being_written(monkeypatch):
    extra = models.IntegerField(default=0)
    extra.set_attributes_from_name("checked_by_id")
    extra.model = Distribution
    monkeypatch.setattr(Distribution._meta, "concrete_fields", (*Distribution._meta.concrete_fields, extra))
    with pytest.raises(LookupError, match="checked_by_id"):
        hand_out_sql.function_sql(connection)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the function is PostgreSQL's")
def test_migrate_leaves_the_function_written_from_the_models_as_they_are():
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [hand_out_sql.NAME])
        (installed,) = cursor.fetchone()
    written = hand_out_sql.function_sql(connection)
    assert installed.strip() == written.split("$$")[1].strip()


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the function is PostgreSQL's")


def _nothing_handed_out(campaign):
    return not Distribution.objects.exists() and not Bag.objects.filter(campaign=campaign, state="handed_out").exists()


@on_postgresql
def test_the_household_the_function_returns_is_the_one_stored_with_its_ward_and_campaign(
    stocked, household_a, officer_a
):
    distribution = distribution_record(household=household_a.pk, campaign=stocked.pk, recorded_by=officer_a)
    returned = distribution.household
    for model, ours in ((type(household_a), returned), (type(household_a.ward), returned.ward)):
        stored = model.objects.get(pk=ours.pk)
        fields = [field.attname for field in model._meta.concrete_fields]
        assert [getattr(ours, name) for name in fields] == [getattr(stored, name) for name in fields]
    fields = [field.attname for field in type(stocked)._meta.concrete_fields]
    stored = type(stocked).objects.get(pk=stocked.pk)
    assert [getattr(returned.hand_out_campaign, name) for name in fields] == [getattr(stored, name) for name in fields]


@on_postgresql
def test_a_hand_out_the_services_rules_refuse_is_not_recorded_though_the_function_took_the_bag(
    stocked, household_a, officer_a, monkeypatch
):
    from django.core.exceptions import ValidationError

    from relief import services

    monkeypatch.setattr(services, "_hand_out_refusal", lambda household, campaign: ValidationError("Không"))
    with pytest.raises(ValidationError, match="Không"):
        distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    assert _nothing_handed_out(stocked)


@on_postgresql
def test_a_refusal_of_the_function_that_the_services_rules_do_not_make_is_a_fault_and_records_nothing(
    stocked, household_a, officer_a, monkeypatch
):
    from relief import services

    stocked.is_open = False
    stocked.save()
    monkeypatch.setattr(services, "_hand_out_refusal", lambda household, campaign: None)
    with pytest.raises(RuntimeError, match="refused"):
        distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    assert _nothing_handed_out(stocked)


@on_postgresql
def test_installing_replaces_a_function_of_the_same_name_whatever_its_arguments(stocked, household_a, officer_a):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE FUNCTION {hand_out_sql.NAME}(p integer) RETURNS integer LANGUAGE sql AS 'SELECT p'")
    hand_out_sql.install(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = %s", [hand_out_sql.NAME])
        assert cursor.fetchone()[0] == 1
    assert distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a).bag.serial
