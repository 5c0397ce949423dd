"""The personas every test speaks of, and small builders for the program's records.

A district (Quận 5) with wards A and B, an open campaign, and one user per role: district staff, an officer of
ward A, an officer of ward B, a leader, an administrator, plus the anonymous visitor (Django's plain ``client``).
"""

import datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from donations.models import Donation, Donor
from donations.services import donation_record
from households.hand_outs import distribution_record
from households.models import Category, Household, MissedReport
from households.reports import report_missed
from relief import two_factor
from relief.models import Campaign, District, Level, User, Ward
from relief.services import allocation_create

PASSWORD = "mat-khau-thu-nghiem"
RECEIVED_ON = datetime.date(2021, 8, 20)


def pytest_configure(config):
    # A fast hasher: the tests log in hundreds of times and prove nothing about password hashing.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A "replica" that mirrors the test database, so the router's tests can see which alias a page reads from.
    # Routing to it stays off (REPLICA_DATABASE) unless a test turns it on.
    django_settings.DATABASES.setdefault(
        "replica", {**django_settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
    )


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (Redis when REDIS_URL is set): a kept chart drawing names rows by their
    keys, which a later test's rows may reuse."""
    cache.clear()


@pytest.fixture
def ledger_balances_afterwards():
    """After the test (a race, a fault), money, bags and hand-outs still balance: ``check_ledger`` raises if not."""
    yield
    call_command("check_ledger", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def district(db):
    return District.objects.create(code="q5", name="Quận 5")


@pytest.fixture
def ward_a(district):
    return Ward.objects.create(district=district, code="q5-p01", name="Phường 1")


@pytest.fixture
def ward_b(district):
    return Ward.objects.create(district=district, code="q5-p02", name="Phường 2")


@pytest.fixture
def other_district(db):
    district = District.objects.create(code="btl", name="Bắc Từ Liêm")
    Ward.objects.create(district=district, code="btl-dong-ngac", name="Đông Ngạc")
    return district


@pytest.fixture
def campaign(district):
    return Campaign.objects.create(
        code="Q5-2021",
        name="Túi an sinh xã hội Quận 5",
        district=district,
        target_bags=16_000,
        legal_basis="Kết luận số 492-KL/QU ngày 17/8/2021",
        starts_on=datetime.date(2021, 8, 17),
    )


def make_user(username, role="", **extra):
    user = User(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def staff(district):
    return make_user("canbo_quan", User.Role.DISTRICT_STAFF, district=district, first_name="Cán bộ quận")


@pytest.fixture
def officer_a(ward_a):
    return make_user("canbo_p1", User.Role.WARD_OFFICER, ward=ward_a, first_name="Cán bộ Phường 1")


@pytest.fixture
def officer_b(ward_b):
    return make_user("canbo_p2", User.Role.WARD_OFFICER, ward=ward_b, first_name="Cán bộ Phường 2")


@pytest.fixture
def leader(district):
    return make_user("lanhdao", User.Role.LEADER, district=district, first_name="Lãnh đạo")


@pytest.fixture
def administrator(db):
    return make_user("quantri", User.Role.ADMIN, is_superuser=True)


def sign_in(client, user):
    """Log ``user`` in on ``client`` past both steps: the password (forced) and, for those who must use it, the
    second factor, with an authenticator app enrolled the way the enrolment page leaves it."""
    client.force_login(user)
    if two_factor.second_step_for(user) is not None:
        if not two_factor.confirmed_app_device(user):
            TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE_NAME, confirmed=True)
        session = client.session
        session[two_factor.SESSION_KEY] = True
        session.save()
    return client


def client_for(user):
    return sign_in(Client(), user)


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def officer_a_client(officer_a):
    return client_for(officer_a)


@pytest.fixture
def officer_b_client(officer_b):
    return client_for(officer_b)


@pytest.fixture
def leader_client(leader):
    return client_for(leader)


@pytest.fixture
def admin_client_(administrator):
    return client_for(administrator)


@pytest.fixture
def donor(district):
    return Donor.objects.create(name="Nguyễn Văn Hảo", kind=Donor.Kind.BENEFACTOR, district=district)


def give(campaign, donor, by, amount=0, bags=0, **extra):
    """Record a donation through the service, as the pages do; returns (donation, bags funded)."""
    method = Donation.Method.IN_KIND if bags else Donation.Method.CASH
    return donation_record(
        campaign=campaign,
        donor=donor,
        recorded_by=by,
        received_on=RECEIVED_ON,
        method=method,
        amount=amount,
        bags_in_kind=bags,
        **extra,
    )


@pytest.fixture
def funded_campaign(campaign, donor, staff):
    """The campaign with 10 bags funded by cash, all still at the district."""
    give(campaign, donor, staff, amount=10 * campaign.bag_value)
    return campaign


@pytest.fixture
def stocked(funded_campaign, ward_a, ward_b, staff):
    """Four bags allocated to ward A, three to ward B, three left at the district."""
    allocation_create(campaign=funded_campaign, ward=ward_a, quantity=4, created_by=staff)
    allocation_create(campaign=funded_campaign, ward=ward_b, quantity=3, created_by=staff)
    return funded_campaign


def make_household(ward, name="Nguyễn Văn An", status=Household.Status.APPROVED, **extra):
    extra.setdefault("address", "12 Trần Hưng Đạo")
    household = Household.objects.create(ward=ward, head_name=name, status=status, **extra)
    return household


@pytest.fixture
def household_a(ward_a):
    household = make_household(ward_a, "Nguyễn Văn An", national_id="079081000123", phone="0912345678")
    household.categories.add(Category.objects.get(code="ho-ngheo"))
    return household


@pytest.fixture
def household_b(ward_b):
    return make_household(ward_b, "Trần Thị Bích", national_id="079185000456", phone="0987654321")


@pytest.fixture
def confirm_ward(django_capture_on_commit_callbacks):
    """Confirm an officer's own household upload and run its job, as ``confirm`` does for the district's."""

    def post(client, token, **choices):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("ward_import:confirm"), {"token": token, **choices})

    return post


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Confirm a household upload and run the job it enqueues once its row is committed, as in production.

    A test's own transaction never commits, so the callbacks are run here, when the confirm request ends.
    """

    def post(client, token, **choices):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("district:import_households_confirm"), {"token": token, **choices})

    return post


@pytest.fixture
def two_tier(db):
    """Today's map: a city running a campaign over its wards, one ward running its own over two khu phố, and
    another city with a ward and a khu phố of its own; the people of each, by role and level.

    Names are generic ("Thành phố Mẫu", "Phường Mẫu", "Khu phố 1"): no real merged ward is implied.
    """
    city = District.objects.create(code="tp-mau", name="Thành phố Mẫu", level=Level.CITY)
    city_ward = Ward.objects.create(district=city, code="tp-mau-pm", name="Phường Mẫu", level=Level.WARD)
    ward_unit = District.objects.create(code="pm", name="Phường Mẫu", level=Level.WARD, parent=city)
    kp1 = Ward.objects.create(district=ward_unit, code="pm-kp1", name="Khu phố 1", level=Level.KHU_PHO)
    kp2 = Ward.objects.create(district=ward_unit, code="pm-kp2", name="Khu phố 2", level=Level.KHU_PHO)
    other_city = District.objects.create(code="tp-khac", name="Thành phố Khác", level=Level.CITY)
    other_unit = District.objects.create(code="xk", name="Xã Khác", level=Level.COMMUNE, parent=other_city)
    other_thon = Ward.objects.create(district=other_unit, code="xk-t1", name="Thôn 1", level=Level.THON)
    start = datetime.date(2025, 9, 1)
    campaigns = {
        unit: Campaign.objects.create(code=code, name=f"Túi an sinh {unit.name}", district=unit, starts_on=start)
        for unit, code in ((city, "TPM-2025"), (ward_unit, "PM-2025"), (other_unit, "XK-2025"))
    }
    role = User.Role
    return SimpleNamespace(
        city=city,
        city_ward=city_ward,
        ward_unit=ward_unit,
        kp1=kp1,
        kp2=kp2,
        other_city=other_city,
        other_unit=other_unit,
        other_thon=other_thon,
        city_campaign=campaigns[city],
        ward_campaign=campaigns[ward_unit],
        other_campaign=campaigns[other_unit],
        officer_kp1=make_user("canbo_kp1", role.WARD_OFFICER, ward=kp1, first_name="Cán bộ Khu phố 1"),
        officer_kp2=make_user("canbo_kp2", role.WARD_OFFICER, ward=kp2, first_name="Cán bộ Khu phố 2"),
        ward_staff=make_user("canbo_pm", role.DISTRICT_STAFF, district=ward_unit, first_name="Cán bộ Phường Mẫu"),
        ward_leader=make_user("lanhdao_pm", role.LEADER, district=ward_unit, first_name="Lãnh đạo Phường Mẫu"),
        city_staff=make_user("canbo_tp", role.DISTRICT_STAFF, district=city, first_name="Cán bộ thành phố"),
        city_leader=make_user("lanhdao_tp", role.LEADER, district=city, first_name="Lãnh đạo thành phố"),
        other_leader=make_user("lanhdao_khac", role.LEADER, district=other_city, first_name="Lãnh đạo nơi khác"),
        other_officer=make_user("canbo_thon", role.WARD_OFFICER, ward=other_thon, first_name="Cán bộ Thôn 1"),
    )


@pytest.fixture
def ward_campaign_under_way(two_tier):
    """Phường Mẫu's own campaign at work: six bags funded by its staff, three sent to Khu phố 1 and two to Khu phố 2,
    and one handed out in Khu phố 1 by its officer."""
    donor = Donor.objects.create(name="Lê Văn Tâm", kind=Donor.Kind.BENEFACTOR, district=two_tier.ward_unit)
    campaign = two_tier.ward_campaign
    give(campaign, donor, two_tier.ward_staff, amount=6 * campaign.bag_value)
    allocation_create(campaign=campaign, ward=two_tier.kp1, quantity=3, created_by=two_tier.ward_staff)
    allocation_create(campaign=campaign, ward=two_tier.kp2, quantity=2, created_by=two_tier.ward_staff)
    two_tier.household_kp1 = make_household(two_tier.kp1, "Lê Thị Một", national_id="079190000111")
    two_tier.household_kp2 = make_household(two_tier.kp2, "Phạm Văn Hai", national_id="079090000222")
    two_tier.hand_out = distribution_record(
        household=two_tier.household_kp1, campaign=campaign, recorded_by=two_tier.officer_kp1
    )
    return two_tier


@pytest.fixture
def missed_reports(stocked, ward_a, ward_b, staff):
    """Reports of missed households in ``stocked``: ward A two open (one past its deadline) and one closed, ward B
    none, and one open whose ward nobody knew (the district routes it)."""

    def report(ward, name):
        return report_missed(campaign=stocked, ward=ward, name=name, staying_at="Gầm cầu Chữ Y", created_by=staff)

    report(ward_a, "Lâm Văn Chờ")
    late = report(ward_a, "Tạ Thị Trễ")
    MissedReport.objects.filter(pk=late.pk).update(deadline=timezone.now() - datetime.timedelta(days=1))
    closed = report(ward_a, "Hồ Văn Xong")
    MissedReport.objects.filter(pk=closed.pk).update(
        status=MissedReport.Status.CLOSED, close_reason="Đã chuyển đi nơi khác", resolved_at=timezone.now()
    )
    report(None, "Kha Văn Lạc")
    return stocked
