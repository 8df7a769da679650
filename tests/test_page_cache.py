"""The page cache for anonymous readers (articles/delivery/page_cache.py).

These tests run against the configured cache: local memory by default, and Redis with a
local front when REDIS_URL is set (`make test-redis`, and CI). Inside a test's
transaction nothing read is remembered, so a hit reads the site's ETag (one query);
tests/test_generation.py commits, as production does, and pins a hit at no query.
"""

import datetime
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from taggit.models import Tag

from articles.delivery import page_cache
from articles.delivery.validators import public_page
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
    """Queries a hit runs inside a test's transaction: the site's ETag."""
    return 1


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


def test_tracking_parameters_share_the_page_of_their_url(
    client, article, django_assert_num_queries
):
    """A click from a social network or a newsletter is served from the stored page."""
    ArticleFactory.create_batch(25, category=article.category)
    first_page = client.get("/").content
    second_page = client.get("/?page=2").content
    for url, page in [
        ("/?fbclid=IwAR3xyz", first_page),
        ("/?utm_source=newsletter&utm_medium=email", first_page),
        ("/?gclid=abc&page=2", second_page),
        ("/?page=2&utm_campaign=launch", second_page),
    ]:
        with django_assert_num_queries(hit_queries()):
            response = client.get(url)
        assert response.content == page, url


def test_search_pages_are_keyed_by_their_terms(client, article, django_assert_num_queries):
    soyuz = client.get("/search/", {"q": "soyuz"}).content
    with django_assert_num_queries(hit_queries()):
        again = client.get("/search/", {"q": "soyuz", "utm_source": "x"}).content
    assert again == soyuz
    assert client.get("/search/", {"q": "kazakhstan"}).content != soyuz


def test_a_page_stored_by_another_worker_is_served_from_the_shared_cache(
    client, article, django_assert_num_queries
):
    """The ETag is the same on every server, so any worker's stored page serves all."""
    if page_cache.LOCAL_CACHE_ALIAS not in settings.CACHES:
        pytest.skip("each process keeps its own pages (no shared cache configured)")
    url = article.get_absolute_url()
    first = client.get(url)
    # This worker's memory is empty, as another worker's is.
    caches[page_cache.LOCAL_CACHE_ALIAS].clear()
    with django_assert_num_queries(hit_queries()):
        again = client.get(url)
    assert again.content == first.content
    # Now kept in front of the shared cache too: a shared cache that lost it doesn't matter.
    caches["default"].clear()
    with django_assert_num_queries(hit_queries()):
        assert client.get(url).content == first.content
