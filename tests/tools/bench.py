"""Requests per second of every public page type, served as production serves them.

Run by `make bench`. For each number of articles it builds a throwaway database (SQLite,
or PostgreSQL with --postgres), loads the demo and `seed_articles`, and serves the site
with gunicorn (DEBUG off, WhiteNoise) on 127.0.0.1: once with the page cache off, once on
(local memory), and once with Redis when redis-server is installed. Debian's `wrk` loads
each page for --seconds; beside them, in the same run, a bare Django view returning the
article page's bytes (the ceiling). It prints requests/s, the ratio to the ceiling, p50
and p99 latency, errors, SQL queries per request and bytes, and writes bench-results.json.
Given several sizes, it then times the search page alone on each size's database in turn
(tests/tools/search_bench.py), which says whether search stays flat.

    python tests/tools/bench.py --articles 1000,100000 [--postgres] [--seconds 10]
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from math import inf
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
RESULTS = PROJECT / "bench-results.json"
CONNECTIONS = 32
# Targets of the performance issue: ratios to the ceiling measured in the same run.
TARGETS = {"uncached": 0.20, "cached": 0.80, "cached-redis": 0.80}
FLATNESS = 1.5


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, timeout=1800, quiet=False):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def base_env(database_url):
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_INSECURE_COOKIES": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
    }


def build_database(env, articles):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", quiet=True)
    started = time.monotonic()
    # The demo's two articles count among them.
    manage(env, "seed_articles", "--count", str(max(0, articles - 2)))
    return time.monotonic() - started


# Measuring.

PROBE = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from articles.demo import seed
from articles.models import Article

host, ceiling_file = sys.argv[1], sys.argv[2]
article = Article.objects.get(slug__startswith="nasa-astronaut-mark-vande-hei")
category = seed.seeded_articles().values_list("category__slug", flat=True).first()
author = seed.seeded_articles().values_list("authors__slug", flat=True).first()
pages = {
    "home": "/",
    "article": article.get_absolute_url(),
    "category": f"/{category}/",
    "tag": "/tags/nasa/",
    "author": f"/authors/{author}/",
    "search": "/search/?q=glaciers",
    "feed": "/feeds/rss/",
}
client = Client(HTTP_HOST=host)
found = {}
for name, url in pages.items():
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    found[name] = {"url": url, "bytes": len(response.content), "queries": counts}
    if name == "article":
        open(ceiling_file, "wb").write(response.content)
print(json.dumps(found))
"""


