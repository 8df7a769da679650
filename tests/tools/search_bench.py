"""Median time of the search results page, for a few kinds of query, on the database named
by DATABASE_URL: the site's own flatness check for search (compare 1,000 and 100,000
articles). Requests go through Django's test Client in this process, with the page cache
off, so each one runs the view and its queries. Not part of the test suite.

    DATABASE_URL=postgres://… python tests/tools/search_bench.py [--requests 30]
"""

import argparse
import os
import re
import statistics
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from articles.models import Article

    client = Client()
    print(f"{Article.objects.published().count():,} published articles")
    for name, query in QUERIES.items():
        params = {"q": query, **({"page": PAGES[name]} if name in PAGES else {})}
        median, response = median_ms(client, params, args.requests)
        count = COUNT.search(response.content.decode())
        print(f"{name:12} {query!r:18} {median:8.1f} ms  ({count and count.group(1)})")


if __name__ == "__main__":
    main()
