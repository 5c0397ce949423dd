"""The cluster drills (cluster/drills.py) run against the cluster of `make cluster`, and are skipped without it,
except where REQUIRE_CLUSTER=1 (`.ci/run`), where they fail instead.

Each drill runs in a process of its own with the cluster's environment (.cluster/env), not this test process's
database: the app servers, PgBouncer and both PostgreSQL servers are the ones under test. Its figures are printed
and kept in .cluster/results/. CLUSTER_SECONDS sets each load's length (20 s by default: the machine is shared).
"""

import json
import os
import socket
import subprocess
import sys

import pytest

from cluster.drills import DIR, ROOT, balancer_port, cluster_env

SECONDS = os.environ.get("CLUSTER_SECONDS", "20")


def _cluster_is_up():
    if not (DIR / "env").exists():
        return False
    try:
        socket.create_connection(("127.0.0.1", balancer_port(cluster_env())), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def drill():
    if not _cluster_is_up():
        if os.environ.get("REQUIRE_CLUSTER") == "1":
            pytest.fail("The cluster is not running, and REQUIRE_CLUSTER=1 asks for its drills: `make cluster`.")
        pytest.skip("The cluster is not running: `make cluster` starts it.")

    def run(name):
        finished = subprocess.run(
            [sys.executable, "-m", "cluster.drills", name, SECONDS], cwd=ROOT, capture_output=True, text=True
        )
        assert finished.returncode == 0, finished.stderr[-3000:]
        figures = json.loads(finished.stdout)
        (DIR / "results").mkdir(exist_ok=True)
        (DIR / "results" / f"{name}.json").write_text(finished.stdout)
        print(finished.stdout)
        return figures

    return run
