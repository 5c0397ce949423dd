"""The chart drawings live in the cache every app server shares: Redis when REDIS_URL is set, each process's own
memory otherwise. The tests that need a real Redis run when REDIS_URL is set (`make redis`; .ci/run sets it for
its PostgreSQL run)."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from leaders import charts
from leaders.dashboard import HandOutBars

ROOT = Path(__file__).resolve().parents[2]
needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (make redis)")


def in_another_process(code, **env):
    """Run ``code`` after ``django.setup()`` in a new Python process, as another app server would; its last
    printed line, read as JSON."""
    environment = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "relief.settings", **env})
    done = subprocess.run(
        [sys.executable, "-c", f"import django, json; django.setup(); {code}"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_redis_url_each_process_keeps_its_drawings_in_its_own_memory():
    backend = in_another_process("from django.conf import settings; print(json.dumps(settings.CACHES))")
    assert backend["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_djangos_redis_backend_at_that_address():
    url = "redis://127.0.0.1:6390/3"
    backend = in_another_process("from django.conf import settings; print(json.dumps(settings.CACHES))", REDIS_URL=url)
    assert backend["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert backend["default"]["LOCATION"] == url


DRAW_ELSEWHERE = """
from leaders import charts
from leaders.dashboard import HandOutBars
import datetime
drawn = []
real = charts._draw
charts._draw = lambda build, label: drawn.append(label) or real(build, label)
bars = HandOutBars("day", [(datetime.date(2021, 8, 22), {n})])
chart = charts.drawings({{"handouts": lambda: bars}}, subject=("shared-cache-test", 1))["handouts"]
print(json.dumps({{"drawn": len(drawn), "read_at": chart.read_at.isoformat(), "svg": chart.svg}}))
"""


@needs_redis
def test_a_chart_drawn_by_one_app_server_is_shown_by_another_without_drawing_it_again():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    bars = HandOutBars("day", [(datetime.date(2021, 8, 22), 7)])
    here = charts.drawings({"handouts": lambda: bars}, subject=("shared-cache-test", 1))["handouts"]

    there = in_another_process(DRAW_ELSEWHERE.format(n=8), REDIS_URL=os.environ["REDIS_URL"])

    assert there["drawn"] == 0 and there["svg"] == here.svg
    assert there["read_at"] == here.read_at.isoformat()


@needs_redis
def test_another_app_server_draws_its_own_subject_itself():
    charts.drawings({"handouts": lambda: HandOutBars("day", [])}, subject=("shared-cache-test", 2))["handouts"]

    there = in_another_process(DRAW_ELSEWHERE.format(n=8), REDIS_URL=os.environ["REDIS_URL"])

    assert there["drawn"] == 1 and ">8<" in there["svg"]
