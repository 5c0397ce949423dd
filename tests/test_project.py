"""Guards for the project as a whole."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.ledger import ledger_problems
from donations.models import Donation
from households.models import Household
from relief.models import Bag, Campaign, User


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_loads_the_district_5_story_and_is_safe_to_run_twice(settings):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("seed_demo", households_per_ward=8, stdout=out)
    q5 = Campaign.objects.get(code="Q5-2021")
    assert q5.target_bags == 16_000 and "492-KL/QU" in q5.legal_basis
    assert Donation.objects.filter(campaign=q5, donor__kind="staff").net_cash() == 49_000_000
    assert Donation.objects.filter(campaign=q5).net_cash() == 400_000_000
    assert Bag.objects.filter(campaign=q5).count() == 400
    assert q5.district.wards.count() == 14
    assert q5.distributions.filter(handed_out_at__date="2021-08-22").exists()
    assert Household.objects.filter(residence="other_province", ward__district__code="btl").exists()
    counts = (Donation.objects.count(), Bag.objects.count(), Household.objects.count(), User.objects.count())
    call_command("seed_demo", households_per_ward=8, stdout=StringIO())
    assert (Donation.objects.count(), Bag.objects.count(), Household.objects.count(), User.objects.count()) == counts
    assert "canbo.q5" in out.getvalue() and "ansinh-demo-2021" in out.getvalue()
    assert User.objects.get(username="phuong1.q5").check_password("ansinh-demo-2021")


@pytest.mark.django_db
def test_the_demo_gives_no_password_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    out = StringIO()
    call_command("seed_demo", households_per_ward=2, stdout=out)
    assert "ansinh-demo-2021" not in out.getvalue()
    assert not User.objects.get(username="canbo.q5").has_usable_password()


@pytest.mark.django_db
def test_the_demo_refuses_its_logins_outside_development_without_the_second_switch(settings):
    settings.DEBUG, settings.DEMO_ALLOWED = False, False
    with pytest.raises(CommandError, match="DEMO_ALLOW_PRODUCTION=1"):
        call_command("seed_demo", demo_logins=True, households_per_ward=2, stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_outside_development_gives_the_superuser_a_random_password_printed_once(settings):
    settings.DEBUG, settings.DEMO_ALLOWED, settings.DEMO_MODE = False, True, True
    out = StringIO()
    call_command("seed_demo", households_per_ward=2, stdout=out)
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and not admin.check_password("ansinh-demo-2021")
    printed = re.search(r"Mật khẩu riêng của quantri \(chỉ hiện một lần\): (\S+)", out.getvalue()).group(1)
    assert admin.check_password(printed)
    assert User.objects.get(username="canbo.q5").check_password("ansinh-demo-2021")


@pytest.mark.django_db
def test_the_demo_in_development_gives_the_superuser_the_published_password(settings):
    settings.DEBUG, settings.DEMO_MODE = True, True
    out = StringIO()
    call_command("seed_demo", households_per_ward=2, stdout=out)
    assert User.objects.get(username="quantri").check_password("ansinh-demo-2021")
    assert "Mật khẩu riêng" not in out.getvalue()


@pytest.mark.django_db
def test_the_login_page_speaks_vietnamese_by_default(client):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    assert "Tên đăng nhập" in response.text
    assert 'lang="vi"' in response.text


@pytest.mark.django_db
def test_english_is_available_through_the_language_switch(client):
    from pathlib import Path

    from django.conf import settings

    if not (Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.mo").exists():
        pytest.skip("The English catalogue is not compiled: install gettext and run `make test`.")
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    response = client.get("/dang-nhap/")
    assert "Username" in response.text
    assert "Tên đăng nhập" not in response.text


@pytest.mark.django_db
def test_a_missing_page_says_so_in_vietnamese(client, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_vietnamese_until_the_person_chooses(client):
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Tên đăng nhập" in response.text
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_the_demo_adds_a_ward_of_today_running_its_own_campaign_over_its_khu_pho_under_its_city(settings):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("seed_demo", households_per_ward=8, stdout=out)
    campaign = Campaign.objects.select_related("district__parent").get(code="PM-2025")
    ward_unit = campaign.district
    assert (ward_unit.name, ward_unit.level, ward_unit.parent.name, ward_unit.parent.level) == (
        "Phường Mẫu",
        "ward",
        "Thành phố Hồ Chí Minh",
        "city",
    )
    khu_pho = list(ward_unit.wards.order_by("code").values_list("name", "level"))
    assert khu_pho == [(f"Khu phố {n}", "khu_pho") for n in range(1, 7)]
    assert Donation.objects.filter(campaign=campaign).net_cash() > 0
    assert Bag.objects.filter(campaign=campaign, ward__district=ward_unit).exists()
    assert campaign.distributions.filter(ward__name="Khu phố 1").exists()
    leader = User.objects.get(username="lanhdao.tphcm")
    assert campaign in Campaign.objects.visible_to(leader)
    printed = out.getvalue()
    for login in ("canbo.phuongmau", "khupho1.phuongmau", "khupho2.phuongmau", "lanhdao.phuongmau", "lanhdao.tphcm"):
        assert login in printed
        assert User.objects.get(username=login).check_password("ansinh-demo-2021")
    assert "Cán bộ khu phố" in printed and "Lãnh đạo thành phố" in printed
    assert ledger_problems() == []
