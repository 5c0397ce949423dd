"""Two-factor sign-in: who must pass a code after the password, enrolment, recovery codes, lockout and reset."""

import time

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relief import two_factor
from relief.middleware import TwoFactorMiddleware
from tests.conftest import PASSWORD, client_for
from tests.trust.test_authorization_matrix import PAGES as PAGES_OF_THE_PROJECT

pytestmark = pytest.mark.django_db

PAGES = ["home", "account", "district:home", "money:donation_list", "leaders:dashboard", "admin:index"]


def password_login(user):
    """A browser past the password step of the login page, as a person is (the lockout check included)."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_of(device, *, steps_later=0):
    """The code the person's app shows now (or ``steps_later`` periods of 30 seconds on, which the server still
    accepts once the code of now has been used: a code works once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_later * device.step
    return f"{totp.token():0{device.digits}d}"


def app_device(user):
    return TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE_NAME, confirmed=True)


def recovery_codes(user, *codes):
    device = StaticDevice.objects.create(user=user, name=two_factor.RECOVERY_DEVICE_NAME, confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


def verify(client, code):
    return client.post(reverse("two_factor_verify"), {"code": code})


def reaches(client, name):
    return client.get(reverse(name)).status_code not in {302, 403, 404}


@pytest.fixture(params=["staff", "administrator"])
def must_user(request):
    """Each role that must use two-factor sign-in."""
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["officer_a", "leader"])
def may_user(request):
    """Each role that may use it."""
    return request.getfixturevalue(request.param)


def test_staff_without_a_device_are_sent_to_enrolment_from_every_page_admin_included(must_user):
    client = password_login(must_user)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("two_factor_enrol")), name


def test_a_session_that_owes_its_code_reaches_no_page_of_the_project_but_the_code_and_log_out(must_user):
    app_device(must_user)
    client = password_login(must_user)
    open_pages = {reverse(name) for name in TwoFactorMiddleware.OPEN}
    for name in PAGES_OF_THE_PROJECT:
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page of one record; the middleware answers before the URL is even resolved
            continue
        if url not in open_pages:
            response = client.get(url)
            assert (response.status_code, response.url.split("?")[0]) == (302, reverse("two_factor_verify")), name


def test_staff_enrol_with_the_qr_code_and_get_ten_recovery_codes_once(must_user):
    client = password_login(must_user)
    page = client.get(reverse("two_factor_enrol"))
    assert "<svg" in page.text
    assert "phải bật xác thực hai bước" in page.text
    assert page["Cache-Control"].count("no-store") == 1
    device = TOTPDevice.objects.get(user=must_user, confirmed=False)
    assert page.context["key"].replace(" ", "") in device.config_url

    answer = client.post(reverse("two_factor_enrol"), {"code": code_of(device)})
    codes = answer.context["codes"]
    assert len(codes) == two_factor.RECOVERY_CODES == len(set(codes))
    assert all(code in answer.text for code in codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert reaches(client, "account")
    again = client.get(reverse("two_factor_enrol"))
    assert "Đã bật" in again.text
    assert not any(code in again.text for code in codes)


def test_a_wrong_enrolment_code_is_refused_and_confirms_nothing(must_user):
    client = password_login(must_user)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=must_user)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    answer = client.post(reverse("two_factor_enrol"), {"code": wrong})
    assert answer.status_code == 200
    assert "Mã không đúng" in answer.text
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not StaticDevice.objects.filter(user=must_user).exists()
    assert not reaches(client, "account")


def test_a_right_enrolment_code_just_after_a_wrong_one_waits_for_the_throttle(must_user):
    client = password_login(must_user)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=must_user)
    right = code_of(device)
    client.post(reverse("two_factor_enrol"), {"code": f"{(int(right) + 500_000) % 1_000_000:06d}"})
    answer = client.post(reverse("two_factor_enrol"), {"code": right})
    assert "Hãy chờ" in answer.text
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_staff_with_a_device_pass_the_code_and_land_where_they_were_going(must_user):
    device = app_device(must_user)
    client = password_login(must_user)
    response = client.get(reverse("account"))
    assert response.url == f"{reverse('two_factor_verify')}?next={reverse('account')}"
    answer = client.post(response.url, {"code": code_of(device), "next": reverse("account")})
    assert answer.status_code == 302
    assert answer.url == reverse("account")
    assert all(reaches(client, name) for name in ["account", "district:home", "admin:index"])


@pytest.mark.parametrize("code", ["000000", "12345", "abc", "", "1" * 30, "xin chào"])
def test_a_wrong_or_malformed_code_is_refused_in_vietnamese_and_opens_nothing(must_user, code):
    device = app_device(must_user)
    if code == "000000" and code_of(device) == code:
        code = "000001"
    client = password_login(must_user)
    answer = verify(client, code)
    assert answer.status_code == 200
    assert 'role="alert"' in answer.text
    assert any(word in answer.text for word in ["Mã không đúng", "Nhập 6 chữ số", "Nhập mã xác thực", "Hãy chờ"])
    assert not reaches(client, "account")


def test_a_recovery_code_works_once(must_user):
    app_device(must_user)
    recovery_codes(must_user, "abcd2345", "efgh6723")
    first = password_login(must_user)
    assert verify(first, "ABCD-2345").status_code == 302
    assert reaches(first, "account")

    second = password_login(must_user)
    answer = verify(second, "abcd2345")
    assert answer.status_code == 200
    assert "Mã không đúng" in answer.text
    assert not reaches(second, "account")
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(must_user, settings):
    device = app_device(must_user)
    client = password_login(must_user)
    wrong = f"{(int(code_of(device)) + 500_000) % 1_000_000:06d}"
    answers = [verify(client, wrong) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [answer.status_code for answer in answers[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1].status_code == 429
    assert "tạm khóa" in answers[-1].text.lower() or "khóa" in answers[-1].text
    assert client.get(reverse("account")).url.startswith(reverse("login"))  # the session has ended
    refused = Client().post(reverse("login"), {"username": must_user.username, "password": PASSWORD})
    assert refused.status_code == 429


def test_a_right_code_just_after_a_wrong_one_waits_for_the_throttle(must_user):
    device = app_device(must_user)
    client = password_login(must_user)
    right = code_of(device)
    verify(client, f"{(int(right) + 500_000) % 1_000_000:06d}")
    answer = verify(client, right)
    assert "Hãy chờ" in answer.text
    assert not reaches(client, "account")


def test_officers_and_leaders_without_a_device_log_straight_in(may_user):
    client = password_login(may_user)
    assert reaches(client, "account")
    assert client.get(reverse("two_factor_verify")).status_code == 302
    page = client.get(reverse("two_factor_enrol"))
    assert "Không bắt buộc" in page.text


def test_an_officer_or_leader_who_turned_it_on_passes_the_code_at_the_next_login(may_user):
    client = password_login(may_user)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=may_user)
    assert len(client.post(reverse("two_factor_enrol"), {"code": code_of(device)}).context["codes"]) == 10

    later = password_login(may_user)
    assert not reaches(later, "account")
    assert verify(later, code_of(device, steps_later=1)).status_code == 302
    assert reaches(later, "account")


def test_a_code_of_another_persons_app_is_refused(staff, administrator):
    app_device(staff)
    other = app_device(administrator)
    client = password_login(staff)
    assert verify(client, code_of(other)).status_code == 200
    assert not reaches(client, "account")


def test_an_administrator_resets_a_lost_device_and_the_history_says_who_and_when(administrator, staff):
    device = app_device(staff)
    recovery_codes(staff, "abcd2345")
    staff_browser = client_for(staff)
    admin = client_for(administrator)
    response = admin.post(
        reverse("admin:relief_user_changelist"), {"action": "reset_two_factor", "_selected_action": [staff.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    removed = TOTPDevice.history.get(id=device.pk, history_type="-")
    assert removed.history_user == administrator
    assert "key" not in {field.name for field in TOTPDevice.history.model._meta.fields}
    assert LogEntry.objects.get(object_id=str(staff.pk)).change_message.startswith("Đặt lại xác thực hai bước")
    assert not reaches(staff_browser, "account")  # the lost phone's session has ended
    assert password_login(staff).get(reverse("account")).url.startswith(reverse("two_factor_enrol"))


@pytest.mark.parametrize("persona", ["staff", "officer_a", "leader"])
def test_only_an_administrator_may_reset_a_device(request, persona, officer_b):
    device = app_device(officer_b)
    client = client_for(request.getfixturevalue(persona))
    response = client.post(
        reverse("admin:relief_user_changelist"), {"action": "reset_two_factor", "_selected_action": [officer_b.pk]}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@override_settings(DEMO_MODE=True)
def test_in_demo_mode_staff_without_a_device_log_in_with_the_password_and_the_login_page_says_so(must_user):
    assert "không bắt buộc xác thực hai bước" in Client().get(reverse("login")).text
    assert reaches(password_login(must_user), "district:home")


@override_settings(DEMO_MODE=True)
def test_in_demo_mode_a_person_with_a_device_still_passes_the_code(must_user):
    app_device(must_user)
    assert not reaches(password_login(must_user), "account")


def test_the_login_and_enrolment_pages_name_roles_without_a_level_for_they_know_no_unit(staff, officer_a):
    with override_settings(DEMO_MODE=True):
        login_page = Client().get(reverse("login")).text
    assert "Bản trình diễn: cán bộ đơn vị tổ chức và quản trị đăng nhập" in login_page
    must = password_login(staff).get(reverse("two_factor_enrol")).text
    assert "hồ sơ của nhiều đơn vị, nên phải bật" in must
    may = client_for(officer_a).get(reverse("two_factor_enrol")).text
    assert "Không bắt buộc với tài khoản của bạn, nhưng nên bật" in may
    assert "cán bộ quận" not in login_page and "nhiều phường" not in must and "cán bộ phường" not in may


def test_outside_demo_mode_the_login_page_does_not_speak_of_skipping_it(db):
    assert "không bắt buộc" not in Client().get(reverse("login")).text


def test_a_session_that_has_not_passed_the_code_may_still_log_out_and_switch_language(must_user):
    app_device(must_user)
    client = password_login(must_user)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("account")).url.startswith(reverse("login"))


def test_the_next_address_after_the_code_never_leaves_the_site(must_user):
    device = app_device(must_user)
    client = password_login(must_user)
    answer = client.post(reverse("two_factor_verify"), {"code": code_of(device), "next": "https://evil.example/"})
    assert answer.url == reverse("home")
