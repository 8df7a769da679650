import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/", "/space/", "/tags/iss/", "/authors/dana/"]


@pytest.fixture
def archive():
    """25 articles: two pages of 20 (the front page shows 21)."""
    category = CategoryFactory(slug="space")
    author = AuthorFactory(slug="dana")
    return ArticleFactory.create_batch(25, category=category, authors=[author], tags=["ISS"])


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_never_count_the_archive(client, archive, url):
    """Counting every published article grows with the archive; a page needs one row more."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_older_link_shows_only_while_there_is_an_older_page(client, archive, url):
    first = client.get(url).content.decode()
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    assert "Page 1<" in first
    second = client.get(f"{url}?page=2").content.decode()
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    assert second.count('<article class="card') == 25 - (21 if url == "/" else 20)
    assert client.get(f"{url}?page=3").status_code == 404


def test_a_full_last_page_has_no_older_link(client):
    ArticleFactory.create_batch(21, category=CategoryFactory(slug="space"))
    page = client.get("/").content.decode()
    assert 'rel="next"' not in page
    assert client.get("/?page=2").status_code == 404


def test_search_results_still_say_how_many(client, committed):
    """Search pages count their matches (up to the cap): readers want the number."""
    with committed():  # search documents are written once the articles are committed
        ArticleFactory.create_batch(25)
    response = client.get("/search/?q=headline")
    assert response.status_code == 200
    assert '<p class="search-count">25 results for “headline”</p>' in response.content.decode()
