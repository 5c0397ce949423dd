"""The login lockout counts by the client's address: REMOTE_ADDR alone, or X-Forwarded-For as trusted proxies say."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from relief.proxies import client_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


def try_login(client, username, password, forwarded):
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_spoofed_forwarded_address_does_not_dodge_the_lockout(client, settings, officer_a):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        try_login(client, officer_a.username, "doan-sai", f"198.51.100.{n}")
    response = try_login(client, officer_a.username, PASSWORD, "198.51.100.77")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_behind_one_proxy_five_wrong_passwords_from_one_client_do_not_lock_out_another(client, settings, officer_a):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        try_login(client, officer_a.username, "doan-sai", "203.0.113.5")
    assert try_login(client, officer_a.username, PASSWORD, "203.0.113.5").status_code == 429
    response = try_login(client, officer_a.username, PASSWORD, "203.0.113.9")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == officer_a.pk


@pytest.mark.django_db
def test_behind_one_proxy_a_locked_client_cannot_escape_by_writing_its_own_forwarded_entry(client, settings, officer_a):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        try_login(client, officer_a.username, "doan-sai", "203.0.113.5")
    # The client wrote 192.0.2.1 itself; the proxy appended the address it really came from.
    assert try_login(client, officer_a.username, PASSWORD, "192.0.2.1, 203.0.113.5").status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", PROXY),
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
    ],
)
def test_the_client_address_is_read_as_far_as_the_trusted_proxies_reach(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_trusted_proxy_count_that_is_not_a_whole_number_stops_the_app():
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "-1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in result.stderr
