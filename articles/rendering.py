"""Articles rendered ahead of readers.

An article's card, body, tags and page facts are rendered when the article or anything
it shows changes, and stored in its RenderedArticle row; a page then puts stored HTML
together instead of fetching ten kinds of rows and rendering them for every reader.

- Any change a row depends on deletes it in the writer's own transaction, so readers
  never see a stale one; the writer renders it again when its transaction commits.
- A page that finds no current row renders the article live from the same templates
  and the same facts, so the output is the same either way, only slower.
- "Current" means rendered by the templates, code and settings running now (the
  template key) and, when the body leaves out a More-on link to an article scheduled
  for later, before that article comes out.
"""

import hashlib
import logging
from pathlib import Path

import django
from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from taggit.models import Tag, TaggedItem

from . import metadata
from .freshness import mark_content_changed
from .models import (
    Article,
    Author,
    Byline,
    Category,
    Correction,
    Figure,
    Image,
    MoreOnLink,
    Quote,
    RenderedArticle,
    Section,
)

logger = logging.getLogger(__name__)

PART_NAMES = ("card", "lead_card", "body", "tags", "feed", "facts")
# Renders that one commit waits for; a tag or category with more articles than this
# leaves the older ones to render live until `manage.py render_articles` runs.
COMMIT_RENDER_LIMIT = 500
APP_DIR = Path(__file__).resolve().parent
# Settings whose values end up in the stored HTML.
RENDER_SETTINGS = ("TIME_ZONE", "USE_TZ", "LANGUAGE_CODE", "MEDIA_URL", "SITE_NAME")

_template_key = {}


def template_key():
    """A digest of everything that decides the stored HTML besides the content."""
    if "key" not in _template_key:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{django.get_version()}|{settings.NEWSROOM_RELEASE}".encode())
        for name in RENDER_SETTINGS:
            digest.update(f"{name}={getattr(settings, name)!r}".encode())
        template_dirs = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
        sources = [
            *(path for folder in template_dirs for path in folder.rglob("*.html")),
            *APP_DIR.glob("*.py"),
            *APP_DIR.glob("templatetags/*.py"),
        ]
        # Relative names: servers that install the same release in different folders
        # must agree on the key.
        for name, path in sorted((_relative(path), path) for path in sources):
            digest.update(name.encode())
            digest.update(path.read_bytes())
        _template_key["key"] = digest.hexdigest()
    return _template_key["key"]


def _relative(path):
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return path.name


def _forget_template_key(setting, **kwargs):
    if setting in RENDER_SETTINGS or setting in ("TEMPLATES", "NEWSROOM_RELEASE"):
        _template_key.clear()


setting_changed.connect(_forget_template_key, dispatch_uid="rendering-template-key")


class Parts:
    """An article's stored (or just rendered) HTML parts and facts."""

    def __init__(self, **parts):
        for name in PART_NAMES:
            value = parts.get(name)
            # HTML made by the templates below, which escape what editors wrote.
            setattr(self, name, mark_safe(value) if value and name != "facts" else value)


RENDERERS = {
    "card": lambda article: render_to_string(
        "includes/article_card.html", {"article": article, "lead": False}
    ),
    "lead_card": lambda article: render_to_string(
        "includes/article_card.html", {"article": article, "lead": True}
    ),
    "body": lambda article: render_to_string("includes/article_body.html", {"article": article}),
    "tags": lambda article: render_to_string("includes/article_tags.html", {"article": article}),
    "feed": lambda article: render_to_string("feeds/article_content.html", {"article": article}),
    "facts": metadata.article_facts,
}
# Parts a card-only query (for_listing()) can't render: they need with_body().
BODY_PARTS = {"body", "tags", "feed", "facts"}


def render(article, names=PART_NAMES):
    """The named parts of an article fetched with for_listing(), plus with_body() for
    any of BODY_PARTS."""
    return Parts(**{name: RENDERERS[name](article) for name in names})


def stored(article, names=PART_NAMES):
    """The article's named parts if its stored ones are current, else None.

    `article` comes from a query that joined its row (Article.objects.with_parts()).
    """
    try:
        row = article.rendered
    except RenderedArticle.DoesNotExist:
        return None
    if row.template_key != template_key():
        return None
    if row.expires_at is not None and row.expires_at <= timezone.now():
        return None
    return Parts(**{name: getattr(row, name) for name in names})


def parts_for(articles, names=PART_NAMES):
    """{article pk: Parts}: stored when current, otherwise rendered now (and not stored).

    The articles come from Article.objects.with_parts(*names); however many are out of
    date, the live renders take a fixed number of queries. One deleted in between is
    left out.
    """
    found = {}
    for article in articles:
        parts = stored(article, names)
        if parts is not None:
            found[article.pk] = parts
    missing = [article.pk for article in articles if article.pk not in found]
    if missing:
        live = Article.objects.filter(pk__in=missing).for_listing()
        if BODY_PARTS.intersection(names):
            live = live.with_body()
        for article in live:
            found[article.pk] = render(article, names)
    return found


