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
