import json
import re

import pytest
from django.urls import reverse

from articles.models import Correction

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    FigureFactory,
    ImageFactory,
    QuoteFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return {data["@type"]: data for data in map(json.loads, blocks)}


def meta(response, attribute, name):
    """Every content value of <meta {attribute}="{name}">."""
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">'
    return re.findall(pattern, response.content.decode())


@pytest.fixture
def article():
    article = ArticleFactory(
        headline="Soyuz lands in Kazakhstan",
        dek="A quiet return.",
        category=CategoryFactory(name="Space", slug="space"),
        authors=[AuthorFactory(name="Dana Whitfield", slug="dana-whitfield")],
        tags=["ISS", "NASA"],
    )
    return article


def test_article_page_has_title_description_canonical_and_cards(client, article):
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    url = f"http://testserver{article.get_absolute_url()}"
    assert "<title>Soyuz lands in Kazakhstan · Newsroom</title>" in content
    assert meta(response, "name", "description") == ["A quiet return."]
    assert f'<link rel="canonical" href="{url}">' in content
    assert meta(response, "property", "og:type") == ["article"]
    assert meta(response, "property", "og:url") == [url]
    assert meta(response, "property", "og:title") == ["Soyuz lands in Kazakhstan · Newsroom"]
    assert meta(response, "property", "og:image")[0].startswith("http://testserver/static/")
    assert meta(response, "name", "twitter:card") == ["summary_large_image"]
    assert meta(response, "property", "article:published_time") == [
        article.published_at.isoformat()
    ]
    assert meta(response, "property", "article:modified_time")
    assert meta(response, "property", "article:author") == [
        "http://testserver/authors/dana-whitfield/"
    ]
    assert meta(response, "property", "article:section") == ["Space"]
    assert sorted(meta(response, "property", "article:tag")) == ["ISS", "NASA"]


def test_article_json_ld_is_a_complete_news_article(client, article):
    data = json_ld(client.get(article.get_absolute_url()))
    news = data["NewsArticle"]
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == "Soyuz lands in Kazakhstan"
    assert news["description"] == "A quiet return."
    assert news["image"][0]["url"].startswith("http://testserver/static/")
    assert (news["image"][0]["width"], news["image"][0]["height"]) == (1200, 630)
    assert news["datePublished"] == article.published_at.isoformat()
    assert news["dateModified"] >= news["datePublished"]
    assert news["author"] == [
        {
            "@type": "Person",
            "name": "Dana Whitfield",
            "url": "http://testserver/authors/dana-whitfield/",
        }
    ]
    assert news["publisher"]["@type"] == "Organization"
    assert news["publisher"]["logo"]["url"].startswith("http://testserver/static/")
    assert news["mainEntityOfPage"]["@id"] == f"http://testserver{article.get_absolute_url()}"
    assert news["articleSection"] == "Space"
    assert sorted(news["keywords"]) == ["ISS", "NASA"]
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Newsroom", "Space", article.headline]
    assert [crumb["position"] for crumb in crumbs] == [1, 2, 3]


def test_corrections_appear_in_the_structured_data(client, article):
    Correction.objects.create(article=article, text="Fixed the landing time.")
    news = json_ld(client.get(article.get_absolute_url()))["NewsArticle"]
    assert news["correction"][0]["@type"] == "CorrectionComment"
    assert news["correction"][0]["text"] == "Fixed the landing time."


def test_editor_text_cannot_break_out_of_the_json_ld_script(client):
    article = ArticleFactory(headline="</script><script>alert(1)</script>")
    response = client.get(article.get_absolute_url())
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["NewsArticle"]["headline"] == "</script><script>alert(1)</script>"


def test_front_page_describes_the_website_and_its_search(client, article):
    response = client.get(reverse("articles:list"))
    website = json_ld(response)["WebSite"]
    action = website["potentialAction"]
    assert website["name"] == "Newsroom"
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term}"
    assert action["query-input"] == "required name=search_term"
    assert meta(response, "property", "og:type") == ["website"]
    assert '<link rel="canonical" href="http://testserver/">' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "title", "crumb"),
    [
        ("/space/", "Space · Newsroom", "Space"),
        ("/tags/iss/", "ISS · Newsroom", "ISS"),
        ("/authors/dana-whitfield/", "Dana Whitfield · Newsroom", "Dana Whitfield"),
    ],
)
def test_list_pages_have_titles_canonical_urls_and_breadcrumbs(client, article, url, title, crumb):
    response = client.get(url)
    content = response.content.decode()
    assert f"<title>{title}</title>" in content
    assert f'<link rel="canonical" href="http://testserver{url}">' in content
    assert meta(response, "property", "og:title") == [title]
    assert meta(response, "name", "description")[0]
    crumbs = json_ld(response)["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Newsroom", crumb]


def test_later_pages_are_their_own_canonical_page(client):
    ArticleFactory.create_batch(25)
    response = client.get(reverse("articles:list"), {"page": 2})
    content = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/?page=2">' in content
    assert "(page 2)</title>" in content


def test_the_bodys_photos_and_word_count_are_in_the_structured_data(client, article):
    section = SectionFactory(article=article, body="One two three *four*.")
    QuoteFactory(article=article, section=section, text="Five six.", speaker="Seven Eight")
    QuoteFactory(article=article, text="Nine.")
    photo = ImageFactory(size=(1600, 1000))
    FigureFactory(section=section, image=photo, position=5)

    news = json_ld(client.get(article.get_absolute_url()))["NewsArticle"]
    rendition = photo.rendition("figure", max_width=1600)
    assert news["image"][-1] == {
        "@type": "ImageObject",
        "url": f"http://testserver{rendition.url}",
        "width": rendition.width,
        "height": rendition.height,
    }
    # The text and the quotes' words (articles/reading.py); not names or captions.
    assert news["wordCount"] == 7