def refresh(article_ids, batch_size=200):
    """Render these articles from what is saved now, and store their parts."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), batch_size):
        store(ids[start : start + batch_size])
    if ids:
        # A render racing a change may have stored what the change replaced just before
        # this one stored the new: move the validators so no page built in between lasts.
        mark_content_changed()


def store(ids):
    """Render these articles and store their parts, leaving the validators alone."""
    key = template_key()
    now = timezone.now()
    with transaction.atomic():
        # A change to these articles committing meanwhile waits for this render, then
        # deletes its rows and renders them again after its own commit.
        list(Article.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        articles = Article.objects.filter(pk__in=ids).for_listing().with_body()
        due = dict(
            MoreOnLink.objects.filter(
                article_id__in=ids,
                target__status=Article.Status.PUBLISHED,
                target__published_at__gt=now,
            )
            .values("article_id")
            .annotate(due=Min("target__published_at"))
            .values_list("article_id", "due")
        )
        rows = []
        for article in articles:
            parts = render(article)
            rows.append(
                RenderedArticle(
                    article_id=article.pk,
                    template_key=key,
                    expires_at=due.get(article.pk),
                    **{name: getattr(parts, name) for name in PART_NAMES},
                )
            )
        RenderedArticle.objects.filter(article_id__in=ids).delete()
        RenderedArticle.objects.bulk_create(rows)


def refresh_all(batch_size=200, progress=None):
    """Render every article whose stored parts are missing or out of date; returns how many."""
    current = RenderedArticle.objects.filter(template_key=template_key()).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )
    ids = list(
        Article.objects.exclude(pk__in=current.values("article_id"))
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch_size):
        store(ids[start : start + batch_size])
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids))
    if ids:
        mark_content_changed()
    return len(ids)


# Keeping the rows current: every write path (admin, shell, load_demo, revision
# restores) saves through the ORM and sends these signals.


def invalidate(articles):
    """Delete the stored parts of these articles (ids, or an Article queryset) now, and
    render them again when the current transaction commits."""
    if hasattr(articles, "values_list"):
        ids = list(articles.order_by("-published_at").values_list("pk", flat=True))
    else:
        ids = [pk for pk in articles if pk is not None]
    if not ids:
        return
    RenderedArticle.objects.filter(article_id__in=ids).delete()
    # Insertion-ordered: the newest articles are rendered first.
    _pending_ids().update(dict.fromkeys(ids))
    # Robust: the change is committed by then; a failure is logged and the page renders
    # live until `manage.py render_articles` runs.
    transaction.on_commit(_render_pending, robust=True)


def _pending_ids():
    # Kept on the thread's own connection, whose transaction the ids belong to.
    wrapper = transaction.get_connection()
    if not hasattr(wrapper, "render_pending"):
        wrapper.render_pending = {}
    return wrapper.render_pending


def _render_pending():
    pending = _pending_ids()
    ids = list(pending)
    pending.clear()
    if len(ids) > COMMIT_RENDER_LIMIT:
        logger.info(
            "%d articles left to render live until `manage.py render_articles` runs.",
            len(ids) - COMMIT_RENDER_LIMIT,
        )
    refresh(ids[:COMMIT_RENDER_LIMIT])


def _article_changed(sender, instance, **kwargs):
    # Its own parts, and the More-on links elsewhere that show its headline or hide it.
    linking = MoreOnLink.objects.filter(target=instance).values_list("article_id", flat=True)
    invalidate([instance.pk, *linking])


def _part_changed(sender, instance, **kwargs):
    invalidate([instance.article_id])


def _tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in ("post_add", "post_remove", "post_clear"):
        invalidate([instance.pk])


def _tag_changed(sender, instance, created=False, **kwargs):
    if not created:
        invalidate(Article.objects.filter(tags=instance))


def _category_changed(sender, instance, created=False, **kwargs):
    if not created:
        invalidate(Article.objects.filter(category=instance))


def _author_changed(sender, instance, created=False, **kwargs):
    if not created:
        invalidate(Article.objects.filter(bylines__author=instance))


def _image_changed(sender, instance, created=False, **kwargs):
    if not created:
        shown = (
            Q(lead_image=instance)
            | Q(figures__image=instance)
            | Q(bylines__author__portrait=instance)
        )
        invalidate(Article.objects.filter(shown))


for model, receiver in [
    (Article, _article_changed),
    (Byline, _part_changed),
    (Section, _part_changed),
    (Quote, _part_changed),
    (Figure, _part_changed),
    (MoreOnLink, _part_changed),
    (Correction, _part_changed),
]:
    post_save.connect(receiver, sender=model, dispatch_uid=f"render-save-{model.__name__}")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"render-delete-{model.__name__}")
m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid="render-tags")
for model, receiver in [
    (Tag, _tag_changed),
    (Category, _category_changed),
    (Author, _author_changed),
    (Image, _image_changed),
]:
    post_save.connect(receiver, sender=model, dispatch_uid=f"render-save-{model.__name__}")
    pre_delete.connect(receiver, sender=model, dispatch_uid=f"render-delete-{model.__name__}")
