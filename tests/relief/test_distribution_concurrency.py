"""Officers racing at one hand-out point, on PostgreSQL with one connection per thread (SQLite has no row locks)."""

import threading
import uuid

import pytest
from django.db import connection, transaction

from households.hand_outs import distribution_cancel, distribution_record
from relief.models import Bag, Distribution
from relief.services import allocation_create, bags_recall
from relief.tallies import HandOutDayTally, ServedTally
from tests.conftest import make_household, make_user
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ledger_balances_afterwards"),
]


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and real concurrency need PostgreSQL (DATABASE_URL=postgres://…).")


@pytest.fixture
def last_five_bags(funded_campaign, ward_a, staff):
    allocation_create(campaign=funded_campaign, ward=ward_a, quantity=5, created_by=staff)
    return funded_campaign


@pytest.fixture
def two_officers(officer_a, ward_a):
    return [officer_a, make_user("canbo_p1_b", "ward_officer", ward=ward_a)]


def test_twenty_hand_outs_racing_for_the_last_five_bags_give_out_exactly_five(last_five_bags, ward_a, two_officers):
    households = [make_household(ward_a, f"Hộ {n:02d}", address=f"{n} Hùng Vương") for n in range(20)]

    outcomes = race(
        20,
        lambda i: distribution_record(
            household=households[i], campaign=last_five_bags, recorded_by=two_officers[i % 2], request_key=uuid.uuid4()
        ),
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 5, outcomes
    assert kinds.count("refused") == 15, outcomes
    assert all("đã hết túi trong kho" in message for kind, message in outcomes if kind == "refused")
    assert Distribution.objects.active().count() == 5
    assert len({value.bag_id for kind, value in outcomes if kind == "ok"}) == 5
    assert Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).count() == 0
    assert Bag.objects.filter(ward=ward_a, state=Bag.State.HANDED_OUT).count() == 5


def test_ten_officers_handing_a_bag_to_one_household_give_it_only_its_limit(last_five_bags, ward_a, two_officers):
    household = make_household(ward_a, "Nguyễn Văn An")

    outcomes = race(
        10,
        lambda i: distribution_record(
            household=household, campaign=last_five_bags, recorded_by=two_officers[i % 2], request_key=uuid.uuid4()
        ),
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 1, outcomes
    assert kinds.count("refused") == 9, outcomes
    assert all("đã nhận đủ 1 túi" in message for kind, message in outcomes if kind == "refused")
    assert Distribution.objects.filter(household=household).count() == 1
    assert Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).count() == 4


def test_a_retried_request_racing_the_original_returns_the_same_hand_out(last_five_bags, ward_a, officer_a):
    household = make_household(ward_a, "Nguyễn Văn An")
    key = uuid.uuid4()

    outcomes = race(
        6,
        lambda i: distribution_record(
            household=household, campaign=last_five_bags, recorded_by=officer_a, request_key=key
        ),
    )

    assert [kind for kind, _ in outcomes] == ["ok"] * 6, outcomes
    assert len({value.pk for _, value in outcomes}) == 1
    assert Distribution.objects.count() == 1


def test_a_hand_out_does_not_wait_for_a_hand_out_of_another_ward_to_commit(
    last_five_bags, ward_a, ward_b, officer_a, officer_b, staff
):
    """Hand-outs of one ward queue briefly on the ward's counter rows (relief.tallies) until the one before commits;
    the wards of a city never wait for each other."""
    allocation_create(campaign=last_five_bags, ward=ward_b, quantity=2, created_by=staff)
    first = make_household(ward_a, "Nguyễn Văn An")
    second = make_household(ward_b, "Lê Thị Cúc", address="3 Hùng Vương")
    recorded, release = threading.Event(), threading.Event()

    def hand_out_and_wait():
        with transaction.atomic():
            distribution_record(household=first, campaign=last_five_bags, recorded_by=officer_a)
            recorded.set()
            release.wait(timeout=10)
        connection.close()

    def hand_out_within_two_seconds(_):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            return distribution_record(household=second, campaign=last_five_bags, recorded_by=officer_b)

    holder = threading.Thread(target=hand_out_and_wait)
    holder.start()
    assert recorded.wait(timeout=10)
    try:
        outcomes = race(1, hand_out_within_two_seconds)
    finally:
        release.set()
        holder.join(timeout=10)

    assert [kind for kind, _ in outcomes] == ["ok"], outcomes
    assert Distribution.objects.filter(household__in=[first, second]).count() == 2


def test_hand_outs_racing_to_one_household_with_a_limit_of_two_serve_it_once(last_five_bags, ward_a, two_officers):
    last_five_bags.household_limit = 2
    last_five_bags.save()
    household = make_household(ward_a, "Nguyễn Văn An")

    outcomes = race(
        6,
        lambda i: distribution_record(
            household=household, campaign=last_five_bags, recorded_by=two_officers[i % 2], request_key=uuid.uuid4()
        ),
    )

    assert [kind for kind, _ in outcomes].count("ok") == 2, outcomes
    assert ServedTally.objects.get(campaign_id=last_five_bags.pk, ward_id=ward_a.pk).n == 1
    assert HandOutDayTally.objects.get(campaign_id=last_five_bags.pk, ward_id=ward_a.pk).n == 2


def test_cancellations_and_hand_outs_racing_in_one_ward_all_succeed_and_count_right(last_five_bags, ward_a, officer_a):
    handed = [
        distribution_record(household=make_household(ward_a, f"Hộ {n}"), campaign=last_five_bags, recorded_by=officer_a)
        for n in range(3)
    ]
    waiting = [make_household(ward_a, f"Hộ chờ {n}") for n in range(2)]

    def work(i):
        if i < 3:
            return distribution_cancel(distribution=handed[i], cancelled_by=officer_a, reason="Ghi nhầm")
        return distribution_record(household=waiting[i - 3], campaign=last_five_bags, recorded_by=officer_a)

    outcomes = race(5, work)

    assert [kind for kind, _ in outcomes] == ["ok"] * 5, outcomes  # no deadlock between counter rows
    assert ServedTally.objects.get(campaign_id=last_five_bags.pk, ward_id=ward_a.pk).n == 2
    assert Bag.objects.filter(ward=ward_a, state=Bag.State.HANDED_OUT).count() == 2


def test_a_recall_racing_hand_outs_in_the_ward_never_takes_a_bag_handed_out(last_five_bags, ward_a, officer_a, staff):
    households = [make_household(ward_a, f"Hộ {n:02d}", address=f"{n} Hùng Vương") for n in range(4)]
    wards_bags = list(Bag.objects.filter(ward=ward_a).values_list("pk", flat=True))

    def work(i):
        if i == 4:
            return bags_recall(campaign=last_five_bags, ward=ward_a, quantity=2, reason="Thu về quận", created_by=staff)
        return distribution_record(
            household=households[i], campaign=last_five_bags, recorded_by=officer_a, request_key=uuid.uuid4()
        )

    outcomes = race(5, work)

    assert all(kind in ("ok", "refused") for kind, _ in outcomes), outcomes
    handed = Distribution.objects.active().count()
    recalled = Bag.objects.filter(pk__in=wards_bags, state=Bag.State.AT_DISTRICT).count()
    in_stock = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).count()
    assert handed == sum(1 for i, (kind, _) in enumerate(outcomes[:4]) if kind == "ok")
    assert recalled == (2 if outcomes[4][0] == "ok" else 0)
    assert handed + recalled + in_stock == 5
    assert not Distribution.objects.active().filter(bag__state=Bag.State.AT_DISTRICT).exists()
