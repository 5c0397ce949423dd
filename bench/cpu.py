"""What one hand-out and one baseline insert cost in CPU, in-process: steadier than throughput on a noisy machine.

Each hand-out is posted through Django's test client to the real view and followed by a post to the baseline view,
both through the full middleware stack, alternately, so a machine that speeds up or slows down moves both. Python's
CPU is this process's; PostgreSQL's is the backend serving this connection, read from ``/proc`` (the bench runs
PostgreSQL on the same machine; elsewhere those two figures are left out).
"""

import os
import time
from pathlib import Path

from django.db import connection
from django.test import Client
from django.urls import reverse

REQUESTS = 200


def _backend_cpu(pid):
    """Seconds of CPU the PostgreSQL backend ``pid`` has used, or None if its ``/proc`` entry is not readable."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_request(clients):
    """``{"hand_out_ms", "baseline_ms", "ratio", "postgres_hand_out_ms", "postgres_baseline_ms", "n"}`` over the
    posts of ``clients`` (``bench.load.plan_hand_outs``), at most ``REQUESTS`` of each kind."""
    client = Client(HTTP_HX_REQUEST="true")
    baseline_url = reverse("bench_insert")
    posts = [(cookie, csrf, post) for cookie, csrf, posts in clients for post in posts][:REQUESTS]
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    spent = {"hand_out": 0.0, "baseline": 0.0, "postgres_hand_out": 0.0, "postgres_baseline": 0.0}
    for cookie, csrf, (url, form) in posts:
        for pair in cookie.split("; "):
            name, _, value = pair.partition("=")
            client.cookies[name] = value
        for kind, target, data in (("hand_out", url, form), ("baseline", baseline_url, {"csrfmiddlewaretoken": csrf})):
            database, started = _backend_cpu(backend), time.process_time()
            response = client.post(target, data)
            spent[kind] += time.process_time() - started
            after = _backend_cpu(backend)
            if database is not None and after is not None:
                spent[f"postgres_{kind}"] += after - database
            if response.status_code != 200:
                raise RuntimeError(f"{kind} answered {response.status_code}")
    n = len(posts)
    figures = {f"{kind}_ms": round(1000 * seconds / n, 2) for kind, seconds in spent.items()}
    figures["ratio"] = round(spent["hand_out"] / spent["baseline"], 2)
    if _backend_cpu(backend) is None:
        figures = {key: value for key, value in figures.items() if not key.startswith("postgres")}
    return {**figures, "n": n}
