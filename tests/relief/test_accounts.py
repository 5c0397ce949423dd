"""A person's account page: change the password, and log out of every other device."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tui-an-sinh-2021-moi"


def logged_in(user):
    """A separate browser that logged in through the login page (as a person does, past the lockout check)."""
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def is_logged_in(client):
    return client.get(reverse("account")).status_code == 200


def test_the_account_page_offers_the_password_change_and_the_log_out_everywhere_button(officer_a_client):
    page = officer_a_client.get(reverse("account")).content.decode()
    assert reverse("password_change") in page
    assert reverse("log_out_everywhere") in page


def test_logging_out_everywhere_ends_every_other_session_and_keeps_this_one(officer_a):
    here, phone, laptop = logged_in(officer_a), logged_in(officer_a), logged_in(officer_a)
    response = here.post(reverse("log_out_everywhere"), follow=True)
    assert "Đã đăng xuất khỏi mọi thiết bị khác" in response.content.decode()
    assert is_logged_in(here)
    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)


def test_logging_out_everywhere_leaves_other_people_logged_in(officer_a, officer_b):
    mine, theirs = logged_in(officer_a), logged_in(officer_b)
    mine.post(reverse("log_out_everywhere"))
    assert is_logged_in(theirs)


def test_logging_out_everywhere_needs_a_post(officer_a_client):
    assert officer_a_client.get(reverse("log_out_everywhere")).status_code == 405


def test_logging_in_again_after_logging_out_everywhere_works(officer_a):
    logged_in(officer_a).post(reverse("log_out_everywhere"))
    assert is_logged_in(logged_in(officer_a))


def test_a_password_change_keeps_this_session_and_ends_the_others(officer_a):
    here, elsewhere = logged_in(officer_a), logged_in(officer_a)
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Đã đổi mật khẩu" in response.content.decode()
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("weak", ["12345678901", "canbo_p1123", "password123", "ngan"])
def test_a_weak_new_password_is_refused_with_a_reason(officer_a, officer_a_client, weak):
    response = officer_a_client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_a_wrong_old_password_changes_nothing(officer_a, officer_a_client):
    response = officer_a_client.post(
        reverse("password_change"),
        {"old_password": "khong-dung", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_strangers_are_sent_to_log_in(client):
    assert client.get(reverse("account")).status_code == 302
    assert client.get(reverse("password_change")).status_code == 302
