"""The change map: which articles each model's change affects, and the one step after a
commit that brings everything derived from them up to date.

Readers see three kinds of derived data: each article's stored parts (rendered.py), its
search document (articles/search.py), and the site's validators, which are also the page
cache's generation (validators.py). A change to any row in DEPENDENCIES:

1. inside the writer's transaction, deletes the stored parts of the articles it affects,
   so no reader is served a part the change made stale (pages render those live);
2. once the transaction commits, and once per transaction however many rows it changed,
   stores those articles' parts again, refreshes the search documents of those whose text
   it touched, and then moves the validators, so every page changes at that moment.

A new model whose rows reach a public page is declared here, once: tests/test_changes.py
fails while one is missing. Article parts (the inlines of the article form) are also
followed by revisions, so restoring a revision restores them.
"""

import logging
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from taggit.models import Tag, TaggedItem

from .. import search
from ..models import (
    SEARCH_DOCUMENT_FIELDS,
    Article,
    Author,
    Block,
    Byline,
    Category,
    Correction,
    Image,
    MoreOnLink,
    Rendition,
    Section,
)
from . import rendered, validators

logger = logging.getLogger(__name__)

# Renders that one commit waits for; a tag or category with more articles than this
# leaves the older ones to be rendered by their first reader (or `render_articles`).
COMMIT_RENDER_LIMIT = 500


@dataclass(frozen=True)
class Dependency:
    model: type
    # The ids of the articles a change to `row` affects, or an Article queryset of them.
    affects: object
    # Whether the row's text is part of those articles' search documents.
    is_searched: bool = False
    # Whether it is a part of the article, edited on its form and kept in its revisions.
    is_article_part: bool = False


def _the_article_and_those_linking_to_it(article):
    # More-on links elsewhere show its headline, or hide it while it is not public.
    linking = MoreOnLink.objects.filter(target=article).values_list("article_id", flat=True)
    return [article.pk, *linking]


def _its_article(part):
    return [part.article_id]


DEPENDENCIES = [
    Dependency(Article, _the_article_and_those_linking_to_it, is_searched=True),
    Dependency(Byline, _its_article, is_article_part=True),
    Dependency(Section, _its_article, is_searched=True, is_article_part=True),
    Dependency(Block, _its_article, is_searched=True, is_article_part=True),
    Dependency(MoreOnLink, _its_article, is_article_part=True),
    Dependency(Correction, _its_article, is_article_part=True),
    # The navigation shows every category, so a new one changes every page (through the
    # validators) though it affects no article yet.
    Dependency(Category, lambda category: Article.objects.filter(category=category)),
    Dependency(Author, lambda author: Article.objects.filter(bylines__author=author)),
    # A new caption, credit, alt text or focal point shows wherever the image does.
    Dependency(Image, lambda image: Article.objects.showing_image(image)),
    # Renditions are made in bulk while their image is saved (noted above); those deleted
    # on their own (`generate_renditions`, a new crop) are noted here.
    Dependency(Rendition, lambda rendition: Article.objects.showing_image(rendition.image_id)),
    Dependency(Tag, lambda tag: Article.objects.filter(tags=tag), is_searched=True),
    # Tagging an article saves or deletes these rows, one by one.
    Dependency(TaggedItem, lambda item: [item.object_id], is_searched=True),
]
BY_MODEL = {dependency.model: dependency for dependency in DEPENDENCIES}


def article_ids(affected):
    if hasattr(affected, "values_list"):
        # Newest first: they are rendered first, and come first within the limit.
        return list(affected.order_by("-published_at").values_list("pk", flat=True))
    return [pk for pk in affected if pk is not None]


def changed(dependency, row):
    """Note that `row` changed (saved, or about to be deleted) in this transaction."""
    articles_changed(article_ids(dependency.affects(row)), is_searched=dependency.is_searched)


def articles_changed(ids, is_searched=True):
    """Note that these articles changed in this transaction (writes that send no signals,
    such as bulk ones, say so here); with no ids, that something else readers see did."""
    ids = [pk for pk in ids if pk is not None]
    pending = _pending()
    if ids:
        # Inside the writer's transaction: from its commit on, no reader gets these.
        rendered.RenderedArticle.objects.filter(article_id__in=ids).delete()
        pending["render"].update(dict.fromkeys(ids))
        if is_searched:
            pending["search"].update(ids)
    pending["changed"] = True
    # One callback per change: one registered in a savepoint that rolls back is dropped
    # with it. The first to run does the work of all; the others find nothing left. What
    # a rolled-back transaction left pending is done with the next commit, which is
    # harmless: it only rereads what is saved. Robust: the change is committed by then; a
    # failure is logged, the articles are rendered by their first readers, and the
    # validators move all the same.
    transaction.on_commit(bring_up_to_date, robust=True)


def _pending():
    # Kept on the thread's own connection, whose transaction the changes belong to.
    wrapper = transaction.get_connection()
    if not hasattr(wrapper, "newsroom_pending_changes"):
        wrapper.newsroom_pending_changes = _empty()
    return wrapper.newsroom_pending_changes


def _empty():
    return {"render": {}, "search": set(), "changed": False}


def bring_up_to_date():
    """After a commit: store the affected articles' parts, refresh their search documents,
    then move the validators, once."""
    wrapper = transaction.get_connection()
    pending = getattr(wrapper, "newsroom_pending_changes", None) or _empty()
    if not pending["changed"]:
        return
    wrapper.newsroom_pending_changes = _empty()
    ids = list(pending["render"])
    try:
        if len(ids) > COMMIT_RENDER_LIMIT:
            logger.info(
                "%d articles left for their first readers to render.",
                len(ids) - COMMIT_RENDER_LIMIT,
            )
        for start in range(0, min(len(ids), COMMIT_RENDER_LIMIT), 200):
            rendered.store(ids[start : min(start + 200, COMMIT_RENDER_LIMIT)])
        search.refresh(pending["search"])
    finally:
        # Last, so no page cached before it holds what the renders replaced.
        validators.move_generation()


def _saved(sender, instance, **kwargs):
    changed(BY_MODEL[sender], instance)


def _deleting(sender, instance, **kwargs):
    # Before the delete: afterwards the rows that say which articles showed it are gone.
    changed(BY_MODEL[sender], instance)


def connect():
    """Connect the map's receivers and register the article's revisions (apps.py)."""
    for dependency in DEPENDENCIES:
        model = dependency.model
        post_save.connect(_saved, sender=model, dispatch_uid=f"changes-save-{model.__name__}")
        pre_delete.connect(_deleting, sender=model, dispatch_uid=f"changes-del-{model.__name__}")
    register_revisions()


def register_revisions():
    """Revisions record an article with every part edited on its page. The lock token is
    left out (restoring a revision must never move it backwards), and so is the search
    document, which is derived again after a restore."""
    parts = [d.model for d in DEPENDENCIES if d.is_article_part]
    for model in parts:
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Article):
        reversion.register(
            Article,
            follow=[model._meta.get_field("article").remote_field.related_name for model in parts],
            exclude=["version", *SEARCH_DOCUMENT_FIELDS],
        )
