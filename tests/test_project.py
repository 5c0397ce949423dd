"""Guards for the project as a whole."""

from io import StringIO

import pytest
from django.core.management import call_command

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
