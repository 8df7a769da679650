"""Median time of the search results page, for a few kinds of query, on the database named
by DATABASE_URL: the site's own flatness check for search (compare 1,000 and 100,000
articles). Requests go through Django's test Client in this process, with the page cache
off, so each one runs the view and its queries. Not part of the test suite.

    DATABASE_URL=postgres://… python tests/tools/search_bench.py [--requests 30]

Given database URLs, it measures each in turn, in a process of its own, for --rounds
rounds, so that all of them share the machine's changing pace; it prints the median of
each, and how much slower than the first database each other one is (target ≤ 1.5×):

    python tests/tools/search_bench.py --rounds 5 postgres://…/bench_1000 postgres://…/bench_100000
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

# A word in nearly every seeded article, a word in about one in a hundred, and a phrase.
QUERIES = {
    "common word": "space",
    "rare word": "zimbabwe",
    "phrase": '"space station"',
    "page 5": "space",
}
PAGES = {"page 5": 5}
COUNT = re.compile(r'class="search-count">([^<]*?) for ')
FLATNESS = 1.5


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database to measure (see the module docstring).")
    # Every request must reach the view: a cached page would measure the cache.
    os.environ["NEWSROOM_PAGE_CACHE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(PROJECT))
    import django
    from django.core.management import call_command

    django.setup()
    # DEBUG is off, as in production, so pages link the hashed files of the manifest.
    call_command("collectstatic", "--noinput", verbosity=0)


def median_ms(client, params, requests):
    client.get("/search/", params)  # the first request warms caches and connections
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get("/search/", params)
        timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            sys.exit(f"/search/ with {params} answered {response.status_code}.")
    return statistics.median(timings) * 1000, response


def measure(requests):
    """{query name: (median ms, the count the page shows)} on DATABASE_URL."""
    setup_django()
    from django.test import Client

    client = Client()
    found = {}
    for name, query in QUERIES.items():
        params = {"q": query, **({"page": PAGES[name]} if name in PAGES else {})}
        median, response = median_ms(client, params, requests)
        count = COUNT.search(response.content.decode())
        found[name] = (median, count and count.group(1))
    return found


def articles():
    from articles.models import Article

    return Article.objects.published().count()


def compare(urls, requests, rounds):
    """Each database measured once a round, in turn; the median of its rounds."""
    runs = {url: [] for url in urls}
    sizes = {}
    for number in range(rounds):
        print(f"… round {number + 1} of {rounds}", file=sys.stderr, flush=True)
        for url in urls:
            result = subprocess.run(
                [sys.executable, __file__, "--requests", str(requests), "--json"],
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=True,
                timeout=600,
            )
            found = json.loads(result.stdout.strip().splitlines()[-1])
            sizes[url] = found.pop("articles")
            runs[url].append(found)
    first = urls[0]
    medians = {
        url: {name: statistics.median(run[name][0] for run in found) for name in QUERIES}
        for url, found in runs.items()
    }
    misses = []
    for url in urls:
        print(f"\n{sizes[url]:,} published articles ({url.rsplit('/', 1)[-1]})")
        for name, query in QUERIES.items():
            median = medians[url][name]
            line = f"{name:12} {query!r:18} {median:8.1f} ms  ({runs[url][-1][name][1]})"
            if url != first:
                slowdown = median / medians[first][name]
                line += f"  {slowdown:.2f}× the first"
                if slowdown > FLATNESS:
                    misses.append(f"{name}: {slowdown:.2f}× at {sizes[url]:,}")
            print(line)
    if len(urls) > 1:
        print("\nBelow target:\n  " + "\n  ".join(misses) if misses else "\nAll flat.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", help="Databases to compare, the first as the base.")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.urls:
        return compare(args.urls, args.requests, args.rounds)
    found = measure(args.requests)
    if args.json:
        print(json.dumps({**found, "articles": articles()}))
        return
    print(f"{articles():,} published articles")
    for name, query in QUERIES.items():
        median, count = found[name]
        print(f"{name:12} {query!r:18} {median:8.1f} ms  ({count})")


if __name__ == "__main__":
    main()
