"""How fresh the public site is: HTTP validators (ETag, Last-Modified) and Cache-Control.

Two things move the validators. A committed change to anything readers can see moves the
content clock (ContentVersion), once per transaction (changes.py); and time moves the
site, since a scheduled article goes live without anybody saving, so the newest visible
publication time counts too. The ETag is also the page cache's generation.

Each process trusts the validators it read for at most TRUST_SECONDS, or until the next
scheduled article is due, or until this process itself commits a change: so a change
reaches every reader within that bound (docs/caching.md).
"""

import datetime
import hashlib
import threading
import time
from functools import wraps

from django.conf import settings
from django.db import connection
from django.db.models import Subquery
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from ..models import Article, published_condition, scheduled_condition
from .models import ContentVersion

# How long a process answers from the validators it read last instead of asking again.
TRUST_SECONDS = 1.0


class _Remembered(threading.local):
    """The validators one thread read last: (etag, last_modified), when, and until when.

    Per thread, so a gthread worker's threads never share a half-written value; each
    thread asks at most once per TRUST_SECONDS.
    """

    value = None
    read_at = 0.0
    next_due = None
    # Moves when this process commits a change, so its own readers see it at once.
    epoch = 0


_remembered = _Remembered()
_epoch = {"current": 0}


def move_generation():
    """Mark the content changed: every page's validators move. Run after a commit."""
    now = timezone.now()
    if not ContentVersion.objects.filter(pk=1).update(changed_at=now):
        ContentVersion.objects.update_or_create(pk=1, defaults={"changed_at": now})
    _epoch["current"] += 1


def public_validators(*, fresh=False):
    """The (etag, last_modified) pair of every public page: one query, or none when this
    thread read them less than TRUST_SECONDS ago."""
    remembered = _remembered
    epoch = _epoch["current"]
    if not fresh and remembered.value is not None and _still_good(remembered, epoch):
        return remembered.value
    row = _read_moments()
    changed_at, newest, next_due = row or (None, None, None)
    moments = [moment for moment in (changed_at, newest) if moment is not None]
    last_modified = int(max(moments).timestamp()) if moments else None
    fingerprint = "|".join([settings.NEWSROOM_RELEASE, *(moment.isoformat() for moment in moments)])
    etag = '"' + hashlib.blake2b(fingerprint.encode(), digest_size=12).hexdigest() + '"'
    # What is read inside a transaction may still roll back.
    if row is not None and not connection.in_atomic_block:
        remembered.value = (etag, last_modified)
        remembered.read_at = time.monotonic()
        remembered.next_due = next_due
        remembered.epoch = epoch
    return etag, last_modified


def _still_good(remembered, epoch):
    if remembered.epoch != epoch or time.monotonic() - remembered.read_at >= TRUST_SECONDS:
        return False
    return remembered.next_due is None or timezone.now() < remembered.next_due


def forget():
    """Ask the database next time (tests that change the clock, or the content behind
    this process's back)."""
    _epoch["current"] += 1


# Stands for "now" in the compiled query; replaced by the time of each run.
_NOW = datetime.datetime(2000, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)


def _read_moments():
    """(content changed at, newest visible publication time, next scheduled one), any of
    them None; or None when the database has no content-changed row.

    Building and compiling this ORM query costs twenty times running it (0.5 ms against
    25 µs on SQLite): it is compiled once per connection, from the one published() rule,
    and run with the time.
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


def is_signed_in(request):
    """Whether the request carries a session: an editor, who must see their own changes."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_authenticated(request):
    """Whether a signed-in user made the request. Without a session cookie nobody did, and
    the session isn't read: a reader's request runs no query for it."""
    user = getattr(request, "user", None)
    return is_signed_in(request) and user is not None and user.is_authenticated


def public_page(view):
    """Serve 304s to clients and CDNs that have the current page, and let them cache it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # The page cache may have read them already for this request.
        validators = getattr(request, "public_validators", None) or public_validators(
            fresh=is_signed_in(request)
        )
        # The navigation (navigation.py) is remembered under them.
        request.public_validators = validators
        etag, last_modified = validators
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = view(request, *args, **kwargs)
            # The page cache (page_cache.py) stores only what this decorator served.
            response.is_public_page = True
        if response.status_code in (200, 304):
            response.headers.setdefault("ETag", etag)
            if last_modified is not None:
                response.headers.setdefault("Last-Modified", http_date(last_modified))
            if is_authenticated(request):
                # An editor's page is theirs: no browser or CDN may keep it, so the next
                # look after a save asks again and shows the change.
                patch_cache_control(response, private=True, no_store=True)
            else:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapper
