"""CCCD and phone numbers typed into a search stay out of the logs: gunicorn's access log and Django's loggers."""

import datetime
import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from relief.log_privacy import mask_long_numbers

ROOT = Path(__file__).resolve().parents[2]
CCCD, PHONE = "079203001234", "0912345678"


def gunicorn_access_format():
    """The access log format of a gunicorn started from the repository, as it reads its configuration."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "--print-config", "relief.wsgi"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("access_log_format"))
    return line.split("=", 1)[1].strip()


def test_gunicorns_access_log_leaves_the_query_string_and_the_referer_out():
    config = Config()
    config.set("access_log_format", gunicorn_access_format())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/phuong/ho/?q={CCCD}",
        "PATH_INFO": "/phuong/ho/",
        "QUERY_STRING": f"q={CCCD}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://ansinh.example.gov.vn/phuong/phat-nhanh/?q={PHONE}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[])
    logger = Logger(config)
    atoms = logger.atoms_wrapper_class(logger.atoms(response, request, environ, datetime.timedelta(milliseconds=8)))
    line = config.access_log_format % atoms
    assert '"GET /phuong/ho/ HTTP/1.1" 200 512' in line
    assert CCCD not in line and PHONE not in line


@pytest.mark.django_db
def test_a_cccd_in_a_missing_pages_address_is_masked_in_djangos_request_log(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/khong-co/{CCCD}/").status_code == 404
    assert "Not Found: /khong-co/************/" in caplog.text
    assert CCCD not in caplog.text


def test_numbers_in_the_development_servers_request_lines_are_masked(caplog):
    server = logging.getLogger("django.server")
    server.addHandler(caplog.handler)
    try:
        server.info('"%s" %s %s', f"GET /phuong/phat-nhanh/?q={PHONE}&after=1204 HTTP/1.1", "200", "5120")
    finally:
        server.removeHandler(caplog.handler)
    assert '"GET /phuong/phat-nhanh/?q=**********&after=1204 HTTP/1.1" 200 5120' in caplog.text
    assert PHONE not in caplog.text


def test_runs_of_nine_digits_or_more_are_masked_and_shorter_numbers_kept():
    assert mask_long_numbers(f"q={CCCD} cmnd=025123456 phone={PHONE} page=12345678") == (
        "q=************ cmnd=********* phone=********** page=12345678"
    )
