"""The levels migrations (relief 0014, 0015) forward and back on a database with money, bags and hand-outs in it.

Every unit recorded before levels existed becomes a district over its wards, every figure stays, and the ledger
balances after each step.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.ledger import ledger_problems
from households.hand_outs import distribution_record
from relief.models import Campaign
from relief.selectors import ward_figures

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_LEVELS = [("relief", "0013_campaign_report_days")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def figures(campaign, wards):
    return {ward: vars(item) for ward, item in ward_figures(campaign, wards).items()}


def test_the_levels_migrate_back_and_forth_on_a_populated_database_keeping_every_figure(
    stocked, ward_a, ward_b, household_a, officer_a
):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    before = figures(stocked, [ward_a, ward_b])
    assert ledger_problems() == []

    old = migrate(BEFORE_LEVELS)
    assert "level" not in {field.name for field in old.get_model("relief", "District")._meta.get_fields()}
    assert ledger_problems() == []

    new = migrate(latest())
    assert set(new.get_model("relief", "District").objects.values_list("level", "parent")) == {("district", None)}
    assert set(new.get_model("relief", "Ward").objects.values_list("level", flat=True)) == {"ward"}
    assert ledger_problems() == []
    assert figures(Campaign.objects.get(pk=stocked.pk), [ward_a, ward_b]) == before


def test_the_role_groups_are_renamed_in_place_and_back_keeping_their_members(officer_a, staff):
    migrate([("relief", "0016_generic_role_names")])
    from django.contrib.auth.models import Group

    assert set(Group.objects.filter(user=officer_a).values_list("name", flat=True)) == {"Cán bộ phường"}
    migrate(latest())
    assert set(Group.objects.filter(user=officer_a).values_list("name", flat=True)) == {"Cán bộ đơn vị nhận"}
    assert set(Group.objects.filter(user=staff).values_list("name", flat=True)) == {"Cán bộ đơn vị tổ chức"}


def test_the_levels_migrate_back_and_forth_on_a_synthetic_city_keeping_the_ledger_and_every_figure(db):
    from io import StringIO

    from django.core.management import call_command

    from relief.models import Ward

    call_command("generate_city", "--scale=0.001", "--seed=7", stdout=StringIO())
    campaigns = list(Campaign.objects.order_by("pk"))
    before = {campaign.pk: figures(campaign, Ward.objects.filter(district=campaign.district)) for campaign in campaigns}
    assert ledger_problems() == []

    migrate(BEFORE_LEVELS)
    assert ledger_problems() == []

    new = migrate(latest())
    assert set(new.get_model("relief", "District").objects.values_list("level", flat=True)) == {"district"}
    assert ledger_problems() == []
    after = {campaign.pk: figures(campaign, Ward.objects.filter(district=campaign.district)) for campaign in campaigns}
    assert after == before


def test_the_levels_migrate_back_and_forth_on_the_demo_keeping_the_ledger_every_figure_and_every_scope(db):
    from io import StringIO

    from django.core.management import call_command

    from relief.models import User, Ward

    call_command("seed_demo", stdout=StringIO())
    campaigns = list(Campaign.objects.order_by("pk"))
    before = {campaign.pk: figures(campaign, Ward.objects.filter(district=campaign.district)) for campaign in campaigns}
    scopes = set(User.objects.values_list("username", "role", "district", "ward"))
    assert len(campaigns) == 3 and ledger_problems() == []
    assert all(any(row["handed_out"] for row in wards.values()) for wards in before.values())

    migrate(BEFORE_LEVELS)
    assert ledger_problems() == []

    migrate(latest())
    assert ledger_problems() == []
    after = {campaign.pk: figures(campaign, Ward.objects.filter(district=campaign.district)) for campaign in campaigns}
    assert after == before
    assert set(User.objects.values_list("username", "role", "district", "ward")) == scopes
