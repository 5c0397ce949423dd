import pytest
from django.urls import reverse

from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("officer_a_client", "ward:home"),
        ("staff_client", "district:home"),
        ("admin_client_", "district:home"),
        ("leader_client", "leaders:dashboard"),
    ],
)
def test_each_role_lands_on_its_own_pages(request, persona, landing):
    response = request.getfixturevalue(persona).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(landing)


def test_a_user_without_a_role_is_told_whom_to_ask(db):
    response = client_for(make_user("moi")).get(reverse("home"))
    assert response.status_code == 200
    assert "chưa được giao vai trò" in response.text


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_home_page_answers_only_get(officer_a_client):
    assert officer_a_client.post(reverse("home")).status_code == 405
