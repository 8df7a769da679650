"""The page cache for anonymous readers (articles/page_cache.py).

These tests run against the configured cache: local memory by default, and Redis when
REDIS_URL is set (`make test-redis`, and CI). With local memory a hit asks the database
for the site's ETag (one query); with Redis it asks nothing.
"""

import datetime
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from taggit.models import Tag

from articles import page_cache, rendering
from articles.freshness import mark_content_changed, public_page
from articles.models import Article, Correction
from articles.preview import preview_url

from .factories import ArticleFactory, AuthorFactory, CategoryFactory, SectionFactory

pytestmark = pytest.mark.django_db


COOKIE_VIEW_CALLS = []


@public_page
def sets_a_cookie(request):
    COOKIE_VIEW_CALLS.append(request.path)
    response = HttpResponse(f"Hello, reader {len(COOKIE_VIEW_CALLS)}.")
    response.set_cookie("greeted", "yes")
    return response


@public_page
def varies(request):
    """A public page that varies on the header named in the query string."""
    COOKIE_VIEW_CALLS.append(request.path)
    gzip = "gzip" in request.headers.get("accept-encoding", "")
    response = HttpResponse(f"call {len(COOKIE_VIEW_CALLS)}, gzip {gzip}")
    patch_vary_headers(response, [request.GET["on"]])
    return response


# The site's URLs, plus public pages that set a cookie or vary (see the tests using them).
urlpatterns = [
    path("test/cookie/", sets_a_cookie),
    path("test/vary/", varies),
    path("", include("newsroom.urls")),
]


def hit_queries():
    """Queries a hit runs: the ETag, unless the generation is a token in a shared cache.

    On PostgreSQL the ETag is the generation in every cache, and a worker that hears of
    changes knows it without asking, but never inside a transaction, as every test here is
    (tests/test_notifications.py commits).
    """
    return 0 if page_cache.uses_token_generation() else 1


@pytest.fixture
def article(committed):
    with committed():
        article = ArticleFactory(
            headline="Soyuz lands in Kazakhstan",
            category=CategoryFactory(slug="space", name="Space"),
            authors=[AuthorFactory(name="Dana Whitfield", slug="dana")],
            tags=["ISS"],
        )
        SectionFactory(article=article, body="The capsule landed at dawn.")
    return article


def pages(article):
    return [
        reverse("articles:list"),
        article.get_absolute_url(),
        reverse("articles:category", args=["space"]),
        reverse("articles:tag", args=["iss"]),
        reverse("articles:author", args=["dana"]),
        reverse("articles:feed_rss"),
    ]


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_hit_serves_the_same_bytes_without_running_the_view(
    client, article, django_assert_num_queries
):
    for url in pages(article):
        first = client.get(url)
        with django_assert_num_queries(hit_queries()):
            again = client.get(url)
        assert again.status_code == 200
        assert again.content == first.content
        for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control"):
            assert again[header] == first[header]
        assert "public" in again["Cache-Control"]
        assert not again.cookies


def test_a_hit_answers_conditional_requests(client, article):
    url = article.get_absolute_url()
    first = client.get(url)
    client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]


def test_pages_differ_by_query_string_and_host(client, article):
    ArticleFactory.create_batch(25, category=article.category)
    first_page = client.get("/").content
    second_page = client.get("/?page=2").content
    assert first_page != second_page
    assert client.get("/?page=2").content == second_page
    other_host = client.get("/", HTTP_HOST="localhost").content.decode()
    assert "http://localhost/" in other_host
    assert "http://testserver/" not in other_host


def assert_everywhere(client, urls, text, present=True):
    for url in urls:
        content = client.get(url).content.decode()
        assert (text in content) is present, f"{text!r} {'missing from' if present else 'on'} {url}"


def test_an_update_is_shown_at_once(client, article, committed):
    warm(client, pages(article))
    with committed():
        article.headline = "Soyuz lands safely in Kazakhstan"
        article.save()
    assert_everywhere(client, pages(article), "Soyuz lands safely in Kazakhstan")


def test_publishing_is_shown_at_once(client, article, committed):
    draft = ArticleFactory(
        headline="Crew returns home", category=article.category, status=Article.Status.DRAFT
    )
    warm(client, pages(article))
    with committed():
        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
    assert_everywhere(client, pages(article)[:1] + pages(article)[-1:], "Crew returns home")
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_unpublishing_is_shown_at_once(client, article, committed):
    urls = pages(article)
    warm(client, urls)
    with committed():
        article.status = Article.Status.UNPUBLISHED
        article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert_everywhere(client, [urls[0], urls[2], urls[-1]], article.headline, present=False)


def test_a_correction_is_shown_at_once(client, article, committed):
    warm(client, pages(article))
    with committed():
        Correction.objects.create(article=article, text="The capsule landed at 9:13.")
    assert "The capsule landed at 9:13." in client.get(article.get_absolute_url()).content.decode()


def test_a_renamed_tag_is_shown_at_once(client, article, committed):
    warm(client, pages(article))
    with committed():
        tag = Tag.objects.get(slug="iss")
        tag.name = "International Space Station"
        tag.save()
    assert_everywhere(client, pages(article)[1:2] + pages(article)[3:4], tag.name)


def test_a_renamed_author_is_shown_at_once(client, article, committed):
    warm(client, pages(article))
    with committed():
        author = article.byline_authors[0]
        author.name = "Dana W. Whitfield"
        author.save()
    assert_everywhere(client, pages(article)[:2] + pages(article)[4:], "Dana W. Whitfield")


