import datetime
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Block, Category, MoreOnLink

from .factories import (
    ArticleFactory,
    CategoryFactory,
    MoreOnLinkFactory,
    SectionFactory,
    TextBlockFactory,
)

pytestmark = pytest.mark.django_db


def test_published_includes_only_articles_whose_time_has_come():
    visible = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(minutes=5))
    ArticleFactory(status=Article.Status.DRAFT, published_at=timezone.now())

    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_becomes_visible_when_its_time_comes():
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert article.is_scheduled
    assert not Article.objects.published().exists()

    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert list(Article.objects.published()) == [article]


def test_publishing_without_a_time_publishes_now():
    article = ArticleFactory(published_at=None)
    assert article.published_at is not None
    assert article.published_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_slug_is_made_from_the_headline_and_kept_unique():
    first = ArticleFactory(headline="Soyuz Lands in Kazakhstan!", slug="")
    second = ArticleFactory(headline="Soyuz lands in Kazakhstan", slug="")
    assert first.slug == "soyuz-lands-in-kazakhstan"
    assert second.slug == "soyuz-lands-in-kazakhstan-2"


def test_an_edited_slug_is_kept():
    article = ArticleFactory(headline="Anything", slug="chosen-by-the-editor")
    article.refresh_from_db()
    assert article.slug == "chosen-by-the-editor"


def test_duplicate_slug_is_refused_by_the_database():
    ArticleFactory(slug="taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="taken")


def test_category_slug_cannot_shadow_a_site_route():
    category = Category(name="Tags", slug="tags")
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert "used by the site itself" in str(error.value)


@pytest.mark.parametrize(
    ("target", "url", "title"),
    [
        ("article", "https://example.com/", "Both at once"),
        (None, "", ""),
        (None, "https://example.com/", ""),
    ],
    ids=["both-targets", "no-target", "url-without-title"],
)
def test_more_on_link_needs_exactly_one_target(target, url, title):
    article = ArticleFactory()
    link = MoreOnLink(
        article=article,
        topic="the ISS",
        target=ArticleFactory() if target else None,
        url=url,
        title=title,
    )
    with pytest.raises(ValidationError):
        link.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_more_on_link_to_an_internal_article_or_an_external_url_is_valid():
    internal = MoreOnLinkFactory()
    external = MoreOnLinkFactory(target=None, url="https://nasa.gov/", title="NASA")
    for link in (internal, external):
        link.full_clean()
    assert internal.link_title == internal.target.headline
    assert internal.link_url == internal.target.get_absolute_url()
    assert external.link_url == "https://nasa.gov/"


def test_more_on_link_cannot_point_at_its_own_article():
    article = ArticleFactory()
    link = MoreOnLink(article=article, topic="itself", target=article)
    with pytest.raises(ValidationError):
        link.full_clean()


def test_a_block_must_be_placed_in_a_section_of_its_own_article():
    article = ArticleFactory()
    foreign_section = SectionFactory()
    quote = Block(
        article=article, section=foreign_section, kind="quote", text="Hello", speaker="Someone"
    )
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "section" in error.value.message_dict


def test_quote_needs_a_speaker():
    quote = Block(article=ArticleFactory(), kind="quote", text="Words")
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert list(error.value.message_dict) == ["speaker"]


def test_only_a_quote_stands_outside_the_sections():
    text = Block(article=ArticleFactory(), kind="text", body="Loose text.")
    with pytest.raises(ValidationError) as error:
        text.full_clean()
    assert list(error.value.message_dict) == ["kind"]


def test_the_database_refuses_a_block_without_its_content():
    section = SectionFactory(body="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=section.article, section=section, kind="photo")


def test_a_block_switched_to_another_kind_keeps_only_that_kinds_fields():
    block = TextBlockFactory(body="Some *text*.")
    block.kind, block.text, block.speaker = "quote", "Words.", "Someone"
    block.save()
    block.refresh_from_db()
    assert (block.body, block.body_html, block.text) == ("", "", "Words.")


def test_text_markdown_is_rendered_at_save_time():
    block = TextBlockFactory(body="A *quick* paragraph.\n\n- one\n- two\n\n> Said once")
    assert "<em>quick</em>" in block.body_html
    assert "<li>one</li>" in block.body_html
    assert "<blockquote>" in block.body_html


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(markup):
    collector = ElementCollector()
    collector.feed(markup)
    return collector.elements


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox(1))",
        '<p onclick="alert(1)">hi</p>',
        "<iframe src=https://evil.example/></iframe>",
        '[x](https://ok.example/ "t" onmouseover=alert(1))',
    ],
)
def test_text_html_never_carries_script(body):
    block = TextBlockFactory(body=body)
    for tag, attrs in elements(block.body_html):
        assert tag not in {"script", "img", "iframe", "style"}
        assert not any(name.startswith("on") for name in attrs)
        href = attrs.get("href", "https://")
        assert href.split(":")[0] in {"http", "https", "mailto"}


def test_safe_markdown_keeps_its_links():
    block = TextBlockFactory(body="See [NASA](https://www.nasa.gov/) or [mail](mailto:a@b.c).")
    hrefs = [attrs["href"] for tag, attrs in elements(block.body_html) if tag == "a"]
    assert hrefs == ["https://www.nasa.gov/", "mailto:a@b.c"]


def test_markdown_headings_stay_below_the_section_subheading():
    block = TextBlockFactory(body="# Big\n\n## Smaller")
    assert "<h1>" not in block.body_html
    assert "<h2>" not in block.body_html
    assert "<h3>Big</h3>" in block.body_html


def test_category_cannot_be_deleted_while_it_has_articles():
    category = CategoryFactory()
    ArticleFactory(category=category)
    with pytest.raises(IntegrityError), transaction.atomic():
        category.delete()
