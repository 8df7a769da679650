import datetime
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    FigureFactory,
    ImageFactory,
    QuoteFactory,
    SectionFactory,
    TextBlockFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["rss", "atom"]
ATOM = "{http://www.w3.org/2005/Atom}"
ITEM_ELEMENTS = {
    "rss": {
        "content": "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded",
        "summary": "channel/item/description",
    },
    "atom": {"content": f"{ATOM}entry/{ATOM}content", "summary": f"{ATOM}entry/{ATOM}summary"},
}
FEED_LINK = re.compile(
    r'<link rel="alternate" type="application/(rss|atom)\+xml" title="[^"]+" href="([^"]+)">'
)


def fetch(client, url):
    """The feed as a feed reader sees it; fails on anything feedparser finds malformed."""
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def headlines(feed):
    return {entry.title for entry in feed.entries}


def feed_urls(category, tag_slug, author):
    """Every feed, in both formats, for the given category, tag and author."""
    return [
        reverse(f"articles:{name}", args=args)
        for fmt in FORMATS
        for name, args in [
            (f"feed_{fmt}", []),
            (f"category_feed_{fmt}", [category.slug]),
            (f"tag_feed_{fmt}", [tag_slug]),
            (f"author_feed_{fmt}", [author.slug]),
        ]
    ]


@pytest.fixture
def story():
    """A published story with everything a feed item shows."""
    article = ArticleFactory(
        headline="Soyuz brings NASA astronaut home",
        dek="A quiet landing in Kazakhstan.",
        category=CategoryFactory(name="Space", slug="space"),
        authors=[AuthorFactory(name="Zed", slug="zed"), AuthorFactory(name="Amy", slug="amy")],
        tags=["ISS", "NASA"],
    )
    section = SectionFactory(
        article=article, subheading="Small Talk", body="The crew *spoke* before landing."
    )
    QuoteFactory(article=article, section=section, text="It was a long flight.", speaker="Mark")
    return article


@pytest.mark.parametrize("fmt", FORMATS)
def test_site_feed_carries_the_whole_article(client, story, fmt):
    feed = fetch(client, reverse(f"articles:feed_{fmt}"))
    assert feed.feed.title == "Newsroom"
    assert feed.feed.link == "http://testserver/"
    [entry] = feed.entries
    article_url = f"http://testserver{story.get_absolute_url()}"
    assert entry.title == "Soyuz brings NASA astronaut home"
    assert entry.link == article_url
    assert entry.id == article_url
    assert entry.summary == "A quiet landing in Kazakhstan."
    assert entry.published_parsed[:6] == story.published_at.utctimetuple()[:6]
    assert {tag.term for tag in entry.tags} == {"Space", "ISS", "NASA"}
    assert entry.enclosures == []
    content = entry.content[0].value
    assert "<h2>Small Talk</h2>" in content
    assert "The crew <em>spoke</em> before landing." in content
    assert "<blockquote>" in content and "It was a long flight." in content
    assert '<span class="quote__speaker">Mark</span>' in content


def test_rss_item_names_the_authors_in_byline_order(client, story):
    [entry] = fetch(client, reverse("articles:feed_rss")).entries
    assert entry.author == "Zed and Amy"


def test_atom_entry_has_one_author_per_byline(client, story):
    [entry] = fetch(client, reverse("articles:feed_atom")).entries
    assert [(author.name, author.href) for author in entry.authors] == [
        ("Zed", "http://testserver/authors/zed/"),
        ("Amy", "http://testserver/authors/amy/"),
    ]
    assert entry.updated_parsed[:6] == story.updated_at.utctimetuple()[:6]


def test_atom_title_is_plain_text(client):
    ArticleFactory(headline="Q&A: <Moon> or Mars?")
    [entry] = fetch(client, reverse("articles:feed_atom")).entries
    assert entry.title == "Q&A: <Moon> or Mars?"


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_content_is_the_sanitized_body(client, fmt):
    SectionFactory(
        body="<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\nSafe words.",
        article__dek="<b onmouseover=x>dek</b>",
    )
    response = client.get(reverse(f"articles:feed_{fmt}"))
    # Read the XML itself: feedparser would sanitize the HTML again and hide a leak.
    root = ET.fromstring(response.content)
    content = root.find(ITEM_ELEMENTS[fmt]["content"]).text
    assert "Safe words." in content
    assert "<script" not in content
    assert 'href="javascript:' not in content
    summary = root.find(ITEM_ELEMENTS[fmt]["summary"]).text
    assert summary == "&lt;b onmouseover=x&gt;dek&lt;/b&gt;"


@pytest.mark.parametrize("fmt", FORMATS)
def test_corrections_travel_with_the_article(client, story, fmt):
    Correction.objects.create(article=story, text="An earlier version misnamed the capsule.")
    [entry] = fetch(client, reverse(f"articles:feed_{fmt}")).entries
    assert "An earlier version misnamed the capsule." in entry.content[0].value


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": "future"},
    ],
    ids=["draft", "in-review", "unpublished", "scheduled"],
)
def test_feeds_show_only_published_articles(client, hidden):
    if hidden.get("published_at") == "future":
        hidden = {"published_at": timezone.now() + datetime.timedelta(days=1)}
    author = AuthorFactory()
    article = ArticleFactory(
        headline="Not for readers yet", authors=[author], tags=["ISS"], **hidden
    )
    ArticleFactory(
        headline="For readers", category=article.category, authors=[author], tags=["ISS"]
    )
    for url in feed_urls(article.category, "iss", author):
        assert headlines(fetch(client, url)) == {"For readers"}, url


