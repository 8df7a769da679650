"""A page cache for anonymous readers: whole public pages kept in Django's cache framework.

A page is stored under a key naming the site's ETag (validators.py), which moves whenever
anything readers can see changes and when a scheduled article goes live. Nothing is ever
looked up and deleted: when the ETag moves, every key moves with it, and the old entries
age out. The ETag is the same in every process and on every server, so one design serves
each process's own memory, a shared Redis, or both: where settings name a "local" cache in
front of a shared one, the pages a worker served last are kept in its own memory too.

A key names the page's path and the query parameters the views read (PAGE_PARAMETERS),
nothing else: `?utm_source=…` or `?fbclid=…` is the same page, served from the same entry.

Only anonymous GET and HEAD requests are served from the cache or stored: no session
cookie, no messages cookie, no Authorization header. Only responses of public pages
(validators.public_page marks them) are stored, and only when they are a plain 200 that
sets no cookie, varies on nothing but Accept-Encoding, and is marked public.
"""

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe, urlencode

from .validators import public_validators

# A cache of each process's own, in front of the shared one (settings.py names it when
# the page cache is shared).
LOCAL_CACHE_ALIAS = "local"

# The only query parameters a public page reads: the page of a list, the search terms and
# their order.
PAGE_PARAMETERS = ("page", "q", "sort")


class PageCacheMiddleware:
    """Serve anonymous readers stored copies of public pages; store the pages it sees."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.NEWSROOM_PAGE_CACHE or not is_anonymous_read(request):
            return self.get_response(request)
        # The view's public_page reuses these validators instead of asking again.
        request.public_validators = public_validators()
        key = page_key(request, request.public_validators[0].strip('"'))
        stores = page_caches()
        entry = lookup(key, stores)
        if entry is not None:
            return response_from_entry(request, entry)
        response = self.get_response(request)
        if is_storable(response):
            entry = entry_from_response(response)
            for cache in stores:
                cache.set(key, entry, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        return response


def page_caches():
    """The caches pages are kept in, nearest first."""
    shared = caches[settings.NEWSROOM_PAGE_CACHE_ALIAS]
    if LOCAL_CACHE_ALIAS in settings.CACHES:
        return [caches[LOCAL_CACHE_ALIAS], shared]
    return [shared]


def lookup(key, stores):
    """The stored entry from the nearest cache that has it, copied into nearer ones."""
    for depth, cache in enumerate(stores):
        entry = cache.get(key)
        if entry is not None:
            for nearer in stores[:depth]:
                nearer.set(key, entry, settings.NEWSROOM_PAGE_CACHE_SECONDS)
            return entry
    return None


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
    # The views read a parameter with GET.get(), which takes its last value.
    parameters = urlencode(
        [(name, request.GET[name]) for name in PAGE_PARAMETERS if name in request.GET]
    )
    # The host and scheme are part of the page: canonical and share URLs are absolute.
    url = f"{request.scheme}://{request.get_host()}{request.path}?{parameters}"
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
