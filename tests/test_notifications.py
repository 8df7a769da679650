"""Processes hear of content changes from PostgreSQL (articles/notifications.py).

A listening process remembers the validators of the public pages until a notice comes,
so a page-cache hit and a 304 run no query. These tests commit for real, as a second
server would, and so run only against PostgreSQL (`make test-postgres`, and CI).
"""

import datetime
import time

import psycopg
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from articles import notifications
from articles.models import Article, ContentVersion, RenderedArticle

from .factories import ArticleFactory, CategoryFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's"),
]


def eventually(check, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.02)


@pytest.fixture
def listener(monkeypatch):
    """This process's listener, with a short heartbeat so a lost connection shows fast."""
    notifications.stop_listening()
    monkeypatch.setattr(notifications, "HEARTBEAT_SECONDS", 0.2)
    monkeypatch.setattr(notifications, "HEARTBEAT_LIMIT", 1.0)
    listener = notifications.listener()
    eventually(lambda: listener.trusted_until > time.monotonic())
    yield listener
    notifications.stop_listening()


@pytest.fixture
def article():
    return ArticleFactory(headline="Soyuz lands", category=CategoryFactory(slug="space"))


@pytest.fixture
def other_server():
    """A connection of another process: what it commits runs none of this one's signals."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as conn:
        yield conn


def edit_elsewhere(conn, article, headline):
    """What another server's save leaves behind, notice included."""
    with conn.transaction():
        conn.execute(
            f"UPDATE {Article._meta.db_table} SET headline = %s WHERE id = %s",
            [headline, article.pk],
        )
        conn.execute(
            f"DELETE FROM {RenderedArticle._meta.db_table} WHERE article_id = %s", [article.pk]
        )
        conn.execute(f"UPDATE {ContentVersion._meta.db_table} SET changed_at = now()")
        conn.execute("SELECT pg_notify(%s, '')", [notifications.CHANNEL])


def test_a_stored_page_and_a_304_cost_no_query(
    client, listener, article, settings, django_assert_num_queries
):
    url = article.get_absolute_url()
    first = client.get(url)
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content
    settings.NEWSROOM_PAGE_CACHE = False
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_change_committed_by_another_server_is_shown(client, listener, article, other_server):
    url = article.get_absolute_url()
    client.get(url)
    with other_server.transaction():
        edit_elsewhere(other_server, article, "Soyuz lands safely")
        # Not committed yet: nothing to see.
        assert b"Soyuz lands safely" not in client.get(url).content
    eventually(lambda: b"Soyuz lands safely" in client.get(url).content)


def test_a_notice_in_a_rolled_back_transaction_is_never_delivered(
    client, listener, article, other_server, django_assert_num_queries
):
    url = article.get_absolute_url()
    client.get(url)
    epoch = listener.epoch
    with other_server.transaction(force_rollback=True):
        other_server.execute("SELECT pg_notify(%s, '')", [notifications.CHANNEL])
    # A notice that came would have arrived by the next heartbeat.
    time.sleep(3 * notifications.HEARTBEAT_SECONDS)
    assert listener.epoch == epoch
    with django_assert_num_queries(0):
        client.get(url)


def test_a_change_missed_while_the_listener_was_cut_off_is_shown(
    client, listener, article, other_server
):
    url = article.get_absolute_url()
    client.get(url)
    cut_off = listener.backend_pid
    other_server.execute("SELECT pg_terminate_backend(%s)", [cut_off])
    # Committed while nobody listens: this notice reaches no one.
    edit_elsewhere(other_server, article, "Soyuz lands safely")
    eventually(lambda: b"Soyuz lands safely" in client.get(url).content)
    # And the listener is back.
    eventually(lambda: listener.backend_pid not in (None, cut_off))


def test_a_scheduled_article_goes_live_on_time_with_no_notice(client, listener, article):
    due = timezone.now() + datetime.timedelta(seconds=1)
    ArticleFactory(headline="Launch at dawn", category=article.category, published_at=due)
    assert b"Launch at dawn" not in client.get("/").content
    epoch = listener.epoch
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.05)
    assert b"Launch at dawn" in client.get("/").content
    assert listener.epoch == epoch


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set (make test-redis)")
def test_with_redis_a_worker_keeps_the_pages_it_served_in_its_own_memory(
    client, listener, article, other_server, django_assert_num_queries
):
    url = article.get_absolute_url()
    first = client.get(url)
    # Stored by another worker: only Redis has it.
    caches["local"].clear()
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content
    # Now this worker has it too, and needs Redis no more.
    caches["default"].clear()
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content
    # Until the content changes, wherever that happens.
    edit_elsewhere(other_server, article, "Soyuz lands safely")
    eventually(lambda: b"Soyuz lands safely" in client.get(url).content)
