"""The change map (articles/delivery/changes.py): every model readers see is declared once,
and one commit brings everything derived from it up to date, once."""

import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.delivery import changes
from articles.models import Article, Author, ContentVersion

from .factories import ArticleFactory, CategoryFactory, ImageFactory, SectionFactory
from .helpers import form_data

pytestmark = pytest.mark.django_db


def models_on_paths(model, queryset):
    """Every model a queryset's joins and prefetches read, starting from `model`."""
    found = {model}
    query = queryset.query
    if isinstance(query.select_related, dict):
        found |= _select_related_models(model, query.select_related)
    for lookup in queryset._prefetch_related_lookups:
        path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        current = model
        for name in path.split("__"):
            field = current._meta.get_field(name)
            if field.many_to_many:
                through = getattr(field, "through", None) or field.remote_field.through
                found.add(through if not isinstance(through, str) else None)
            current = field.related_model
            found.add(current)
        if isinstance(lookup, Prefetch) and lookup.queryset is not None:
            found |= models_on_paths(current, lookup.queryset)
    found.discard(None)
    return found


def _select_related_models(model, tree):
    found = set()
    for name, subtree in tree.items():
        related = model._meta.get_field(name).related_model
        found |= {related, *_select_related_models(related, subtree)}
    return found


def public_models():
    """The models whose rows reach a public page: the article page's and the cards'
    queries, the author page's, and the navigation's categories and the tag pages' tags."""
    article_page = Article.objects.for_listing().with_body()
    author_page = Author.objects.with_portrait()
    found = models_on_paths(Article, article_page) | models_on_paths(Author, author_page)
    from taggit.models import Tag

    from articles.models import Category

    return found | {Category, Tag}


def test_every_model_readers_see_is_in_the_change_map():
    missing = {model.__name__ for model in public_models()} - {
        model.__name__ for model in changes.BY_MODEL
    }
    assert not missing, (
        f"Declare {', '.join(sorted(missing))} in articles/delivery/changes.py: pages showing "
        "its rows would stay stale after a change."
    )


def test_the_map_test_sees_the_parts_the_article_page_reads():
    names = {model.__name__ for model in public_models()}
    for part in ["Section", "Block", "Byline", "MoreOnLink", "Correction"]:
        assert part in names
    assert {"Image", "Rendition", "Tag", "TaggedItem", "Author", "Category"} <= names


def test_revisions_follow_every_article_part():
    import reversion

    follow = set(reversion.revisions._get_options(Article).follow)
    parts = [d.model for d in changes.DEPENDENCIES if d.is_article_part]
    assert follow == {m._meta.get_field("article").remote_field.related_name for m in parts}


def content_clock_moves(queries):
    return sum(
        1
        for query in queries.captured_queries
        if re.match(r'\s*UPDATE "articles_contentversion"', query["sql"])
    )


def test_one_admin_save_moves_the_validators_once(editor_client, committed):
    with committed():
        article = ArticleFactory(sections=2, quotes=1, tags=["ISS"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = form_data(editor_client.get(url))
    form["headline"] = "Soyuz lands safely"
    form["sections-0-blocks-0-body"] = "The capsule landed at dawn."
    form["tags"] = "ISS, Soyuz"
    with CaptureQueriesContext(connection) as queries, committed():
        assert editor_client.post(url, form).status_code == 302
    assert content_clock_moves(queries) == 1
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Soyuz lands safely" in page and "The capsule landed at dawn." in page


def test_a_new_category_moves_the_validators_though_no_article_shows_it(client, committed):
    with committed():
        ArticleFactory()
    etag = client.get("/")["ETag"]
    with committed():
        CategoryFactory(name="Climate", slug="climate")
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert ">Climate<" in response.content.decode()


def test_a_rolled_back_change_leaves_nothing_pending_that_blocks_the_next(client, committed):
    with committed():
        article = ArticleFactory(headline="Before")
    # Kept in the page cache until a commit moves the validators. Uncached, the page would
    # render live and show "After" even if that commit brought nothing up to date.
    assert "Before" in client.get(article.get_absolute_url()).content.decode()
    try:
        with transaction.atomic():
            article.headline = "Rolled back"
            article.save()
            raise RuntimeError
    except RuntimeError:
        pass
    with committed():
        article.refresh_from_db()
        article.headline = "After"
        article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "After" in page and "Rolled back" not in page


def test_the_navigation_is_read_once_on_a_page_that_is_not_public(editor_client, committed):
    with committed():
        draft = ArticleFactory(status=Article.Status.DRAFT)
        CategoryFactory.create_batch(3)
    url = reverse("admin:articles_article_preview", args=[draft.pk])
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(url).status_code == 200
    navigation = [
        query
        for query in queries.captured_queries
        if re.search(r'FROM "articles_category"\s+ORDER BY', query["sql"])
    ]
    assert len(navigation) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_a_save_does_not_wait_for_another_editors_photo_encoding():
    """Two real connections: one editor's upload holds its transaction open while Pillow
    encodes; another editor's article save commits meanwhile."""
    article = ArticleFactory(headline="Before")
    uploading, may_finish, errors = threading.Event(), threading.Event(), []

    def upload():
        try:
            with transaction.atomic():
                ImageFactory(size=(1600, 1200))
                uploading.set()
                # Still inside the uploader's transaction, as an encoding is.
                may_finish.wait(10)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            uploading.set()
            connections.close_all()

    uploader = threading.Thread(target=upload)
    uploader.start()
    try:
        assert uploading.wait(30)
        with connection.cursor() as cursor:
            # Waiting on the uploader's locks would fail here, not hang the suite.
            cursor.execute("SET lock_timeout = '3s'")
        before = ContentVersion.objects.filter(pk=1).values_list("changed_at", flat=True).first()
        article.headline = "Saved while a photo was being encoded"
        article.save()
        assert ContentVersion.objects.get(pk=1).changed_at != before
        assert SectionFactory(article=article).pk
    finally:
        may_finish.set()
        uploader.join(30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert not errors