def test_a_scheduled_article_is_shown_once_due_without_any_save(client, article, committed):
    due = timezone.now() + datetime.timedelta(seconds=1.5)
    with committed():
        ArticleFactory(headline="Launch at dawn", category=article.category, published_at=due)
    urls = pages(article)[:1] + pages(article)[2:3]
    assert_everywhere(client, urls, "Launch at dawn", present=False)
    assert_everywhere(client, urls, "Launch at dawn", present=False)
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.05)
    assert_everywhere(client, urls, "Launch at dawn")


def test_a_change_made_by_another_worker_is_shown(client, article):
    """Another process's signals never run here; only what it left behind is shared."""
    warm(client, pages(article))
    Article.objects.filter(pk=article.pk).update(headline="Changed elsewhere")
    # What the other worker's change left: the article rendered again, the timestamp
    # row in the database and, with a shared cache, a new generation in it.
    rendering.refresh([article.pk])
    mark_content_changed()
    if page_cache.has_shared_generation():
        page_cache.replace_generation()
    assert_everywhere(client, pages(article)[:3], "Changed elsewhere")


def test_signed_in_users_never_get_or_leave_a_stored_page(
    client, editor_client, article, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    editor_client.get(url)
    # The editor's page was not stored: the reader's first request renders it.
    with django_assert_max_num_queries(20) as reader:
        client.get(url)
    assert len(reader) > hit_queries()
    with django_assert_max_num_queries(40) as editor:
        editor_client.get(url)
    assert len(editor) > hit_queries()


def test_previews_are_never_stored(client, committed, django_assert_max_num_queries):
    with committed():
        draft = ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT)
    url = preview_url(draft)
    for _ in range(2):
        with django_assert_max_num_queries(30) as queries:
            response = client.get(url)
        assert "Secret draft" in response.content.decode()
        assert len(queries) > hit_queries()
        assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_missing_pages_and_redirects_are_never_stored(
    client, article, django_assert_max_num_queries
):
    moved = f"/elsewhere/{article.slug}/"
    for url, status in [("/space/no-such-article/", 404), (moved, 301)]:
        for _ in range(2):
            assert client.get(url).status_code == status
        # A stored page would answer in hit_queries(); these are rendered every time.
        with django_assert_max_num_queries(20) as queries:
            response = client.get(url)
        assert response.status_code == status
        assert len(queries) > hit_queries()


@pytest.mark.urls(__name__)
def test_responses_that_set_cookies_are_never_stored(client, article):
    COOKIE_VIEW_CALLS.clear()
    client.get("/test/cookie/")
    response = client.get("/test/cookie/")
    assert response.content == b"Hello, reader 2."
    assert response.cookies["greeted"].value == "yes"


@pytest.mark.urls(__name__)
def test_responses_that_vary_on_cookies_are_never_stored(client, article):
    COOKIE_VIEW_CALLS.clear()
    client.get("/test/vary/?on=Cookie")
    assert client.get("/test/vary/?on=Cookie").content == b"call 2, gzip False"


@pytest.mark.urls(__name__)
def test_responses_that_vary_on_encoding_are_stored_per_encoding(client, article):
    COOKIE_VIEW_CALLS.clear()
    url = "/test/vary/?on=Accept-Encoding"
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip, br").content == b"call 1, gzip True"
    assert client.get(url).content == b"call 2, gzip False"
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip").content == b"call 1, gzip True"
    assert client.get(url).content == b"call 2, gzip False"


def test_requests_with_a_session_cookie_are_never_served_from_the_cache(
    client, article, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    warm(client, [url, url])
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    with django_assert_max_num_queries(20) as queries:
        client.get(url)
    assert len(queries) > hit_queries()


def test_the_page_cache_can_be_turned_off(client, article, settings, django_assert_max_num_queries):
    settings.NEWSROOM_PAGE_CACHE = False
    url = article.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(20) as queries:
        client.get(url)
    assert len(queries) > hit_queries()


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set (make test-redis)")
def test_redis_holds_the_shared_generation(article):
    assert isinstance(caches["default"], RedisCache)
    assert page_cache.has_shared_generation()
    first = page_cache.shared_generation()
    assert page_cache.shared_generation() == first
    page_cache.replace_generation()
    assert page_cache.shared_generation() != first


def test_a_new_generation_waits_for_the_commit(article, committed, settings):
    """A reader must not be able to store a page under a generation older than the data."""
    if not page_cache.has_shared_generation():
        pytest.skip("the ETag generation is read from the database; nothing waits")
    before = page_cache.shared_generation()
    with committed():
        article.headline = "Changed"
        article.save()
        assert page_cache.shared_generation() == before
    assert page_cache.shared_generation() != before


def test_a_writer_that_looked_too_early_cannot_delay_a_scheduled_article(
    client, article, committed, monkeypatch
):
    """Its lifetime missed another writer's scheduled article, and it set its token last."""
    if not page_cache.uses_token_generation():
        pytest.skip("the generation is the ETag, which moves with the clock")
    due = timezone.now() + datetime.timedelta(seconds=1.5)
    with committed():
        ArticleFactory(headline="Launch at dawn", category=article.category, published_at=due)
    assert_everywhere(client, ["/"], "Launch at dawn", present=False)
    looks = iter([settings.NEWSROOM_PAGE_CACHE_SECONDS])
    real_lifetime = page_cache.generation_lifetime
    monkeypatch.setattr(
        page_cache, "generation_lifetime", lambda: next(looks, None) or real_lifetime()
    )
    page_cache.replace_generation()
    assert_everywhere(client, ["/"], "Launch at dawn", present=False)
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.05)
    assert_everywhere(client, ["/"], "Launch at dawn")
