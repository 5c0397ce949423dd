"""Personas for the public pages: everyone, logged in or not, gets the same page."""

import pytest

PERSONAS = ["client", "leader_client", "staff_client", "officer_a_client", "admin_client_"]


@pytest.fixture(params=PERSONAS)
def anyone(request):
    return request.getfixturevalue(request.param)
