"""Embeds: a link an editor pastes, recognised as one item of a provider we know.

recognise() turns the link into an Embed whose frame URL we build ourselves from the
item's parsed ID; fetch_title() asks the provider's oEmbed endpoint for the item's title.
Both run when an editor saves, never on a reader's request. Readers get a click-to-load
placeholder (templates/includes/embed.html, static/js/embeds.js): nothing reaches the
provider until they ask for it.
"""

import contextlib
import contextvars
import http.client
import json
import logging
import re
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from .embed_providers import (
    HOSTNAME,
    HOSTS,
    PROVIDERS,
    SHORT_LINKS,
    listed,
    with_article,
)

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 500
MAX_OEMBED_BYTES = 64 * 1024
MAX_TITLE_LENGTH = 300


@dataclass(frozen=True)
class Embed:
    """One embeddable item.

    `aspect` sizes the frame in one of two CSS forms: an aspect-ratio ("16 / 9") for
    items that scale with the column, or a height in pixels ("166px") for players whose
    height is fixed whatever their width (audio players, posts).
    """

    provider: str
    provider_name: str
    url: str
    frame_src: str
    aspect: str

    @property
    def kind(self):
        """What the item is, in readers' words: "video", "post", "playlist"…"""
        kinds = PROVIDERS[self.provider].kinds
        if isinstance(kinds, str):
            return kinds
        segments = urlsplit(self.url).path.split("/")
        return next((kinds[s] for s in segments if s in kinds), kinds[None])

    @property
    def description(self):
        """The item described without its title: "A video on YouTube"."""
        return f"{with_article(self.kind).capitalize()} on {self.provider_name}"


MALFORMED = (
    "That isn't a complete web address. Paste the item's link as its page or Share button "
    "gives it, e.g. https://www.youtube.com/watch?v=…"
)


def recognise(url: str) -> Embed:
    """The embeddable item a pasted link points to, or a ValidationError saying what to paste."""
    host, path, query = _split(url)
    site = re.sub(r"^(?:www|m|mobile)\.", "", host)
    if site in SHORT_LINKS:
        raise ValidationError(
            f"That's a {PROVIDERS[SHORT_LINKS[site]].name} short link. Open it, then paste "
            "the full address from the browser's address bar.",
            code="short_link",
        )
    key = HOSTS.get(site)
    if key is None and _looks_like_mastodon(path):
        key = "mastodon"
    provider = PROVIDERS.get(key)
    parsed = provider.parse(site, path, query) if provider else None
    # A path that only looks like a Mastodon post is some other site's page.
    if provider is None or (key == "mastodon" and parsed is None):
        names = listed([p.name for p in PROVIDERS.values()], "and")
        raise ValidationError(
            f"Links from {host} can't be embedded. Embeds work with {names}. For another "
            "site, link to it in the text instead.",
            code="unknown_provider",
        )
    if parsed is None:
        raise ValidationError(
            f"That {provider.name} link isn't {provider.items}: it may be a profile, channel, "
            "list or search page. Open the one you mean and paste its own link, which looks "
            f"like {provider.example}",
            code="not_an_item",
        )
    item_url, frame_src, aspect = parsed
    return Embed(key, provider.name, item_url, frame_src, aspect)


def _split(url):
    """A pasted web link's host, path segments and query, or a ValidationError."""
    text = url.strip()
    if len(text) > MAX_URL_LENGTH:
        raise ValidationError(
            f"That link is {len(text)} characters long; an embed's link can have at most "
            f"{MAX_URL_LENGTH}. Paste the item's own link, from its Share button.",
            code="too_long",
        )
    if text.startswith("//"):
        text = "https:" + text
    elif ":" not in text.split("/", 1)[0]:
        text = "https://" + text  # pasted without its https://
    if any(char.isspace() or not char.isprintable() or char == "\\" for char in text):
        raise ValidationError(MALFORMED, code="malformed")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError(MALFORMED, code="malformed") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(
            f"Only web links (https://…) can be embedded, not “{scheme}:” ones. Paste the "
            "item's link from its page or Share button.",
            code="scheme",
        )
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            "That link carries a user name or password. Paste the item's public link instead.",
            code="credentials",
        )
    host = (parts.hostname or "").rstrip(".")
    if port not in (None, 80, 443) or not HOSTNAME.fullmatch(host):
        raise ValidationError(MALFORMED, code="malformed")
    path = [segment for segment in parts.path.split("/") if segment]
    return host, path, dict(parse_qsl(parts.query))


