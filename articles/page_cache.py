"""A page cache for anonymous readers: whole public pages kept in Django's cache framework.

A page is stored under a key naming the content's *generation*. Nothing is ever looked up
and deleted: when anything readers can see changes, the generation moves, every key with
it, and the old entries age out.

Where the generation comes from decides whether a change made in one worker reaches the
others, so it depends on the cache:

- A cache shared by every worker and host (Redis, Memcached, the database cache): the
  generation is a random token kept in that cache. A writer replaces it once its
  transaction has committed; a reader only ever *adds* it when it is missing, so a reader
  that looked at the database before a commit can't put an older generation back. The
  token expires by itself when the next scheduled article is due, so that article goes
  live on time without anybody saving. A hit touches no database at all.
- A cache inside each process (local memory, the default): a worker can't see the token
  another worker replaced, so the generation is the site's ETag (articles/freshness.py),
  always in step with every writer and with the clock. On PostgreSQL each worker hears of
  every change (articles/notifications.py) and knows the ETag without asking; elsewhere
  it costs one small query per hit.
- A shared cache on PostgreSQL, with a "local" cache in settings: the ETag, which the
  worker knows without asking while it hears of every change, is the generation there
  too, the same on every server; and the pages the worker served last are kept in its
  own memory in front of the shared cache, so a hit asks nobody.

Only anonymous GET and HEAD requests are served from the cache or stored: no session
cookie, no messages cookie, no Authorization header. Only responses of public pages
(articles.freshness.public_page marks them) are stored, and only when they are a plain
200 that sets no cookie, varies on nothing, and is marked public.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from . import notifications
from .freshness import public_validators, site_content_changed
from .models import Article, scheduled_condition

GENERATION_KEY = "page-cache:generation"
# A cache of each process's own (settings.py names it when the page cache is shared).
LOCAL_CACHE_ALIAS = "local"

# Caches whose generation is the ETag read from the database: those each process keeps
# for itself, which another worker's change can't reach, and the database cache, shared
# but a query per hit anyway.
ETAG_GENERATION_BACKENDS = (LocMemCache, DummyCache, FileBasedCache, DatabaseCache)


def page_cache():
    return caches[settings.NEWSROOM_PAGE_CACHE_ALIAS]


def has_shared_generation():
    """Whether the generation lives in the cache itself (shared by all workers)."""
    return not isinstance(page_cache(), ETAG_GENERATION_BACKENDS)


class PageCacheMiddleware:
    """Serve anonymous readers stored copies of public pages; store the pages it sees."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.NEWSROOM_PAGE_CACHE or not is_anonymous_read(request):
            return self.get_response(request)
        key, entry, stores = lookup(request)
        if entry is not None:
            return response_from_entry(request, entry)
        response = self.get_response(request)
        if is_storable(response):
            entry = entry_from_response(response)
            for cache in stores:
                cache.set(key, entry, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        return response


def is_anonymous_read(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "authorization" not in request.headers
    )


def is_storable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(response, "is_public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The key tells gzip apart, and nothing else a response may vary on.
        and {h.strip().lower() for h in response.get("Vary", "").split(",")}
        <= {"", "accept-encoding"}
        and "public" in cache_control
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def page_key(request, generation):
    """The cache key of this request's page in this generation."""
    # The host and scheme are part of the page: canonical and share URLs are absolute.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    # Only gzip is ever negotiated (GZipMiddleware), so one bit of the header is enough.
    gzip = "gzip" in request.headers.get("accept-encoding", "")
    digest = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
    return f"page:{settings.NEWSROOM_RELEASE}:{generation}:{request.method}:{gzip:d}:{digest}"


def entry_from_response(response):
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return (response.content, list(response.items()), response.get("ETag"), last_modified)


def response_from_entry(request, entry):
    content, headers, etag, last_modified = entry
    response = HttpResponse(content, headers=headers)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


# The generation.

# The generation this process saw last, to ask for it and for the page at once.
_last_seen = {"generation": None}


def lookup(request):
    """(the page's key, its stored entry or None, the caches to store it in), asking the
    shared cache once at most."""
    cache = page_cache()
    if not has_shared_generation():
        # The view's public_page reuses these validators instead of asking again.
        request.public_validators = public_validators()
        key = page_key(request, request.public_validators[0].strip('"'))
        return key, cache.get(key), [cache]
    if not uses_token_generation():
        local = local_cache()
        # This worker hears of every change (articles/notifications.py), so the site's
        # ETag costs nothing while it listens, and is the same on every server: it is the
        # generation, and the pages this worker served last are kept in its own memory in
        # front of the shared cache.
        request.public_validators = public_validators()
        key = page_key(request, "etag-" + request.public_validators[0].strip('"'))
        entry = local.get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                local.set(key, entry, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        return key, entry, [local, cache]
    guess = _last_seen["generation"]
    if guess is not None:
        key = page_key(request, guess)
        found = cache.get_many([GENERATION_KEY, key])
        # Both read at once: the page belongs to the generation in force.
        if found.get(GENERATION_KEY) == guess:
            return key, found.get(key), [cache]
    generation = _last_seen["generation"] = shared_generation()
    key = page_key(request, generation)
    return key, cache.get(key), [cache]


def uses_token_generation():
    """Whether the generation is the token in the shared cache (else, the site's ETag)."""
    return has_shared_generation() and (local_cache() is None or notifications.listener() is None)


def local_cache():
    """This process's own cache in front of the shared one, where settings name one."""
    if LOCAL_CACHE_ALIAS not in settings.CACHES:
        return None
    return caches[LOCAL_CACHE_ALIAS]


def shared_generation():
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        # add(), never set(): a newer token a writer stored in the meantime wins.
        if not cache.add(GENERATION_KEY, generation, generation_lifetime()):
            generation = cache.get(GENERATION_KEY) or generation
    return generation


def generation_lifetime():
    """Seconds until the generation must end: the cache's limit, or the next article due."""
    lifetime = settings.NEWSROOM_PAGE_CACHE_SECONDS
    next_due = (
        Article.objects.filter(scheduled_condition())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if next_due is not None:
        # Caches count whole seconds and round down: the generation may end early,
        # never late.
        lifetime = min(lifetime, (next_due - timezone.now()).total_seconds())
    return max(0, lifetime)


def replace_generation():
    cache = page_cache()
    cache.set(GENERATION_KEY, secrets.token_hex(8), generation_lifetime())
    # Two writers committing together: each computed its lifetime after its own commit,
    # but the one that looked first may have set last, missing the other's newly
    # scheduled article. A second look, after the set, sees every commit before it.
    cache.touch(GENERATION_KEY, generation_lifetime())


def _content_changed(sender, **kwargs):
    if settings.NEWSROOM_PAGE_CACHE and has_shared_generation():
        # After the commit, when readers can see the change; robust, because the change
        # is saved by then: a cache that can't be reached is logged, and the generation
        # ends by itself within NEWSROOM_PAGE_CACHE_SECONDS.
        _pending().add("generation")
        transaction.on_commit(_replace_pending_generation, robust=True)


def _pending():
    # Kept on the thread's own connection, whose transaction the change belongs to.
    wrapper = transaction.get_connection()
    if not hasattr(wrapper, "page_cache_pending"):
        wrapper.page_cache_pending = set()
    return wrapper.page_cache_pending


def _replace_pending_generation():
    """One replacement per commit, however many rows the transaction changed."""
    pending = _pending()
    if pending:
        pending.clear()
        replace_generation()


site_content_changed.connect(_content_changed, dispatch_uid="page-cache-generation")