def probe(env, host, ceiling_file):
    """Each page's URL, size and queries (first request, then again), from a test client."""
    result = subprocess.run(
        [PYTHON, "-c", PROBE, host, str(ceiling_file)],
        cwd=PROJECT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise SystemExit(f"Probing the pages failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url, seconds):
    """Requests/s, p50 and p99 latency (ms) and errors of `seconds` of load on `url`."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    out = result.stdout

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


class Server:
    """gunicorn on 127.0.0.1, as production runs it; stopped by its PID."""

    def __init__(self, env, port, workers):
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "newsroom.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=30",
                "--log-level=warning",
            ],
            cwd=PROJECT,
            env={**env, "DJANGO_SETTINGS_MODULE": "tests.tools.bench_settings"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/bench/ceiling/", timeout=2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("gunicorn exited at start-up.") from None
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start serving at {self.base} within 60 s.")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def load(server, pages, seconds, warmup):
    results = {}
    for name, page in pages.items():
        url = server.base + page["url"]
        wrk(url, warmup)
        results[name] = wrk(url, seconds)
    return results


def ceiling(server, seconds, warmup):
    wrk(server.base + "/bench/ceiling/", warmup)
    return wrk(server.base + "/bench/ceiling/", seconds)


def measure_size(args, database_url, articles, workdir, redis_url):
    env = base_env(database_url)
    seed_seconds = build_database(env, articles)
    port = free_port()
    ceiling_file = workdir / f"ceiling-{articles}.html"
    probes = {
        "uncached": probe({**env, "NEWSROOM_PAGE_CACHE": "0"}, f"127.0.0.1:{port}", ceiling_file),
        "cached": probe(env, f"127.0.0.1:{port}", ceiling_file),
    }
    env["NEWSROOM_BENCH_CEILING"] = str(ceiling_file)
    modes = {"uncached": {"NEWSROOM_PAGE_CACHE": "0"}, "cached": {}}
    if redis_url:
        modes["cached-redis"] = {"REDIS_URL": redis_url}
        probes["cached-redis"] = probe(
            {**env, "REDIS_URL": redis_url}, f"127.0.0.1:{port}", ceiling_file
        )
    run = {"articles": articles, "seed_seconds": round(seed_seconds, 1), "modes": {}}
    run["ceilings"] = {}
    # The ceiling has a server of its own, with no page cache to look pages up in, and is
    # measured just before and after each mode: the machine's pace drifts over a run.
    ceiling_env = {**env, "NEWSROOM_PAGE_CACHE": "0"}
    with Server(ceiling_env, free_port(), args.workers) as ceiling_server:
        for mode, extra in modes.items():
            print(f"… {articles:,} articles, {mode}", file=sys.stderr, flush=True)
            if "REDIS_URL" in extra:
                # Pages and the generation of the previous database must not be served.
                import redis

                redis.Redis.from_url(extra["REDIS_URL"]).flushall()
            before = ceiling(ceiling_server, args.seconds, args.warmup)
            with Server({**env, **extra}, port, args.workers) as server:
                pages = load(server, probes[mode], args.seconds, args.warmup)
            after = ceiling(ceiling_server, args.seconds, args.warmup)
            run["ceilings"][mode] = mode_ceiling = combine(before, after)
            mode_ceiling["bytes"] = ceiling_file.stat().st_size
            for name, figures in pages.items():
                figures["bytes"] = probes[mode][name]["bytes"]
                # The second request: the one a warm page cache answers.
                figures["queries"] = probes[mode][name]["queries"][0 if mode == "uncached" else 1]
                figures["url"] = probes[mode][name]["url"]
                figures["ratio"] = (
                    figures["requests_per_second"] / mode_ceiling["requests_per_second"]
                )
            run["modes"][mode] = pages
    return run


def combine(before, after):
    """The ceiling of a mode: the mean of its two measurements, both kept."""
    return {
        "requests_per_second": (before["requests_per_second"] + after["requests_per_second"]) / 2,
        "p50_ms": (before["p50_ms"] + after["p50_ms"]) / 2,
        "p99_ms": max(before["p99_ms"], after["p99_ms"]),
        "errors": before["errors"] + after["errors"],
        "non_2xx": before["non_2xx"] + after["non_2xx"],
        "before": before["requests_per_second"],
        "after": after["requests_per_second"],
    }


# Reporting.


def report(results):
    lines = []
    for run in results["runs"]:
        lines.append(
            f"\n{run['articles']:,} articles on {results['database']}, {results['workers']} "
            f"gunicorn workers, wrk -t2 -c{CONNECTIONS} -d{results['seconds']}s "
            f"(seeded in {run['seed_seconds']} s)"
        )
        lines.append(
            f"{'page':<10}{'mode':<14}{'req/s':>9}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'errors':>8}{'queries':>9}{'bytes':>9}"
        )
        for mode, pages in run["modes"].items():
            c = run["ceilings"][mode]
            lines.append(
                f"{'ceiling':<10}{'bare view':<14}{c['requests_per_second']:>9.0f}{1:>8.0%}"
                f"{c['p50_ms']:>9.2f}{c['p99_ms']:>9.2f}{c['errors'] + c['non_2xx']:>8}"
                f"{0:>9}{c['bytes']:>9}   (before {c['before']:.0f}, after {c['after']:.0f})"
            )
            for name, f in pages.items():
                lines.append(
                    f"{name:<10}{mode:<14}{f['requests_per_second']:>9.0f}{f['ratio']:>8.0%}"
                    f"{f['p50_ms']:>9.2f}{f['p99_ms']:>9.2f}{f['errors'] + f['non_2xx']:>8}"
                    f"{f['queries']:>9}{f['bytes']:>9}"
                )
    lines += verdicts(results)
    return "\n".join(lines)


def verdicts(results):
    misses = []
    for run in results["runs"]:
        for mode, pages in run["modes"].items():
            for name, f in pages.items():
                if f["ratio"] < TARGETS[mode]:
                    misses.append(
                        f"{run['articles']:,} {mode} {name}: {f['ratio']:.0%} < {TARGETS[mode]:.0%}"
                    )
                if f["errors"] or f["non_2xx"]:
                    misses.append(f"{run['articles']:,} {mode} {name}: errors")
    lines = []
    if len(results["runs"]) > 1:
        small, large = results["runs"][0], results["runs"][-1]
        lines.append(
            f"\nTime per request at {large['articles']:,} vs {small['articles']:,} articles "
            "(each as a share of its own run's ceiling; target ≤ 1.5×):"
        )
        for mode, pages in large["modes"].items():
            cells = []
            for name, f in pages.items():
                slowdown = small["modes"][mode][name]["ratio"] / f["ratio"] if f["ratio"] else inf
                cells.append(f"{name} {slowdown:.2f}×")
                if slowdown > FLATNESS:
                    misses.append(f"{mode} {name}: {slowdown:.2f}× slower at scale")
            lines.append(f"  {mode:<13}" + ", ".join(cells))
    lines.append("\nBelow target:\n  " + "\n  ".join(misses) if misses else "\nAll targets met.")
    return lines


# Services.


def start_redis(workdir):
    if not shutil.which("redis-server"):
        return None, None
    port = free_port()
    pidfile = workdir / "redis.pid"
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--dir",
            str(workdir),
            "--logfile",
            str(workdir / "redis.log"),
        ],
        check=True,
        timeout=30,
    )
    deadline = time.monotonic() + 10
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0", int(pidfile.read_text())


def stop(pid, seconds=10):
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def database_url(args, workdir, articles):
    if not args.postgres:
        return f"sqlite:///{workdir}/bench-{articles}.sqlite3"
    import psycopg

    server = os.environ["DATABASE_URL"]
    name = f"bench_{articles}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", default="1000", help="Comma-separated sizes, e.g. 1000,100000."
    )
    parser.add_argument("--postgres", action="store_true", help="A throwaway PostgreSQL server.")
    parser.add_argument("--seconds", type=int, default=10, help="Seconds of load per page.")
    parser.add_argument("--warmup", type=int, default=2, help="Seconds of warm-up per page.")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--no-redis", action="store_true", help="Skip the Redis page cache.")
    args = parser.parse_args()
    if args.postgres and "DATABASE_URL" not in os.environ:
        # Re-run inside a throwaway PostgreSQL server, which .ci/with-postgres stops.
        os.execv(
            PROJECT / ".ci" / "with-postgres", [".ci/with-postgres", sys.executable, *sys.argv]
        )
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: install it with `apt-get install wrk` (make bench does).")
    sizes = [int(size) for size in args.articles.split(",")]
    manage(base_env("sqlite://:memory:"), "collectstatic", "--noinput", "-v0")
    results = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "workers": args.workers,
        "seconds": args.seconds,
        "connections": CONNECTIONS,
        "cpus": os.cpu_count(),
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        redis_url, redis_pid = (None, None) if args.no_redis else start_redis(workdir)
        urls = []
        try:
            for articles in sizes:
                urls.append(database_url(args, workdir, articles))
                results["runs"].append(measure_size(args, urls[-1], articles, workdir, redis_url))
        finally:
            if redis_pid:
                stop(redis_pid)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print(report(results))
        print(f"\nFigures written to {RESULTS.relative_to(PROJECT)}.")
        if len(urls) > 1:
            search_flatness(urls)


def search_flatness(urls):
    """The search page alone, on each size's database in turn (tests/tools/search_bench.py)."""
    print("\nSearch page, in-process, each size in turn (page cache off):", flush=True)
    subprocess.run(
        [PYTHON, PROJECT / "tests" / "tools" / "search_bench.py", "--rounds", "3", *urls],
        cwd=PROJECT,
        env={**base_env(urls[0]), "DJANGO_ALLOWED_HOSTS": "testserver"},
        check=True,
        timeout=3600,
    )


if __name__ == "__main__":
    main()