def _looks_like_mastodon(path):
    return (len(path) == 2 and path[0].startswith("@")) or (
        len(path) == 4 and path[0] == "users" and path[2] == "statuses"
    )


# Instagram's oEmbed needs a Meta app token. Mastodon's is on each instance and has no
# title, and asking an instance an editor names would let a link make us call any host.
OEMBED_ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
    "x": "https://publish.twitter.com/oembed",
    "bluesky": "https://embed.bsky.app/oembed",
    "tiktok": "https://www.tiktok.com/oembed",
    "datawrapper": "https://api.datawrapper.de/v3/oembed/",
    "flourish": "https://app.flourish.studio/api/v1/oembed",
    "documentcloud": "https://api.www.documentcloud.org/api/oembed/",
    "soundcloud": "https://soundcloud.com/oembed",
    "spotify": "https://open.spotify.com/oembed",
}


class OEmbedError(Exception):
    pass


# Off while a preview saves an unsaved form only to roll it back: no provider is asked.
_lookups_allowed = contextvars.ContextVar("newsroom_oembed_lookups", default=True)


@contextlib.contextmanager
def no_lookups():
    token = _lookups_allowed.set(False)
    try:
        yield
    finally:
        _lookups_allowed.reset(token)


def fetch_title(embed: Embed, *, timeout: float | None = None) -> str:
    """The item's title from its provider's oEmbed endpoint, or "" if it can't be had."""
    if not _lookups_allowed.get():
        return ""
    endpoint = {**OEMBED_ENDPOINTS, **settings.NEWSROOM_OEMBED_ENDPOINTS}.get(embed.provider)
    if not endpoint:
        return ""
    if timeout is None:
        timeout = settings.NEWSROOM_OEMBED_TIMEOUT
    separator = "&" if "?" in endpoint else "?"
    try:
        if urlsplit(endpoint).scheme not in ("http", "https"):
            raise OEmbedError("the endpoint isn't an http or https URL")
        request = urllib.request.Request(
            endpoint + separator + urlencode({"url": embed.url, "format": "json"}),
            headers={"Accept": "application/json", "User-Agent": "Newsroom oEmbed"},
        )
        data = json.loads(_read(request, timeout))
    except (OSError, ValueError, http.client.HTTPException, OEmbedError) as error:
        logger.warning("No oEmbed title for %s from %s: %s", embed.url, endpoint, error)
        return ""
    if not isinstance(data, dict):
        logger.warning("No oEmbed title for %s from %s: not a JSON object", embed.url, endpoint)
        return ""
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        # oEmbed gives posts (X, Bluesky) an author but no title.
        author = data.get("author_name")
        has_author = isinstance(author, str) and author.strip()
        title = f"{embed.kind.capitalize()} by {author}" if has_author else ""
    return " ".join(title.split())[:MAX_TITLE_LENGTH]


def _read(request, timeout):
    # The socket's timeout bounds each wait; the deadline bounds a server that answers a
    # byte at a time, so an editor's save waits at most about twice the timeout.
    deadline = time.monotonic() + timeout
    with urllib.request.urlopen(request, timeout=timeout) as response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_OEMBED_BYTES:
            raise OEmbedError(f"the answer is {declared} bytes, over {MAX_OEMBED_BYTES}")
        body = bytearray()
        while chunk := response.read1(16 * 1024):
            body += chunk
            if len(body) > MAX_OEMBED_BYTES:
                raise OEmbedError(f"the answer is over {MAX_OEMBED_BYTES} bytes")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the answer took over {timeout} seconds")
    return bytes(body)