@pytest.mark.parametrize("fmt", FORMATS)
def test_category_tag_and_author_feeds_hold_only_their_articles(client, fmt):
    author = AuthorFactory(slug="dana")
    space = CategoryFactory(name="Space", slug="space")
    ArticleFactory(headline="In space", category=space)
    ArticleFactory(headline="In São Paulo", tags=["São Paulo"])
    ArticleFactory(headline="By Dana", authors=[author, AuthorFactory()])
    ArticleFactory(headline="Elsewhere", tags=["Weather"])

    category_feed = fetch(client, reverse(f"articles:category_feed_{fmt}", args=["space"]))
    tag_feed = fetch(client, reverse(f"articles:tag_feed_{fmt}", args=["são-paulo"]))
    author_feed = fetch(client, reverse(f"articles:author_feed_{fmt}", args=["dana"]))

    assert headlines(category_feed) == {"In space"}
    assert category_feed.feed.title == "Space · Newsroom"
    assert category_feed.feed.link == "http://testserver/space/"
    assert headlines(tag_feed) == {"In São Paulo"}
    assert tag_feed.feed.link == "http://testserver/tags/s%C3%A3o-paulo/"
    assert headlines(author_feed) == {"By Dana"}
    assert author_feed.feed.link == "http://testserver/authors/dana/"


def test_feed_holds_the_twenty_newest_articles_newest_first(client):
    now = timezone.now()
    for hours in range(25):
        ArticleFactory(
            headline=f"{hours} hours old", published_at=now - datetime.timedelta(hours=hours)
        )
    entries = fetch(client, reverse("articles:feed_rss")).entries
    assert [entry.title for entry in entries] == [f"{hours} hours old" for hours in range(20)]


@pytest.mark.parametrize(
    "url",
    [
        f"/feeds/{kind}/{slug}/{fmt}/"
        for kind, slug in [("category", "nothing"), ("tag", "nothing"), ("author", "nobody")]
        for fmt in FORMATS
    ],
)
def test_feed_of_an_unknown_slug_is_404(client, url):
    ArticleFactory(category__slug="space", tags=["ISS"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "scope", "budget"),
    [
        (fmt, scope, budget)
        for fmt in FORMATS
        # Rendered and stored by this first reader (tests/test_rendering.py pins feeds
        # made of stored parts).
        for scope, budget in [("site", 17), ("category", 18), ("tag", 18), ("author", 18)]
    ],
)
def test_feeds_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, fmt, scope, budget
):
    category = CategoryFactory(slug="space")
    author = AuthorFactory(slug="dana")
    for _ in range(25):
        article = ArticleFactory(
            category=category,
            authors=[author, AuthorFactory()],
            tags=["ISS", "NASA", "Russia"],
            sections=3,
            quotes=2,
        )
        Correction.objects.create(article=article, text="A fix.")
    name, args = {
        "site": (f"feed_{fmt}", []),
        "category": (f"category_feed_{fmt}", ["space"]),
        "tag": (f"tag_feed_{fmt}", ["iss"]),
        "author": (f"author_feed_{fmt}", ["dana"]),
    }[scope]
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(f"articles:{name}", args=args))
    assert response.status_code == 200
    entries = feedparser.parse(response.content).entries
    assert len(entries) == 20
    assert all(
        len(entry.tags) == 4 and entry.content[0].value.count("<h2>") == 4 for entry in entries
    )


def feed_links(response):
    return set(FEED_LINK.findall(response.content.decode()))


SITE_FEEDS = {("rss", "/feeds/rss/"), ("atom", "/feeds/atom/")}


def test_pages_advertise_their_feeds(client):
    article = ArticleFactory(
        category=CategoryFactory(slug="space"), authors=[AuthorFactory(slug="dana")], tags=["ISS"]
    )
    space_feeds = {("rss", "/feeds/category/space/rss/"), ("atom", "/feeds/category/space/atom/")}
    expected = {
        "/": SITE_FEEDS,
        "/space/": SITE_FEEDS | space_feeds,
        "/tags/iss/": SITE_FEEDS
        | {("rss", "/feeds/tag/iss/rss/"), ("atom", "/feeds/tag/iss/atom/")},
        "/authors/dana/": SITE_FEEDS
        | {("rss", "/feeds/author/dana/rss/"), ("atom", "/feeds/author/dana/atom/")},
        article.get_absolute_url(): SITE_FEEDS | space_feeds,
    }
    for url, feeds in expected.items():
        response = client.get(url)
        assert response.status_code == 200
        assert feed_links(response) == feeds, url
    for kind, href in set().union(*expected.values()):
        response = client.get(href)
        assert response.status_code == 200, href
        assert response["Content-Type"].startswith(f"application/{kind}+xml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_photos_in_the_body_reach_feed_readers_as_absolute_jpegs(client, story, fmt):
    section = story.sections.get()
    photo = ImageFactory(alt_text="The capsule on the steppe.", credit="NASA", size=(1600, 1000))
    FigureFactory(section=section, image=photo, caption="Down safely.", position=5)
    TextBlockFactory(section=section, body="Read [the log](/space/log/).", position=6)

    [entry] = fetch(client, reverse(f"articles:feed_{fmt}")).entries
    content = entry.content[0].value
    rendition = photo.rendition("figure", max_width=1024)
    [img] = re.findall(r"<img [^>]*>", content)
    assert f'src="http://testserver{rendition.url}"' in img
    assert 'alt="The capsule on the steppe."' in img
    assert "<figcaption>Down safely. (NASA)</figcaption>" in content
    assert "<picture" not in content and "srcset" not in content
    assert 'href="http://testserver/space/log/"' in content
