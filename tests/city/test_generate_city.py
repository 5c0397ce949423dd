"""generate_city: a small city keeps every invariant, repeats itself for a seed, and the app carries on from it."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.urls import reverse

from citygen.management.commands.generate_city import DEMO_PASSWORD
from donations.models import Donation, Donor
from donations.services import donation_record
from households.duplicates import duplicates_of
from households.hand_outs import distribution_record
from households.models import Household
from relief.models import Bag, Campaign, Distribution, District, Level, User, Ward, WardRequest
from relief.text import clean_name, fold
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SCALE = 0.001  # 2 districts, 6 wards, 1,000 households, 2,000 bags, 1,000 hand-outs, 100 donations


def generate(*args, seed=7):
    out = StringIO()
    call_command("generate_city", f"--scale={SCALE}", f"--seed={seed}", *args, stdout=out)
    return out.getvalue()


def ledger():
    out = StringIO()
    call_command("check_ledger", stdout=out, stderr=StringIO())
    return out.getvalue()


def households_digest():
    rows = Household.objects.order_by("ward__code", "pk").values_list(
        "ward__code",
        "head_name",
        "national_id",
        "phone",
        "address",
        "members",
        "residence",
        "status",
        "source",
        "created_at",
    )
    categories = Household.categories.through.objects.order_by("household_id", "category__code")
    text = repr(list(rows)) + repr(list(categories.values_list("household__head_name", "category__code")))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def city():
    generate()


def test_a_small_city_keeps_every_invariant(city):
    assert "khớp" in ledger()


def test_the_counts_scale_as_asked(city):
    assert District.objects.count() == 2
    assert Ward.objects.count() == 6
    assert Household.objects.count() == 1_000
    assert Bag.objects.count() == 2_000
    assert Distribution.objects.active().count() == 1_000
    assert Donation.objects.count() == 100
    roles = dict(User.objects.values_list("role").annotate(n=Count("pk")))
    assert roles == {User.Role.DISTRICT_STAFF: 2, User.Role.LEADER: 2, User.Role.WARD_OFFICER: 6}


def test_each_campaign_s_counters_match_what_was_generated(city):
    for campaign in Campaign.objects.all():
        assert campaign.last_receipt_seq == campaign.donations.count()
        assert campaign.last_bag_number == campaign.bags.count()
        assert campaign.bags.order_by("-number").first().serial == campaign.bag_serial(campaign.last_bag_number)


def test_search_keys_are_what_the_household_model_would_store(city):
    for name, name_key, address, address_key in Household.objects.values_list(
        "head_name", "name_key", "address", "address_key"
    ):
        assert (name, address) == (clean_name(name), clean_name(address))
        assert (name_key, address_key) == (fold(name), fold(address))


def test_every_household_s_creation_is_in_its_history_with_who_and_its_categories(city):
    history = Household.history.model.objects
    assert history.filter(history_type="+").count() == Household.objects.count()
    household = Household.objects.filter(categories__isnull=False).first()
    created = history.get(id=household.pk)
    assert (created.history_user_id, created.status) == (household.created_by_id, household.status)
    assert {c.category_id for c in created.categories.all()} == set(household.categories.values_list("pk", flat=True))


def test_every_hand_out_is_recorded_by_the_officer_of_its_ward(city):
    assert not Distribution.objects.exclude(recorded_by__ward=F("ward")).exists()
    assert not Distribution.objects.exclude(household__status=Household.Status.APPROVED).exists()


def test_a_bag_is_funded_then_allocated_then_handed_out_to_a_registered_household(city):
    hand_outs = Distribution.objects.active()
    assert not hand_outs.filter(handed_out_at__lt=F("bag__created_at")).exists()
    assert not hand_outs.filter(handed_out_at__lt=F("bag__allocation__created_at")).exists()
    assert not hand_outs.filter(handed_out_at__lt=F("household__created_at")).exists()
    assert not Bag.objects.filter(allocation__created_at__lt=F("created_at")).exists()


def test_some_approved_households_still_wait_for_their_first_bag(city):
    served = Distribution.objects.active().values("household")
    assert Household.objects.approved().exclude(pk__in=served).exists()


def test_an_answered_ward_request_got_what_was_approved(city):
    answered = WardRequest.objects.exclude(status__in=[WardRequest.Status.WAITING, WardRequest.Status.REFUSED])
    assert answered.exists()
    for ward_request in answered:
        allocation = ward_request.allocations.get()
        assert (allocation.ward, allocation.quantity) == (ward_request.ward, ward_request.approved_quantity)
        assert ward_request.decided_at == allocation.created_at


def test_the_city_holds_near_duplicates_that_detection_finds(city):
    shared_id = (
        Household.objects.exclude(national_id="")
        .values("national_id")
        .annotate(wards=Count("ward", distinct=True))
        .filter(wards__gt=1)
        .order_by("national_id")
        .values_list("national_id", flat=True)
        .first()
    )
    household = Household.objects.filter(national_id=shared_id).exclude(status=Household.Status.REJECTED).first()
    assert any("CCCD" in duplicate.reason for duplicate in duplicates_of(household))
    typed_twice = (
        Household.objects.values("ward", "name_key", "address")
        .annotate(spellings=Count("head_name", distinct=True))
        .filter(spellings__gt=1)
    )
    assert typed_twice.exists()  # "Nguyễn Văn Đức" and "Nguyen Van Duc" at one address


def test_the_same_seed_gives_the_same_households(city):
    first = households_digest()
    generate("--replace")
    assert households_digest() == first
    generate("--replace", seed=8)
    assert households_digest() != first


def test_replace_removes_every_login_of_the_old_city(city):
    extra_ward = Ward.objects.order_by("-code").first()
    make_user("phuong99.d02", User.Role.WARD_OFFICER, ward=extra_ward)
    generate("--replace")
    assert not User.objects.filter(username="phuong99.d02").exists()
    assert User.objects.filter(ward__isnull=False).count() == 6


def test_a_real_donation_continues_the_receipts_and_the_bag_numbers(city):
    campaign = Campaign.objects.order_by("code").first()
    staff = User.objects.get(role=User.Role.DISTRICT_STAFF, district=campaign.district)
    last_bag, last_receipt = campaign.last_bag_number, campaign.last_receipt_seq
    donation, bags = donation_record(
        campaign=campaign,
        donor=Donor.objects.filter(district=campaign.district).first(),
        recorded_by=staff,
        received_on=datetime.date(2021, 10, 30),
        method=Donation.Method.TRANSFER,
        amount=3_000_000,
    )
    assert donation.receipt_number == campaign.receipt_number(last_receipt + 1)
    assert [bag.number for bag in bags][:1] == [last_bag + 1]
    assert len(bags) in (3, 4)  # three million đồng, plus the odd đồng the generator left free
    assert "khớp" in ledger()


def test_a_real_hand_out_takes_the_ward_s_lowest_bag_in_stock(city):
    campaign = Campaign.objects.order_by("code").first()
    household = (
        Household.objects.approved()
        .filter(ward__district=campaign.district)
        .annotate(n=Count("distributions"))
        .filter(n__lt=campaign.household_limit)
        .first()
    )
    lowest = Bag.objects.filter(ward=household.ward, state=Bag.State.ALLOCATED).order_by("number").first()
    officer = User.objects.get(ward=household.ward)
    distribution = distribution_record(household=household, campaign=campaign, recorded_by=officer)
    assert distribution.bag == lowest
    assert "khớp" in ledger()


def test_demo_logins_share_the_printed_password(db):
    assert DEMO_PASSWORD in generate("--demo-logins")
    assert User.objects.get(username="canbo.d01").check_password(DEMO_PASSWORD)


def test_logins_are_unusable_without_demo_logins(city):
    assert not User.objects.get(username="phuong01.d01").has_usable_password()


def test_it_refuses_a_database_that_already_has_a_program(district):
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        generate()


def test_replace_refuses_to_wipe_a_district_it_did_not_generate(district):
    with pytest.raises(CommandError, match="không do lệnh này sinh ra"):
        generate("--replace")
    assert District.objects.filter(code="q5").exists()


def test_a_scale_too_small_to_keep_the_invariants_is_refused_and_leaves_nothing(db):
    with pytest.raises(CommandError, match="Quy mô quá nhỏ"):
        call_command("generate_city", "--scale=0.00001", stdout=StringIO())
    assert not District.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the limit is SQLite's; PostgreSQL takes the full city")
def test_sqlite_refuses_a_full_city(db):
    with pytest.raises(CommandError, match="SQLite"):
        call_command("generate_city", "--scale=0.5", stdout=StringIO())


def two_tier_city():
    return generate("--shape=two-tier")


def test_the_two_tier_city_is_one_city_running_one_campaign_over_its_wards_and_communes(db):
    two_tier_city()
    city = District.objects.get()
    assert (city.level, city.name) == (Level.CITY, "Thành phố Mẫu")
    assert Campaign.objects.get().district == city
    levels = dict(Ward.objects.values_list("name", "level"))
    assert levels == {"Phường 1": Level.WARD, "Phường 2": Level.WARD, "Xã 1": Level.COMMUNE}
    assert Household.objects.count() == 1_000
    assert Distribution.objects.active().count() == 1_000
    assert "khớp" in ledger()


def test_the_two_tier_city_has_a_login_for_each_ward_and_commune_officer_and_the_city_s_staff_and_leader(db):
    two_tier_city()
    officers = User.objects.filter(role=User.Role.WARD_OFFICER)
    assert sorted(officers.values_list("username", flat=True)) == ["phuong01.d01", "phuong02.d01", "xa03.d01"]
    assert User.objects.get(username="lanhdao.d01").role_title.startswith("Lãnh đạo")


def test_the_city_s_leader_sees_every_ward_and_commune_of_the_city_on_the_dashboard(db, client):
    two_tier_city()
    client.force_login(User.objects.get(username="lanhdao.d01"))
    page = client.get(reverse("leaders:dashboard")).content.decode()
    for name in ["Phường 1", "Phường 2", "Xã 1"]:
        assert name in page
    assert "Thành phố Mẫu" in page


def test_a_ward_officer_of_the_two_tier_city_hands_out_the_ward_s_lowest_bag_in_stock(db):
    two_tier_city()
    campaign = Campaign.objects.get()
    household = (
        Household.objects.approved()
        .annotate(n=Count("distributions"))
        .filter(n__lt=campaign.household_limit, ward__level=Level.COMMUNE)
        .first()
    )
    lowest = Bag.objects.filter(ward=household.ward, state=Bag.State.ALLOCATED).order_by("number").first()
    distribution = distribution_record(
        household=household, campaign=campaign, recorded_by=User.objects.get(ward=household.ward)
    )
    assert distribution.bag == lowest
    assert "khớp" in ledger()
