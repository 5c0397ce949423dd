"""``make bench``: the figures of docs/PERFORMANCE.md on the synthetic city, each beside its baseline, a line each.

The run works on a copy of the city database (``CREATE DATABASE … TEMPLATE``), because the hand-outs under load
write; the copy is dropped at the end, so the city stays as ``generate_city`` made it. Results go to
``bench/out/results.json`` with the machine they were measured on.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
CITY_URL = "postgres://postgres@127.0.0.1:5432/ansinh_city"
FIGURES = ["dashboard", "busy", "search", "handouts", "import", "queries", "scan", "slowline"]

# Per kind of figure: (whether a figure meets the goal, the goal in words).
GOALS = {
    "dashboard": (lambda f: f["p95_ms"] <= 150 and f["ratio_p95"] <= 3, "p95 ≤ 150 ms and ratio ≤ 3"),
    "busy": (
        lambda f: f["p95_ms"] <= 150 and f["ratio_p95"] <= 3 and f["load_to_the_end"] and not f["hand_outs_refused"],
        "p95 ≤ 150 ms and ratio ≤ 3, hand-outs to the end, none refused",
    ),
    "search": (lambda f: f["p95_ms"] <= 50, "p95 ≤ 50 ms"),
    "handouts": (
        lambda f: f["ratio_throughput"] >= 0.5 and not _broken(f["invariants"]),
        "throughput ≥ 0.5 x baseline, invariants hold",
    ),
    "import": (
        lambda f: f["ratio_to_raw_copy"] >= 0.25 and f["ratio"] >= 10 and f["peak_mb"] <= 500,
        "≥ 0.25 x a raw COPY, ≥ 10 x plain, ≤ 500 MB",
    ),
    "queries": (lambda f: f["city"] == f["demo"], "same count as on the demo"),
    "decode": (lambda f: f["p95_ms"] <= 300, "p95 ≤ 300 ms"),
    "scan_hand_out": (lambda f: f["scanned"]["p95_ms"] <= 500, "scanned p95 ≤ 500 ms"),
    # The ward officer's quick hand-out page on a slow 3G line in Chromium (bench/slow_line.py).
    "slow_first_visit": (lambda f: f["kb"] <= 60, "≤ 60 KB on the wire"),
    "slow_repeat_visit": (lambda f: f["kb"] <= 60, "≤ 60 KB on the wire"),
    "slow_search_answer": (lambda f: f["p95_ms"] <= 1000, "p95 ≤ 1 s"),
    "slow_hand_out_answer": (lambda f: f["p95_ms"] <= 600, "p95 ≤ 0.6 s"),
}


def _broken(invariants):
    return any(value for key, value in invariants.items() if key != "hand_outs_recorded")


def _admin_connection(url):
    """A connection to the server's maintenance database, to create and drop databases."""
    config = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"], password=config["PASSWORD"]
    )
    conn.autocommit = True
    return conn, config["NAME"]


def copy_city(url):
    """A fresh copy of the city for this run; FILE_COPY copies the files instead of writing 2 GB of WAL."""
    conn, name = _admin_connection(url)
    copy = f"{name}_bench_run"
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}" STRATEGY FILE_COPY')
    conn.close()
    return url.rsplit("/", 1)[0] + f"/{copy}", copy


def drop_database(url, name):
    conn, _ = _admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def demo_database(url):
    """The demo data set on PostgreSQL (made once per city database, migrated on every run so it follows the code):
    the small side of the query-count comparison."""
    conn, name = _admin_connection(url)
    demo = f"{name}_demo"
    demo_url = url.rsplit("/", 1)[0] + f"/{demo}"
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [demo])
        exists = cursor.fetchone()
        if not exists:
            cursor.execute(f'CREATE DATABASE "{demo}"')
    conn.close()
    env = {**os.environ, "DATABASE_URL": demo_url, "DEMO_MODE": "1", "DJANGO_SETTINGS_MODULE": "relief.settings"}
    commands = [["migrate", "--noinput", "-v", "0"]] + ([] if exists else [["seed_demo"]])
    for command in commands:
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return demo_url


def machine():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")  # PostgreSQL's own cache: the hand-outs' writes depend on it
        shared_buffers = cursor.fetchone()[0]
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "postgresql": server,
        "shared_buffers": shared_buffers,
        "python": platform.python_version(),
        "commit": commit.stdout.strip(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def line(name, figure, goal):
    """One printed line: the figure, its baseline, the ratio and whether the goal is met."""
    met, words = goal
    verdict = "met" if met(figure) else "NOT MET"
    if "median_ms" in figure and "baseline" in figure and "ratio_p95" in figure:
        base = figure["baseline"]
        text = (
            f"median {figure['median_ms']:.1f} ms, p95 {figure['p95_ms']:.1f} ms | baseline median "
            f"{base['median_ms']:.1f} ms, p95 {base['p95_ms']:.1f} ms | ratio p95 {figure['ratio_p95']:.1f}"
        )
        if "signed_in_baseline" in figure:
            text += (
                f" | signed-in bare page p95 {figure['signed_in_baseline']['p95_ms']:.1f} ms,"
                f" ratio {figure['ratio_p95_to_signed_in']:.1f}"
            )
        if "ward_matches" in figure:
            text += f" | {figure['ward_matches']} of the ward's households match {figure['q']!r}"
        if "hand_outs_per_second" in figure:
            text += (
                f" | during {figure['hand_outs_per_second']:.0f} hand-outs/s in {figure['campaign']}"
                f" ({figure['hand_out_errors']} errors, {figure['hand_outs_refused']} refused, load to the end:"
                f" {'yes' if figure['load_to_the_end'] else 'NO'}), charts' figures at most"
                f" {figure['oldest_chart_figures_seconds']} s old"
            )
    elif "ratio_throughput" in figure:
        base = figure["baseline"]
        rounds = ", ".join(f"{round_['ratio']:.2f}" for round_ in figure["rounds"])
        phases = ", ".join(f"{rate:.1f}" for rate in base["phases_per_second"])
        text = (
            f"{figure['per_second']:.1f} hand-outs/s, p95 {figure['p95_ms']:.0f} ms | baseline {base['per_second']:.1f}"
            f" inserts/s (phases {phases}), p95 {base['p95_ms']:.0f} ms | ratio {figure['ratio_throughput']:.2f},"
            f" the median of the rounds' {rounds} | {figure['invariants']}"
            f" | CPU in-process per request {figure['cpu_in_process']}"
        )
    elif "scanned" in figure:
        typed, scanned = figure["typed"], figure["scanned"]
        text = (
            f"scanned median {scanned['median_ms']:.1f} ms, p95 {scanned['p95_ms']:.1f} ms | typed median "
            f"{typed['median_ms']:.1f} ms, p95 {typed['p95_ms']:.1f} ms | ratio p95 {figure['ratio_p95']:.1f}"
        )
    elif "profile" in figure:
        size = f", {figure['kb']} KB" if "kb" in figure else ""
        text = f"median {figure['median_ms']:.0f} ms, p95 {figure['p95_ms']:.0f} ms{size} | {figure['profile']}"
    elif "median_ms" in figure:
        text = f"median {figure['median_ms']:.1f} ms, p95 {figure['p95_ms']:.1f} ms ({figure['bytes'] // 1024} KB)"
    elif "rows_per_second" in figure:
        text = (
            f"{figure['rows_per_second']:.0f} rows/s, peak {figure['peak_mb']:.0f} MB | plain import "
            f"{figure['baseline']['rows_per_second']:.0f} rows/s | ratio {figure['ratio']:.1f} | raw COPY "
            f"{figure['raw_copy']['rows_per_second']:.0f} rows/s | ratio to it {figure['ratio_to_raw_copy']:.2f}"
        )
    else:
        text = f"city {figure['city']} queries, demo {figure['demo']}"
    print(f"{name:<24} {text}  [goal {words}: {verdict}]", flush=True)


def measure(only, demo_url):
    from . import load, pages, querycount

    results = {}
    city_leader, district_leader, staff, officer = pages.personas()
    if "dashboard" in only:
        for name, figure in pages.dashboard_figures(city_leader, district_leader).items():
            results[name] = figure
            line(name, figure, GOALS["dashboard"])
    if "busy" in only:
        from . import busy

        for name, figure in busy.busy_dashboard_figures(city_leader, district_leader).items():
            results[name] = figure
            line(name, figure, GOALS["busy"])
    if "search" in only:
        for name, figure in pages.search_figures(officer, staff).items():
            results[name] = figure
            line(name, figure, GOALS["search"])
    if "queries" in only:
        city = querycount.page_counts()
        demo = json.loads(
            subprocess.run(
                [sys.executable, "-c", "import django; django.setup(); from bench.querycount import main; main()"],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": demo_url},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for page in city:
            figure = {"city": city[page], "demo": demo.get(page)}
            results[f"queries {page}"] = figure
            line(f"queries {page}", figure, GOALS["queries"])
    if "import" in only:
        from . import imports

        figure = imports.import_figures()
        results["import"] = figure
        line("import", figure, GOALS["import"])
    if "scan" in only:
        from . import scans

        for name, figure in scans.decode_figures().items():
            results[name] = figure
            line(name, figure, GOALS["decode"])
        results["scan_hand_out"] = figure = scans.hand_out_figures(officer)
        line("scan_hand_out", figure, GOALS["scan_hand_out"])
    if "slowline" in only:
        from . import slow_line

        for name, figure in slow_line.slow_line_figures(officer).items():
            results[name] = figure
            line(name, figure, GOALS[name])
    if "handouts" in only:
        figure = load.hand_out_figures()
        results["handouts"] = figure
        line("handouts", figure, GOALS["handouts"])
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FIGURES), help=f"comma-separated, of {', '.join(FIGURES)}")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "results.json"))
    args = parser.parse_args()
    only = set(args.only.split(","))
    city_url = os.environ.get("DATABASE_URL") or CITY_URL
    demo_url = demo_database(city_url) if "queries" in only else None
    started = time.perf_counter()
    run_url, run_name = copy_city(city_url)
    print(f"copied the city for this run in {time.perf_counter() - started:.0f} s", flush=True)
    os.environ["DATABASE_URL"] = run_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise SystemExit("The city database lacks migrations: run manage.py migrate on it first.")
        about = machine()
        print(", ".join(f"{key} {value}" for key, value in about.items()), flush=True)
        results = {"machine": about, "figures": measure(only, demo_url)}
        connection.close()
    finally:
        drop_database(city_url, run_name)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
