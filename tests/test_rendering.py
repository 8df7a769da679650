"""Articles rendered ahead of readers (articles/rendered.py): pages built from stored parts
say exactly what a live render says, and no change a reader could see leaves one stale."""

import datetime
import io
import shutil
import time
from pathlib import Path

import feedparser
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import OperationalError
from django.test.signals import template_rendered
from django.utils import timezone

from articles.delivery import rendered
from articles.models import Article, Correction, RenderedArticle

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    FigureFactory,
    ImageFactory,
    MoreOnLinkFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(committed):
    with committed():
        article = ArticleFactory(
            headline="Soyuz lands in Kazakhstan",
            category=CategoryFactory(slug="space", name="Space"),
            authors=[AuthorFactory(name="Dana Whitfield", slug="dana", portrait=ImageFactory())],
            tags=["ISS", "NASA"],
            sections=2,
            quotes=2,
            lead_image=ImageFactory(),
        )
        FigureFactory(section=article.sections.first())
        MoreOnLinkFactory(article=article, target=ArticleFactory(headline="Crew rotation"))
        Correction.objects.create(article=article, text="The landing was at dawn.")
    return article


def pages(article):
    return ["/", article.get_absolute_url(), "/space/", "/tags/iss/", "/authors/dana/"]


def stored_row(article):
    return RenderedArticle.objects.filter(article=article).first()


def test_a_committed_change_stores_the_articles_parts(article):
    row = stored_row(article)
    assert row is not None
    assert row.template_key == rendered.render_key()
    assert "Soyuz lands in Kazakhstan" in row.card and "Soyuz lands in Kazakhstan" in row.body
    assert 'rel="tag">ISS</a>' in row.tags
    assert row.facts["authors"] == [["Dana Whitfield", "/authors/dana/"]]


@pytest.mark.parametrize("page", range(5))
def test_stored_parts_make_the_same_page_as_a_live_render(client, article, page):
    url = pages(article)[page]
    stored = client.get(url)
    RenderedArticle.objects.all().delete()
    live = client.get(url)
    assert stored.status_code == live.status_code == 200
    assert stored.content == live.content


def test_pages_from_stored_parts_run_a_few_queries(
    client, article, committed, django_assert_num_queries, settings
):
    settings.NEWSROOM_PAGE_CACHE = False
    with committed():
        for _ in range(25):
            ArticleFactory(category=article.category, authors=[article.authors.first()])
    # The navigation is read once per change of content, here by the first page.
    client.get(pages(article)[0])
    # The validators, the articles with their stored parts; category and tag pages look
    # their category or tag up, the author page its author and portrait.
    budgets = [2, 2, 3, 3, 4]
    for url, budget in zip(pages(article), budgets, strict=True):
        with django_assert_num_queries(budget):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/feeds/tag/iss/rss/"])
def test_feeds_from_stored_parts_run_a_few_queries(
    client, article, committed, django_assert_max_num_queries, url
):
    with committed():
        for _ in range(25):
            ArticleFactory(category=article.category, tags=["ISS"], sections=2, quotes=1)
    # The validators and the items; a tag feed looks its tag up first.
    with django_assert_max_num_queries(3 if "/tag/" in url else 2):
        response = client.get(url)
    assert response.status_code == 200
    entries = feedparser.parse(response.content).entries
    assert len(entries) == 20
    assert all(entry.content[0].value.count("<h2>") == 2 for entry in entries)


def test_readers_never_see_a_stale_part_before_the_render_after_commit(client, article):
    # Inside the writer's transaction (no commit, so no render yet) the stored row is
    # already gone and pages render live.
    article.headline = "Soyuz lands early"
    article.save()
    assert stored_row(article) is None
    for url in pages(article):
        assert "Soyuz lands early" in client.get(url).content.decode()


def assert_everywhere(client, article, text, present=True):
    assert stored_row(article) is not None, "the change left the article unrendered"
    for url in pages(article):
        content = client.get(url).content.decode()
        assert (text in content) is present, f"{text!r} {'missing from' if present else 'on'} {url}"


def test_a_renamed_author_category_or_tag_is_rendered_again(client, article, committed):
    # One commit each: any of them renders the article again, and so would hide another
    # that didn't.
    with committed():
        author = article.authors.get()
        author.name = "Dana W. Whitfield"
        author.save()
    assert_everywhere(client, article, "Dana W. Whitfield")
    with committed():
        article.category.name = "Space and Science"
        article.category.save()
    # The navigation names every category afresh; the kicker is part of the stored parts.
    assert_everywhere(client, article, '<a href="/space/">Space and Science</a></p>')
    with committed():
        tag = article.tags.get(name="ISS")
        tag.name = "International Space Station"
        tag.save()
    content = client.get(article.get_absolute_url()).content.decode()
    assert ">International Space Station</a>" in content
    assert '"keywords": ["International Space Station", "NASA"]' in content


def test_a_changed_photo_is_rendered_again(client, article, committed):
    # One commit each: a new crop renders the article again, and so would hide a new alt
    # text that didn't.
    with committed():
        image = article.lead_image
        image.alt_text = "The capsule under its parachute."
        image.save()
    content = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="The capsule under its parachute."' in content
    with committed():
        portrait = article.authors.get().portrait
        portrait.focal_x = 0.1
        portrait.save()
    content = client.get(article.get_absolute_url()).content.decode()
    avatar = portrait.rendition("avatar")
    assert avatar.url in content
    assert stored_row(article).body.count(avatar.url) >= 1


