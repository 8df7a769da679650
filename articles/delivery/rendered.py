"""Articles rendered ahead of readers.

An article's card, body, tags, feed item and page facts are rendered when the article or
anything it shows changes (changes.py says what affects what), and stored in its
RenderedArticle row; a page then puts stored HTML together instead of fetching ten kinds
of rows and rendering them for every reader.

- Any change a row depends on deletes it in the writer's own transaction, so readers
  never see a stale one; the writer renders it again once its transaction commits.
- "Current" means rendered by the templates, code and settings running now (the render
  key) and, when the body leaves out a More-on link to an article scheduled for later,
  before that article comes out.
- A page that finds no current row renders the article from the same templates and the
  same facts, so the output is the same either way, and stores it: after a deploy that
  changes the key, each article is rendered again by its first reader, with no command to
  remember (`manage.py render_articles` does them all at once).
"""

import hashlib
import importlib
import logging
from pathlib import Path

import django
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import metadata
from ..models import Article, MoreOnLink
from .models import RenderedArticle

logger = logging.getLogger(__name__)

PART_NAMES = ("card", "lead_card", "body", "tags", "feed", "facts")

# Part of the render key: bump it when the stored HTML changes for a reason the files
# below don't show (a model property the templates read, a library's output).
RENDER_VERSION = 3
# The parts are made from templates in these folders of the template directories only, and
# by these modules (tests/test_rendering.py checks that no other template is used).
PART_TEMPLATE_FOLDERS = ("includes", "feeds")
PART_MODULES = (
    "articles.delivery.rendered",
    "articles.embed_providers",
    "articles.embeds",
    "articles.metadata",
    "articles.photos.encoding",
    "articles.photos.models",
    "articles.reading",
    "articles.templatetags.pictures",
    "articles.templatetags.structured_data",
)
# Settings whose values end up in the stored HTML.
RENDER_SETTINGS = (
    "TIME_ZONE",
    "USE_TZ",
    "LANGUAGE_CODE",
    "MEDIA_URL",
    "SITE_NAME",
    "NEWSROOM_IMAGE_FORMATS",
)

_render_key = {}


def render_key():
    """A digest of everything besides the content that decides the stored HTML."""
    if "key" not in _render_key:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{RENDER_VERSION}|{django.get_version()}".encode())
        for name in RENDER_SETTINGS:
            digest.update(f"{name}={getattr(settings, name)!r}".encode())
        # The photo storage makes the image URLs (an object store's custom domain, say).
        digest.update(repr(settings.STORAGES.get("default")).encode())
        # Relative names: servers that install the same release in different folders
        # must agree on the key.
        for name, path in sorted(part_sources()):
            digest.update(name.encode())
            digest.update(path.read_bytes())
        _render_key["key"] = digest.hexdigest()
    return _render_key["key"]


def part_templates():
    """{template name: path} of every template the parts may be made from."""
    found = {}
    for engine in settings.TEMPLATES:
        for folder in map(Path, engine["DIRS"]):
            for sub in PART_TEMPLATE_FOLDERS:
                for path in (folder / sub).rglob("*.html"):
                    found.setdefault(str(path.relative_to(folder)), path)
    return found


def part_sources():
    """(relative name, path) of the templates and modules that make the parts."""
    sources = [(f"templates/{name}", path) for name, path in part_templates().items()]
    for module in PART_MODULES:
        path = Path(importlib.import_module(module).__file__)
        sources.append((module, path))
    return sources


def _forget_render_key(setting, **kwargs):
    if setting in RENDER_SETTINGS or setting in ("TEMPLATES", "STORAGES"):
        _render_key.clear()


setting_changed.connect(_forget_render_key, dispatch_uid="rendered-render-key")


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


def render_parts(article, names=PART_NAMES):
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
    if row.template_key != render_key():
        return None
    if row.expires_at is not None and row.expires_at <= timezone.now():
        return None
    return Parts(**{name: getattr(row, name) for name in names})


def parts_for(articles, names=PART_NAMES):
    """{article pk: Parts}: stored when current, otherwise rendered now (and not stored).

    The articles come from Article.objects.with_parts(*names); however many are out of
    date, they take a fixed number of queries. Those rendered now are stored too, unless
    the database is busy with them (another request or a writer is storing them). One
    deleted in between is left out.
    """
    found = {}
    for article in articles:
        parts = stored(article, names)
        if parts is not None:
            found[article.pk] = parts
    missing = [article.pk for article in articles if article.pk not in found]
    if missing:
        try:
            found.update(store(missing, skip_locked=True))
        except DatabaseError:
            # SQLite's "database is locked", say: this reader's page goes out all the same.
            logger.info("Stored parts of %d articles left for later.", len(missing), exc_info=True)
        still_missing = [pk for pk in missing if pk not in found]
        if still_missing:
            live = Article.objects.filter(pk__in=still_missing).for_listing()
            if BODY_PARTS.intersection(names):
                live = live.with_body()
            for article in live:
                found[article.pk] = render_parts(article, names)
    return found


def store(ids, skip_locked=False):
    """Render these articles and store their parts: {pk: Parts}. The validators stay: the
    parts are what a live render of the same content gives.

    With `skip_locked`, articles another transaction holds (a writer saving one, another
    request storing it) are left out rather than waited for.
    """
    key = render_key()
    now = timezone.now()
    with transaction.atomic():
        # A change to these articles committing meanwhile waits for this render, then
        # deletes its rows and renders them again after its own commit.
        ids = list(
            Article.objects.select_for_update(skip_locked=skip_locked)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        if not ids:
            return {}
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
        rows, rendered = [], {}
        for article in articles:
            parts = rendered[article.pk] = render_parts(article)
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
    return rendered


def store_all(batch_size=200, progress=None):
    """Render every article whose stored parts are missing or out of date; returns how many."""
    current = RenderedArticle.objects.filter(template_key=render_key()).filter(
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
    return len(ids)


def stale_count():
    """How many articles have no current stored parts (the system check reports it)."""
    current = RenderedArticle.objects.filter(template_key=render_key())
    return Article.objects.exclude(pk__in=current.values("article_id")).count()
