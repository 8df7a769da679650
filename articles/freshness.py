"""How fresh the public site is: HTTP validators (ETag, Last-Modified) and Cache-Control.

Any change readers could see (an article, its parts, a category, an author, a tag)
moves one site-wide timestamp. Time moves the site too: a scheduled article goes
live without anybody saving, so the newest visible publication time counts as well.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from taggit.models import Tag, TaggedItem

from .models import (
    Article,
    Author,
    Byline,
    Category,
    ContentVersion,
    Correction,
    MoreOnLink,
    Quote,
    Section,
)

TRACKED_MODELS = [
    Article,
    Author,
    Byline,
    Category,
    Correction,
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
    site_content_changed.send(sender=ContentVersion)


def content_changed(sender, **kwargs):
    # Inside the writer's transaction, so readers see the new time exactly when
    # they can see the change itself.
    mark_content_changed()


for model in TRACKED_MODELS:
    post_save.connect(content_changed, sender=model, dispatch_uid=f"freshness-save-{model}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"freshness-delete-{model}")


def public_validators():
    """The (etag, last_modified) pair of every public page, in one query."""
    newest_visible = Article.objects.published().order_by("-published_at").values("published_at")
    row = (
        ContentVersion.objects.filter(pk=1)
        .annotate(newest=Subquery(newest_visible[:1]))
        .values("changed_at", "newest")
        .first()
    ) or {"changed_at": None, "newest": None}
    moments = [moment for moment in row.values() if moment is not None]
    last_modified = int(max(moments).timestamp()) if moments else None
    fingerprint = "|".join(
        [settings.NEWSROOM_RELEASE, *(moment.isoformat() for moment in row.values() if moment)]
    )
    etag = '"' + hashlib.blake2b(fingerprint.encode(), digest_size=12).hexdigest() + '"'
    return etag, last_modified


def public_page(view):
    """Serve 304s to clients and CDNs that have the current page, and let them cache it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # The page cache may have read them already for this request.
        validators = getattr(request, "public_validators", None) or public_validators()
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
