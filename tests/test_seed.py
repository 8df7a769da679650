import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import search
from articles.demo import seed
from articles.models import (
    Article,
    Author,
    Block,
    Category,
    ContentVersion,
    MoreOnLink,
    Section,
)

from .factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def seed_articles(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seeded_articles_are_realistic_and_complete():
    out, err = seed_articles("--count", "120", "--batch-size", "50")
    assert "Created 120 articles" in out
    assert "[" + "#" * 30 + "] 120/120" in err
    articles = list(seed.seeded_articles().for_listing().with_body())
    assert len(articles) == 120
    assert all(article in Article.objects.published() for article in articles[:5])
    assert len({article.headline for article in articles}) > 110
    assert len({article.category_id for article in articles}) == len(seed.CATEGORIES)
    dates = [article.published_at for article in articles]
    assert max(dates) - min(dates) > timedelta(days=2 * 365)
    assert max(dates) <= timezone.now()
    for article in articles:
        assert 2 <= len(article.tags.all()) <= 5
        assert 1 <= len(article.byline_authors) <= 3
        assert article.sections.all()
        texts = article.blocks.filter(kind="text")
        assert texts and all(block.body_html.startswith("<p>") for block in texts)
        assert article.updated_at == article.published_at
        assert not article.is_updated
    assert Block.objects.filter(article__in=articles, kind="quote").exists()
    assert MoreOnLink.objects.filter(article__in=articles).exists()
    assert 250 <= len(seed.TAG_NAMES) <= 400


def test_seeded_articles_are_found_by_search_and_shown_on_pages(client):
    before = ContentVersion.objects.get(pk=1).changed_at
    seed_articles("--count", "30")
    assert ContentVersion.objects.get(pk=1).changed_at > before
    newest = seed.seeded_articles().order_by("-published_at").first()
    assert newest.headline in client.get(reverse("articles:list")).content.decode()
    assert client.get(newest.get_absolute_url()).status_code == 200
    assert newest in search.search(newest.headline)


def test_running_again_adds_articles_with_new_slugs():
    seed_articles("--count", "40")
    seed_articles("--count", "40")
    slugs = list(seed.seeded_articles().values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 80
    assert Category.objects.filter(slug__endswith="-seed").count() == len(seed.CATEGORIES)
    assert Author.objects.filter(slug__endswith="-seed").count() == len(seed.AUTHOR_NAMES)


def test_clear_removes_what_it_made_and_nothing_else(demo):
    # An editor's own work that touches seeded categories, authors and tags.
    seed_articles("--count", "60")
    category = Category.objects.get(slug="science-seed")
    author = Author.objects.get(slug=seed.seed_slug(seed.AUTHOR_NAMES[0]))
    own = ArticleFactory(
        headline="An editor's story", category=category, authors=[author, AuthorFactory()]
    )
    own.tags.add("NASA", Tag.objects.get(slug="kenya-seed"))
    MoreOnLink.objects.create(article=own, topic="more", target=seed.seeded_articles().first())
    others = {
        model: set(model.objects.exclude(pk__in=seed_rows(model)).values_list("pk", flat=True))
        for model in (Article, Section, Block, Category, Author, Tag)
    }

    search.rebuild()
    seeded_ids = list(seed.seeded_articles().values_list("pk", flat=True))

    out, _err = seed_articles("--clear")

    assert "Removed 60 seeded articles" in out
    assert not seed.seeded_articles().exists()
    for model, pks in others.items():
        assert pks <= set(model.objects.values_list("pk", flat=True)), model
    own.refresh_from_db()
    assert sorted(own.tags.names()) == ["Kenya", "NASA"]
    assert Category.objects.filter(slug__endswith="-seed").get() == category
    assert Author.objects.filter(slug__endswith="-seed").get() == author
    assert indexed(seeded_ids) == 0
    assert indexed([demo.pk, own.pk]) == 2
    assert Tag.objects.filter(slug__endswith="-seed").count() == 1


def indexed(ids):
    """How many of these articles the search index holds."""
    if connection.vendor == "sqlite":
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {search.FTS_TABLE} WHERE rowid IN ({placeholders})", ids
            )
            return cursor.fetchone()[0]
    return Article.objects.filter(pk__in=ids, search_vector__isnull=False).count()


def seed_rows(model):
    articles = seed.seeded_articles()
    return {
        Article: articles,
        Section: Section.objects.filter(article__in=articles),
        Block: Block.objects.filter(article__in=articles),
        Category: Category.objects.filter(slug__endswith="-seed"),
        Author: Author.objects.filter(slug__endswith="-seed"),
        Tag: Tag.objects.filter(slug__endswith="-seed"),
    }[model].values_list("pk", flat=True)


def test_nothing_to_do_is_an_error():
    with pytest.raises(CommandError, match="--count N"):
        seed_articles()
