import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def fetch(client, name):
    response = client.get(reverse(f"articles:{name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def entries(root):
    """{location: lastmod or None} of every <url>."""
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_lists_published_articles_with_their_last_change(client):
    article = ArticleFactory()
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT),
        ArticleFactory(status=Article.Status.REVIEW),
        ArticleFactory(status=Article.Status.UNPUBLISHED),
        ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1)),
    ]
    urls = entries(fetch(client, "sitemap"))
    lastmod = urls[f"http://testserver{article.get_absolute_url()}"]
    assert datetime.datetime.fromisoformat(lastmod) == article.updated_at
    for other in hidden:
        assert f"http://testserver{other.get_absolute_url()}" not in urls


def test_sitemap_lists_home_categories_and_tags_and_authors_with_published_articles(client):
    writer = AuthorFactory(slug="dana")
    ArticleFactory(
        category=CategoryFactory(slug="space"), authors=[writer], tags=["ISS", "São Paulo"]
    )
    CategoryFactory(slug="weather")
    ArticleFactory(
        status=Article.Status.DRAFT, authors=[AuthorFactory(slug="ghost")], tags=["Leak"]
    )
    urls = entries(fetch(client, "sitemap"))
    for path in [
        "/",
        "/space/",
        "/weather/",
        "/tags/iss/",
        "/tags/s%C3%A3o-paulo/",
        "/authors/dana/",
    ]:
        assert f"http://testserver{path}" in urls, path
    assert "http://testserver/tags/leak/" not in urls
    assert "http://testserver/authors/ghost/" not in urls
    assert urls["http://testserver/space/"] is not None
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_sitemap_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for index in range(30):
        ArticleFactory(
            category=CategoryFactory(slug=f"desk-{index % 5}"),
            authors=2,
            tags=[f"Topic {index}", "ISS"],
        )
    with django_assert_max_num_queries(9):
        root = fetch(client, "sitemap")
    # Home, 5 categories, 30 articles, 31 tags, 60 authors.
    assert len(entries(root)) == 1 + 5 + 30 + 31 + 60


def test_news_sitemap_lists_only_the_last_two_days(client):
    fresh = ArticleFactory(
        headline="Soyuz lands: Q&A", published_at=timezone.now() - datetime.timedelta(hours=1)
    )
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    draft = ArticleFactory(status=Article.Status.DRAFT)
    root = fetch(client, "news_sitemap")
    [url] = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == f"http://testserver{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert datetime.datetime.fromisoformat(published) == fresh.published_at
    assert news.findtext("news:title", namespaces=NS) == "Soyuz lands: Q&A"
    body = ET.tostring(root, encoding="unicode")
    assert old.get_absolute_url() not in body
    assert draft.get_absolute_url() not in body


def test_news_sitemap_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(20, authors=2, tags=["ISS"])
    with django_assert_max_num_queries(3):
        root = fetch(client, "news_sitemap")
    assert len(root.findall("sm:url", NS)) == 20


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
