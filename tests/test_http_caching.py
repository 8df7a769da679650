import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, CategoryFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(category=CategoryFactory(slug="space"), tags=["ISS"])
        SectionFactory(article=article, body="First version.")
    return article


def public_urls(article):
    return [
        reverse("articles:list"),
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        reverse("articles:tag", args=["iss"]),
        article.byline_authors[0].get_absolute_url(),
    ]


def test_public_pages_carry_validators_and_a_public_cache_policy(client, article):
    for url in public_urls(article):
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"]
        assert "public" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


@pytest.mark.parametrize("validator", ["ETag", "Last-Modified"])
def test_unchanged_page_is_a_304(client, article, validator):
    header = {"ETag": "HTTP_IF_NONE_MATCH", "Last-Modified": "HTTP_IF_MODIFIED_SINCE"}[validator]
    for url in public_urls(article):
        first = client.get(url)
        again = client.get(url, **{header: first[validator]})
        assert again.status_code == 304
        assert again.content == b""


def test_an_edit_changes_every_page_validator(client, article, django_capture_on_commit_callbacks):
    before = {url: client.get(url)["ETag"] for url in public_urls(article)}
    with django_capture_on_commit_callbacks(execute=True):
        text = article.sections.get().blocks.get()
        text.body = "Corrected version."
        text.save()
    for url, etag in before.items():
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag
    assert "Corrected version." in client.get(article.get_absolute_url()).content.decode()


def test_a_scheduled_article_going_live_changes_the_validators(client, article):
    scheduled = ArticleFactory(
        category=article.category, published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    home = client.get(reverse("articles:list"))
    # Time passing, not a save: no signal fires.
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("articles:list"), HTTP_IF_NONE_MATCH=home["ETag"])
    assert response.status_code == 200
    assert scheduled.headline in response.content.decode()


def test_previews_and_the_admin_are_never_cached_publicly(article):
    editor = Client()
    editor.force_login(UserFactory(group="Editors"))
    draft = ArticleFactory(status=Article.Status.DRAFT)
    for url in [
        reverse("admin:articles_article_preview", args=[draft.pk]),
        reverse("admin:articles_article_changelist"),
    ]:
        cache_control = editor.get(url)["Cache-Control"]
        assert "public" not in cache_control
        assert "private" in cache_control or "no-cache" in cache_control


def test_missing_pages_are_not_given_a_public_cache_policy(client, article):
    response = client.get("/space/no-such-article/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url", ["/feeds/rss/", "/feeds/atom/", "/feeds/tag/iss/rss/", "/sitemap.xml"]
)
def test_feeds_and_sitemaps_answer_conditional_requests(client, article, url):
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_search_results_are_revalidated_after_the_index_catches_up(
    client, article, django_capture_on_commit_callbacks
):
    url = reverse("articles:search") + "?q=zeppelin"
    before = client.get(url)
    assert "public" in before["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        text = article.sections.get().blocks.get()
        text.body = "A zeppelin over the steppe."
        text.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert article.headline in after.content.decode()