def test_an_edited_part_is_rendered_again(client, article, committed):
    # One commit each: any of them renders the article again, and so would hide another
    # that didn't.
    with committed():
        text = article.sections.first().blocks.first()
        text.body = "A brand new **paragraph**."
        text.save()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "A brand new <strong>paragraph</strong>." in content
    with committed():
        Correction.objects.create(article=article, text="A second correction.")
    assert "A second correction." in client.get(article.get_absolute_url()).content.decode()
    with committed():
        article.tags.add("Soyuz")
    assert 'rel="tag">Soyuz</a>' in client.get(article.get_absolute_url()).content.decode()


def test_a_more_on_target_that_changes_is_rendered_again_where_it_is_linked(
    client, article, committed
):
    target = article.more_on_links.get().target
    with committed():
        target.headline = "Crew rotation, explained"
        target.save()
    assert "Crew rotation, explained" in client.get(article.get_absolute_url()).content.decode()
    with committed():
        target.status = Article.Status.UNPUBLISHED
        target.save()
    assert_everywhere(client, article, "Crew rotation", present=False)


def test_a_link_to_a_scheduled_article_appears_once_it_is_due(client, article, committed):
    due = timezone.now() + datetime.timedelta(seconds=1.5)
    with committed():
        target = ArticleFactory(headline="Next launch", published_at=due)
        MoreOnLinkFactory(article=article, topic="Soyuz", target=target)
    assert stored_row(article).expires_at == due
    assert "Next launch" not in client.get(article.get_absolute_url()).content.decode()
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.05)
    assert "Next launch" in client.get(article.get_absolute_url()).content.decode()


def test_parts_made_by_an_older_release_are_rendered_again_by_their_first_reader(client, article):
    """After a deploy that changes the templates, nobody has to remember a command."""
    RenderedArticle.objects.filter(article=article).update(
        body="<p>Old template</p>", template_key="made-by-an-older-release"
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Old template" not in content
    assert "Soyuz lands in Kazakhstan" in content
    assert stored_row(article).template_key == rendered.render_key()
    assert "Old template" not in stored_row(article).body


def test_a_new_photo_domain_renders_the_stored_parts_again(client, article, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"base_url": "https://photos.example.org/"},
        },
    }
    for url in [article.get_absolute_url(), "/"]:
        content = client.get(url).content.decode()
        assert 'srcset="https://photos.example.org/renditions/' in content
        assert "/media/renditions/" not in content


def test_the_render_key_follows_the_part_templates_and_nothing_else(tmp_path, settings):
    source = Path(settings.BASE_DIR) / "templates"
    shutil.copytree(source, tmp_path / "templates")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]
    key = rendered.render_key()
    # A page's shell is no part: stored parts stay good when it changes.
    (tmp_path / "templates" / "base.html").write_text(
        (source / "base.html").read_text() + "<!-- a comment -->"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]
    assert rendered.render_key() == key
    card = tmp_path / "templates" / "includes" / "article_card.html"
    card.write_text(card.read_text() + "<!-- a comment -->")
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]
    assert rendered.render_key() != key
    assert not [name for name, _ in rendered.part_sources() if "admin" in name]


def test_every_template_the_parts_use_is_in_the_render_key(article):
    used = []

    def note(sender, template, **kwargs):
        used.append(template.origin.template_name)

    template_rendered.connect(note)
    try:
        full = Article.objects.filter(pk=article.pk).for_listing().with_body().get()
        rendered.render_parts(full)
    finally:
        template_rendered.disconnect(note)
    assert used
    assert set(used) <= set(rendered.part_templates())


def test_the_system_check_counts_articles_with_outdated_parts(article):
    RenderedArticle.objects.filter(article=article).update(template_key="older")
    out = io.StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=out)
    assert "1 article(s) have no stored parts from the running templates" in out.getvalue()
    call_command("render_articles", verbosity=0)
    out = io.StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=out)
    assert "articles.W001" not in out.getvalue()


def test_a_page_is_rendered_live_when_its_parts_cannot_be_stored(client, article, monkeypatch):
    """SQLite busy with a writer, say: the reader's page goes out all the same."""
    expected = client.get(article.get_absolute_url()).content
    RenderedArticle.objects.all().delete()
    caches["default"].clear()

    def database_is_locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(rendered, "store", database_is_locked)
    assert client.get(article.get_absolute_url()).content == expected
    assert stored_row(article) is None


def test_render_articles_renders_what_is_missing(article):
    RenderedArticle.objects.all().delete()
    call_command("render_articles", verbosity=0)
    assert RenderedArticle.objects.count() == Article.objects.count()
    call_command("render_articles", verbosity=0)
    assert stored_row(article).template_key == rendered.render_key()


def test_a_deleted_article_disappears_from_the_articles_that_linked_to_it(
    client, article, committed
):
    with committed():
        article.more_on_links.get().target.delete()
    assert_everywhere(client, article, "Crew rotation", present=False)
    assert stored_row(article) is not None


def test_new_sections_go_into_the_stored_body(client, article, committed):
    with committed():
        SectionFactory(article=article, position=9, subheading="Friends Forever")
    assert "Friends Forever" in stored_row(article).body
