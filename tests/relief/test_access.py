"""The role decorators of ``relief.access``: each lets its audience in, refuses other roles (403), and sends an
anonymous visitor to the login page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from relief.access import officer_required, reader_required, staff_required

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(staff, officer_a, leader, administrator):
    return {"staff": staff, "officer": officer_a, "leader": leader, "admin": administrator}


def answer(decorator, user):
    """What the decorated view answers ``user``: its status, or "403" when it refuses."""
    request = RequestFactory().get("/trang/")
    request.user = user
    try:
        return decorator(lambda request: HttpResponse("ok"))(request).status_code
    except PermissionDenied:
        return 403


@pytest.mark.parametrize(
    ("decorator", "allowed"),
    [
        (staff_required, {"staff", "admin"}),
        (officer_required, {"officer"}),
        (reader_required, {"staff", "admin", "leader"}),
    ],
    ids=["staff_required", "officer_required", "reader_required"],
)
def test_each_role_decorator_lets_its_audience_in_and_refuses_every_other_role(people, decorator, allowed):
    answers = {who: answer(decorator, user) for who, user in people.items()}
    assert answers == {who: 200 if who in allowed else 403 for who in people}


@pytest.mark.parametrize("decorator", [staff_required, officer_required, reader_required])
def test_an_anonymous_visitor_is_sent_to_log_in_by_every_role_decorator(decorator):
    assert answer(decorator, AnonymousUser()) == 302
