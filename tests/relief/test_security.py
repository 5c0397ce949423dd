"""Logins that resist guessing, and production settings that Django's own deployment check accepts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def try_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_one(client, officer_a):
    for _ in range(4):
        assert try_login(client, officer_a.username, "doan-sai").status_code == 200
    assert try_login(client, officer_a.username, "doan-sai").status_code == 429
    locked = try_login(client, officer_a.username, PASSWORD)
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.text
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_username_leaves_other_people_free(client, officer_a, officer_b):
    for _ in range(5):
        try_login(client, officer_a.username, "doan-sai")
    response = try_login(client, officer_b.username, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == officer_b.pk


def test_a_right_password_after_a_few_mistakes_logs_in_and_clears_the_count(client, officer_a):
    for _ in range(3):
        try_login(client, officer_a.username, "doan-sai")
    assert try_login(client, officer_a.username, PASSWORD).status_code == 302


def test_every_response_carries_a_content_security_policy_without_inline_scripts(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_pages_cannot_be_framed(client):
    assert client.get(reverse("login")).headers["X-Frame-Options"] == "DENY"


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DEBUG="0", ALLOWED_HOSTS="ansinh.example.gov.vn", **extra)
    return env


def test_the_production_settings_pass_djangos_deployment_check_without_a_warning():
    key = "k3y-" + "x7Qp9-Lm2_vR8tZ4wYb6Nc1Hd5Jf0Gs3Ke" * 2
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(SECRET_KEY=key), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_demo_mode_without_the_second_switch():
    key = "k3y-" + "x7Qp9-Lm2_vR8tZ4wYb6Nc1Hd5Jf0Gs3Ke" * 2
    refused = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=production_env(SECRET_KEY=key, DEMO_MODE="1"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "DEMO_ALLOW_PRODUCTION=1" in refused.stderr
    allowed = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=production_env(SECRET_KEY=key, DEMO_MODE="1", DEMO_ALLOW_PRODUCTION="1"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr
