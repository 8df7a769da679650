import datetime
import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    MoreOnLinkFactory,
    QuoteFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "data" / "seed_article.txt"


def visible_text(response):
    """The page's text as a reader sees it: tags removed, entities decoded, spaces folded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_seed_article_page_carries_every_sentence_of_the_seed(client, demo):
    response = client.get(demo.get_absolute_url())
    assert response.status_code == 200
    text = visible_text(response)
    for line in SEED.read_text().splitlines():
        if line.strip():
            assert " ".join(line.split()) in text


def test_seed_article_page_structure(client, demo):
    content = client.get(demo.get_absolute_url()).content.decode()
    assert f"<h1>{demo.headline}</h1>" in content
    assert "<h2>Small Talk</h2>" in content
    assert "<h2>Friends Forever</h2>" in content
    assert content.count("<blockquote") == 4
    for speaker, role in [
        ("Chris Berger", "NASASpaceFlight editor"),
        ("Bill Nelson", "NASA administrator"),
        ("Scott Kelly", "former NASA astronaut"),
    ]:
        assert re.search(
            rf"<figcaption>\s*<span class=\"quote__speaker\">{speaker}</span>, "
            rf"<span class=\"quote__role\">{role}</span>",
            content,
        )
    assert '<time datetime="2022-03-30T16:00:00+0000">' in content
    assert 'href="/authors/dana-whitfield/"' in content
    assert 'href="/tags/iss/"' in content


def test_seed_more_on_link_leads_to_the_other_article(client, demo):
    content = client.get(demo.get_absolute_url()).content.decode()
    match = re.search(
        r"<strong>More on the ISS:</strong> <a href=\"([^\"]+)\">([^<]+)</a>", content
    )
    assert match
    assert match.group(2) == (
        "Russian Cosmonaut Hands Over Command of Space Station to NASA Astronaut"
    )
    target = client.get(match.group(1))
    assert target.status_code == 200
    assert "<h1>Russian Cosmonaut Hands Over Command" in target.content.decode()


def test_share_links_carry_the_absolute_url(client, demo):
    content = client.get(demo.get_absolute_url()).content.decode()
    absolute_url = f"http://testserver{demo.get_absolute_url()}"
    encoded = quote(absolute_url, safe="")
    assert "Share This Article" in content
    for prefix in [
        "https://x.com/intent/post?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://www.linkedin.com/sharing/share-offsite/?url=",
        "https://www.reddit.com/submit?url=",
    ]:
        assert f'href="{prefix}{encoded}' in content
    assert "mailto:?subject=" in content and f"body={encoded}" in content
    assert f'data-copy-url="{absolute_url}"' in content
    assert f'<link rel="canonical" href="{absolute_url}">' in content


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": "future"},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_article_is_404_and_absent_from_every_list(client, hidden):
    if hidden.get("published_at") == "future":
        hidden = {"published_at": timezone.now() + datetime.timedelta(days=1)}
    author = AuthorFactory()
    article = ArticleFactory(
        headline="Not for readers yet", authors=[author], tags=["ISS"], **hidden
    )
    ArticleFactory(category=article.category, authors=[author], tags=["ISS"])

    assert client.get(article.get_absolute_url()).status_code == 404
    for url in [
        reverse("articles:list"),
        article.category.get_absolute_url(),
        reverse("articles:tag", args=["iss"]),
        author.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Not for readers yet" not in response.content.decode()


def test_home_page_leads_with_the_newest_story(client):
    older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=2))
    newest = ArticleFactory(published_at=timezone.now() - datetime.timedelta(minutes=1))
    content = client.get(reverse("articles:list")).content.decode()
    lead = content.split('aria-labelledby="latest-heading"')[0]
    assert newest.headline in lead
    assert older.headline not in lead
    assert older.headline in content


def test_home_page_is_paginated(client):
    ArticleFactory.create_batch(25)
    first = client.get(reverse("articles:list"))
    second = client.get(reverse("articles:list"), {"page": 2})
    assert first.status_code == second.status_code == 200
    assert 'rel="next"' in first.content.decode()
    assert 'rel="prev"' in second.content.decode()
    shown = {a.pk for a in first.context["page_obj"]} | {a.pk for a in second.context["page_obj"]}
    assert len(shown) == 25


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", "1e9", "%00"])
def test_bad_page_numbers_are_404_not_errors(client, page):
    ArticleFactory()
    response = client.get(reverse("articles:list"), {"page": page})
    assert response.status_code == 404


def test_the_navigation_shows_every_category_as_it_is_now(client, settings, committed):
    settings.NEWSROOM_PAGE_CACHE = False
    space = CategoryFactory(name="Space", slug="space")
    ArticleFactory(category=space)
    nav = re.compile(r'<nav aria-label="Sections">.*?</nav>', re.S)

    def navigation():
        return nav.search(client.get("/").content.decode()).group()

    assert ">Space<" in navigation()
    with committed():
        space.name = "Space & Science"
        space.save()
        CategoryFactory(name="Climate", slug="climate")
    assert ">Space &amp; Science<" in navigation()
    assert ">Climate<" in navigation()
    with committed():
        Category.objects.get(slug="climate").delete()
    assert "Climate" not in navigation()


def test_category_page_lists_its_published_articles(client):
    category = CategoryFactory(name="Space", slug="space", description="All about space.")
    mine = ArticleFactory(category=category)
    other = ArticleFactory()
    response = client.get(category.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Space</h1>" in content and "All about space." in content
    assert mine.headline in content
    assert other.headline not in content


def test_tag_page_lists_articles_with_the_tag(client):
    tagged = ArticleFactory(tags=["Roscosmos"])
    untagged = ArticleFactory(tags=["NASA"])
    response = client.get(reverse("articles:tag", args=["roscosmos"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Roscosmos</h1>" in content
    assert tagged.headline in content
    assert untagged.headline not in content


def test_unicode_tag_has_a_working_page(client):
    article = ArticleFactory(tags=["São Paulo"])
    tag = article.tags.get()
    response = client.get(reverse("articles:tag", args=[tag.slug]))
    assert response.status_code == 200
    assert article.headline in response.content.decode()


def test_author_page_shows_the_author_and_their_articles(client):
    author = AuthorFactory(name="Dana Whitfield", role="Space reporter", bio="Covers the ISS.")
    theirs = ArticleFactory(authors=[author, AuthorFactory()])
    other = ArticleFactory()
    content = client.get(author.get_absolute_url()).content.decode()
    assert "<h1>Dana Whitfield</h1>" in content and "Covers the ISS." in content
    assert theirs.headline in content
    assert other.headline not in content


def test_byline_keeps_the_editors_order(client):
    first, second, third = (AuthorFactory(name=name) for name in ["Zed", "Amy", "Mo"])
    article = ArticleFactory(authors=[first, second, third])
    content = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"By <a [^>]+>Zed</a>, <a [^>]+>Amy</a> and <a [^>]+>Mo</a>", content)


@pytest.mark.parametrize(
    "path", ["/no-such-category/", "/tags/no-such-tag/", "/authors/nobody/", "/space/nothing/"]
)
def test_missing_pages_get_the_styled_404(client, path):
    CategoryFactory(slug="space")
    response = client.get(path)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert 'class="site-header"' in content


def test_article_under_an_old_category_redirects_to_its_current_url(client):
    article = ArticleFactory()
    old_url = reverse("articles:detail", kwargs={"category": "old-desk", "slug": article.slug})
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_more_on_link_to_an_unpublished_article_is_not_shown(client):
    link = MoreOnLinkFactory(target__status=Article.Status.DRAFT, target__headline="Secret draft")
    content = client.get(link.article.get_absolute_url()).content.decode()
    assert "Secret draft" not in content
    assert "More on the ISS" not in content


def test_external_more_on_link_is_shown(client):
    link = MoreOnLinkFactory(target=None, url="https://www.nasa.gov/", title="NASA's ISS page")
    content = client.get(link.article.get_absolute_url()).content.decode()
    assert (
        '<strong>More on the ISS:</strong> <a href="https://www.nasa.gov/">NASA&#x27;s ISS page</a>'
        in content
    )


def test_editor_html_is_escaped_in_plain_text_fields(client):
    article = ArticleFactory(headline="<script>alert(1)</script>", dek="<b onmouseover=x>dek</b>")
    SectionFactory(article=article, subheading="<img src=x onerror=alert(1)>", body="Text")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert "<b onmouseover" not in content


def test_section_script_never_reaches_the_page(client):
    section = SectionFactory(
        body="<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
    )
    content = client.get(section.article.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert 'href="javascript:' not in content
    assert "<img src=x" not in content


def test_updated_time_is_shown_only_after_a_real_update(client, committed):
    with committed():
        article = ArticleFactory(published_at=None)
    assert "updated <time" not in client.get(article.get_absolute_url()).content.decode()
    with committed():
        article.published_at = timezone.now() - datetime.timedelta(days=1)
        article.save()
    assert "updated <time" in client.get(article.get_absolute_url()).content.decode()


def rich_articles(count):
    """Articles with enough children that a per-row query would show in the count."""
    category = CategoryFactory(slug="space")
    author = AuthorFactory(slug="dana")
    articles = [
        ArticleFactory(
            category=category, authors=[author, AuthorFactory()], tags=["ISS", "NASA", "Russia"]
        )
        for _ in range(count)
    ]
    return category, author, articles


@pytest.mark.parametrize(
    "url",
    ["/", "/?page=2", "/space/", "/tags/iss/", "/authors/dana/"],
)
def test_list_pages_run_a_constant_number_of_queries(client, django_assert_max_num_queries, url):
    rich_articles(30)
    # Rendered and stored by this first reader (tests/test_rendering.py pins the pages
    # later readers get from stored parts): a fixed number, however many articles.
    with django_assert_max_num_queries(17):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card') >= 9


def test_article_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    article = ArticleFactory(authors=4, sections=6, quotes=3, tags=["ISS", "NASA", "Russia"])
    for _ in range(4):
        MoreOnLinkFactory(article=article)
    MoreOnLinkFactory(article=article, target=None, url="https://nasa.gov/", title="NASA")
    # Rendered and stored by this first reader (tests/test_rendering.py pins the stored
    # path): 18, of which the sections' figures are one prefetch (tests/test_images.py
    # pins pages with photos).
    with django_assert_max_num_queries(18):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<blockquote") == 6 * 3 + 1
    assert content.count('class="more-on"') == 5


def test_the_article_says_how_long_it_takes_to_read(client):
    article = ArticleFactory(headline="Soyuz lands")
    section = SectionFactory(article=article, body=" ".join(["word"] * 400))
    QuoteFactory(article=article, section=section, text=" ".join(["said"] * 77))
    # 477 words at 238 a minute, rounded up: the editor's form counts the same.
    assert (
        '<span class="reading-time">3 min read</span>'
        in client.get(article.get_absolute_url()).content.decode()
    )

    wordless = ArticleFactory(headline="Photo of the day")
    SectionFactory(article=wordless, body="")
    assert "min read" not in client.get(wordless.get_absolute_url()).content.decode()
