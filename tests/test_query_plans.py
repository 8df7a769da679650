"""Every list query a public page runs can use an index: no sequential scan of articles.

PostgreSQL only (CI's `make test-postgres`): SQLite's planner has no statistics worth the
name at this size, and production runs PostgreSQL. The articles are seeded in bulk and
ANALYZEd, so the planner chooses as it would on a real site.
"""

import pytest
from django.db import connection
from taggit.models import Tag

from articles import search
from articles.demo import seed
from articles.feeds import LatestArticlesFeed, TagFeed
from articles.models import Article, Author, Category

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans are checked on PostgreSQL (make test-postgres)",
    ),
]

ARTICLES = 5000
PAGE = 20


@pytest.fixture
def site():
    seed.Seeder(batch_size=1000).create(ARTICLES)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "category": Category.objects.get(slug="science-seed"),
        "tag": Tag.objects.get(slug="glaciers-seed"),
        "author": Author.objects.get(slug=seed.seed_slug(seed.AUTHOR_NAMES[0])),
    }


def list_queries(site):
    # The queries the list pages run: cards stored by articles/rendered.py.
    listing = Article.objects.published().with_parts("card", "lead_card")
    return {
        "home": listing[:21],
        "category": listing.filter(category=site["category"])[:PAGE],
        "tag": listing.filter(tags=site["tag"])[:PAGE],
        "author": listing.filter(authors=site["author"])[:PAGE],
        "feed": LatestArticlesFeed().item_queryset(None),
        "tag feed": TagFeed().item_queryset(site["tag"]),
        "newest visible (validators)": Article.objects.published().order_by("-published_at")[:1],
    }


def explain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def search_plans(word):
    """The plans of a search page's one query for its results, in either order."""
    return {
        f"search {sort}": explain(*search.page_query(word, sort, 0, 10))
        for sort in (search.BEST_MATCH, search.NEWEST)
    }


def test_list_queries_never_scan_every_article(site):
    plans = {name: queryset.explain() for name, queryset in list_queries(site).items()}
    plans.update(search_plans("glaciers"))
    scans = {name: plan for name, plan in plans.items() if "Seq Scan on articles_article" in plan}
    assert not scans, "\n\n".join(f"{name}:\n{plan}" for name, plan in scans.items())


def test_a_tag_page_can_walk_the_newest_articles_and_stop(site):
    """Without the cast index the tag page reads every article with the tag (migration 0008)."""
    queryset = Article.objects.published().for_listing().filter(tags=site["tag"])[:PAGE]
    with connection.cursor() as cursor:
        # Only plans that deliver the newest first without sorting them all.
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()
    assert "article_feed_idx" in plan
    assert "tagged_article_idx" in plan


def test_a_search_for_a_common_word_reads_the_newest_matches_and_stops(site, monkeypatch):
    """Every seeded article says "space": ranking the newest few must not sort them all."""
    monkeypatch.setattr(search, "CANDIDATES", 100)
    for name, plan in search_plans("space").items():
        assert "article_feed_idx" in plan, f"{name}:\n{plan}"
        assert "Bitmap" not in plan, f"{name}:\n{plan}"


def test_searches_read_vectors_in_rows_and_no_pending_list():
    """Migration 0013: no vector fetched from the TOAST table, no GIN pending list to scan."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'articles_article'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'article_search_idx'")
        assert cursor.fetchone() == (["fastupdate=off"],)
