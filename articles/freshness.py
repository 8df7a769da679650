"""How fresh the public site is: HTTP validators (ETag, Last-Modified) and Cache-Control.

Any change readers could see (an article, its parts, a category, an author, a tag)
moves one site-wide timestamp. Time moves the site too: a scheduled article goes
live without anybody saving, so the newest visible publication time counts as well.
"""

import datetime
import hashlib
from functools import wraps

from django.conf import settings
from django.db import connection
from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from taggit.models import Tag, TaggedItem

from . import notifications
from .models import (
    Article,
    Author,
    Byline,
    Category,
    ContentVersion,
    Correction,
    Figure,
    Image,
    MoreOnLink,
    Quote,
    Section,
    published_condition,
    scheduled_condition,
)

TRACKED_MODELS = [
    Article,
    Author,
    Byline,
    Category,
    Correction,
    Figure,
    # A new caption, credit or focal point shows on every page that has the image.
    Image,
    MoreOnLink,
    Quote,
    Section,
    Tag,
    TaggedItem,
]


# Sent whenever the site's content changes, inside the writer's transaction
# (articles/page_cache.py moves its generation when that commits).
site_content_changed = Signal()


def mark_content_changed():
    ContentVersion.objects.update_or_create(pk=1, defaults={"changed_at": timezone.now()})
    notifications.content_changed()
    site_content_changed.send(sender=ContentVersion)


def content_changed(sender, **kwargs):
    # Inside the writer's transaction, so readers see the new time exactly when
    # they can see the change itself.
    mark_content_changed()


for model in TRACKED_MODELS:
    post_save.connect(content_changed, sender=model, dispatch_uid=f"freshness-save-{model}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"freshness-delete-{model}")


def public_validators():
    """The (etag, last_modified) pair of every public page: one query, or none while this
    process listens for changes (articles/notifications.py)."""
    listener = notifications.listener()
    if listener is not None:
        remembered = listener.recall()
        if remembered is not None:
            return remembered
        epoch = listener.epoch
    row = _read_moments()
    changed_at, newest, next_due = row or (None, None, None)
    moments = [moment for moment in (changed_at, newest) if moment is not None]
    last_modified = int(max(moments).timestamp()) if moments else None
    fingerprint = "|".join([settings.NEWSROOM_RELEASE, *(moment.isoformat() for moment in moments)])
    etag = '"' + hashlib.blake2b(fingerprint.encode(), digest_size=12).hexdigest() + '"'
    # What a reader sees inside a transaction may still roll back, and no notice says so.
    if listener is not None and row is not None and not connection.in_atomic_block:
        # Good until a change, or until the next scheduled article goes live.
        listener.remember(epoch, (etag, last_modified), valid_until=next_due)
    return etag, last_modified


# Stands for "now" in the compiled query; replaced by the time of each run.
_NOW = datetime.datetime(2000, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)


def _read_moments():
    """(content changed at, newest visible publication time, next scheduled one), any of
    them None; or None when the database has no content-changed row.

    Building and compiling this ORM query costs twenty times running it (0.5 ms against
    25 µs on SQLite), and every public request runs it, page cache hits included: it is
    compiled once per connection, from the one published() rule, and run with the time.
    """
    compiled = getattr(connection, "newsroom_validators_query", None)
    if compiled is None:
        compiled = connection.newsroom_validators_query = _compile_validators_query()
    sql, params, converters, column = compiled
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now if param is _NOW else param for param in params])
        row = cursor.fetchone()
    if row is None:
        return None
    moments = []
    for value in row:
        for converter in converters:
            value = converter(value, column, connection)
        moments.append(value)
    return moments


def _compile_validators_query():
    newest_visible = (
        Article.objects.filter(published_condition(at=_NOW))
        .order_by("-published_at")
        .values("published_at")
    )
    next_due = (
        Article.objects.filter(scheduled_condition(at=_NOW))
        .order_by("published_at")
        .values("published_at")
    )
    queryset = (
        ContentVersion.objects.filter(pk=1)
        .annotate(newest=Subquery(newest_visible[:1]), next_due=Subquery(next_due[:1]))
        .values_list("changed_at", "newest", "next_due")
    )
    sql, params = queryset.query.sql_with_params()
    adapted_now = connection.ops.adapt_datetimefield_value(_NOW)
    params = [_NOW if param == adapted_now else param for param in params]
    column = ContentVersion._meta.get_field("changed_at").get_col(ContentVersion._meta.db_table)
    return sql, params, connection.ops.get_db_converters(column), column


def public_page(view):
    """Serve 304s to clients and CDNs that have the current page, and let them cache it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # The page cache may have read them already for this request.
        validators = getattr(request, "public_validators", None) or public_validators()
        # The navigation (articles/context_processors.py) is remembered under them.
        request.public_validators = validators
        etag, last_modified = validators
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = view(request, *args, **kwargs)
            # The page cache (articles/page_cache.py) stores only what this decorator served.
            response.is_public_page = True
        if response.status_code in (200, 304):
            response.headers.setdefault("ETag", etag)
            if last_modified is not None:
                response.headers.setdefault("Last-Modified", http_date(last_modified))
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapper
