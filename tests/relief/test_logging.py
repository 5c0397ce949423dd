"""The log: each line of Django's written once, in development as in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG_ONE_LINE = (
    "import logging, django; django.setup(); logging.getLogger('django.request').warning('Not Found: /phuong/ho/999/')"
)


@pytest.mark.parametrize("debug", ["1", "0"])
def test_a_django_log_line_is_printed_once(debug):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relief.settings",
        "DEBUG": debug,
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "localhost",
    }
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE_LINE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /phuong/ho/999/") == 1, result.stderr
