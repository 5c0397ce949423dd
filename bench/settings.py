"""Settings for the benchmark: the product's settings as production runs them, plus the bench-only baseline views.

Production means DEBUG off (no query log kept in memory, no debug pages), so the figures are what a district would
see. The baseline views live in ``bench.urls``; the product's URLs never include them.
"""

import os
import warnings

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-never-deployed")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from relief.settings import *  # noqa: F403
from relief.settings import INSTALLED_APPS, STORAGES

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# Plain HTTP on 127.0.0.1: cookies must travel without TLS, and static files need no collectstatic manifest.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A figure that times what a phone downloads (bench/slow_line.py) collects the static files as a deployment does,
# hashed names and compressed copies, into a folder of its own.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# WhiteNoise looks for collected static files, which only a deployment collects.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
