"""One cache generation: the site's ETag, trusted by each process for at most
TRUST_SECONDS (articles/delivery/validators.py, docs/caching.md).

These tests commit for real, as production does: what is read inside a transaction is
never remembered, so the rest of the suite always reads the validators afresh.
"""

import datetime
import time

import pytest
from django.utils import timezone

from articles.delivery import rendered, validators
from articles.models import Article, ContentVersion

from .factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article():
    return ArticleFactory(headline="Soyuz lands", category=CategoryFactory(slug="space"))


def test_a_stored_page_and_a_304_cost_no_query(client, article, django_assert_num_queries):
    url = article.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_change_made_by_another_server_is_shown_within_the_trust_bound(client, article):
    """Another process's change reaches this one only through the database."""
    url = article.get_absolute_url()
    assert "Soyuz lands" in client.get(url).content.decode()
    # What another server's save leaves behind: the row, its stored parts, the clock.
    Article.objects.filter(pk=article.pk).update(headline="Soyuz lands safely")
    rendered.store([article.pk])
    ContentVersion.objects.filter(pk=1).update(changed_at=timezone.now())
    changed_at = time.monotonic()
    while "Soyuz lands safely" not in client.get(url).content.decode():
        assert time.monotonic() - changed_at < validators.TRUST_SECONDS + 0.5
        time.sleep(0.05)


def test_this_servers_own_change_is_shown_at_once(client, article):
    url = article.get_absolute_url()
    client.get(url)
    article.headline = "Soyuz lands safely"
    article.save()
    assert "Soyuz lands safely" in client.get(url).content.decode()


def test_a_scheduled_article_goes_live_on_time_with_no_save(client, article):
    due = timezone.now() + datetime.timedelta(seconds=1.2)
    ArticleFactory(headline="Launch at dawn", category=article.category, published_at=due)
    assert "Launch at dawn" not in client.get("/").content.decode()
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.02)
    assert "Launch at dawn" in client.get("/").content.decode()


def test_signed_in_editors_never_get_remembered_validators(client, article, django_user_model):
    url = article.get_absolute_url()
    client.get(url)
    Article.objects.filter(pk=article.pk).update(headline="Soyuz lands safely")
    rendered.store([article.pk])
    ContentVersion.objects.filter(pk=1).update(changed_at=timezone.now())
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    assert "Soyuz lands safely" in client.get(url).content.decode()
