"""The embed providers we know: how each one's links are parsed into an item's canonical
URL and frame, what its items are called, and the hosts and frame origins they use.

A new provider is a parser here, an entry in PROVIDERS and HOSTS, its frame origin in
FRAME_ORIGINS and, if it has one, its oEmbed endpoint in embeds.py.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote


def with_article(noun):
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def listed(words, conjunction):
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}" if len(words) > 1 else words[0]


# A provider's parser gets the host (without www./m./mobile.), the path's segments and
# the query, and returns (url, frame_src, aspect), or None when the link is not one item.
# Only what it parses goes into the URLs it builds, so tracking parameters fall away.
Parsed = tuple[str, str, str] | None

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
YOUTUBE_TIME = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?")
DIGITS = re.compile(r"\d{1,20}")
VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
X_USER = re.compile(r"[A-Za-z0-9_]{1,15}")
HOSTNAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")
BLUESKY_DID = re.compile(r"did:plc:[a-z2-7]{24}")
BLUESKY_POST = re.compile(r"[a-z2-7]{13}")
MASTODON_USER = re.compile(r"@([A-Za-z0-9_]{1,30})")
INSTAGRAM_CODE = re.compile(r"[A-Za-z0-9_-]{5,64}")
TIKTOK_USER = re.compile(r"@[A-Za-z0-9_.]{1,24}")
DATAWRAPPER_ID = re.compile(r"[A-Za-z0-9]{5}")
DOCUMENTCLOUD_ID = re.compile(r"(\d{1,12}(?:-[a-z0-9-]{1,200})?)(?:\.html)?")
SOUNDCLOUD_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
SOUNDCLOUD_SECRET = re.compile(r"s-[A-Za-z0-9]{5,30}")
SPOTIFY_ID = re.compile(r"[A-Za-z0-9]{22}")
SPOTIFY_LOCALE = re.compile(r"intl-[a-z]{2}(?:-[a-z]{2})?")

# A user's pages on SoundCloud that aren't a track: /user/likes, /user/sets…
SOUNDCLOUD_NOT_TRACKS = {
    "albums", "comments", "followers", "following", "likes", "popular-tracks", "reposts",
    "sets", "spotlight", "toptracks", "tracks",
}  # fmt: skip
SOUNDCLOUD_NOT_USERS = {
    "charts", "discover", "feed", "jobs", "messages", "mobile", "notifications", "pages",
    "people", "search", "settings", "stations", "stream", "tags", "upload", "you",
}  # fmt: skip


def _seconds(value):
    match = YOUTUBE_TIME.fullmatch(value)
    if not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube(host, path, query) -> Parsed:
    if host == "youtu.be" and len(path) == 1:
        video = path[0]
    elif path == ["watch"]:
        video = query.get("v", "")
    elif len(path) == 2 and path[0] in ("shorts", "embed", "live", "v"):
        video = path[1]
    else:
        return None
    # "videoseries" has a video ID's shape but is the player's name for a playlist.
    if not YOUTUBE_ID.fullmatch(video) or video == "videoseries":
        return None
    url = f"https://www.youtube.com/watch?v={video}"
    frame_src = f"https://www.youtube-nocookie.com/embed/{video}"
    if start := _seconds(query.get("t") or query.get("start", "")):
        url += f"&t={start}s"
        frame_src += f"?start={start}"
    return url, frame_src, "16 / 9"


def _vimeo(host, path, query) -> Parsed:
    if host == "player.vimeo.com":
        if path[:1] != ["video"]:
            return None
        path = path[1:] + ([query["h"]] if "h" in query else [])
    elif len(path) == 3 and path[0] == "channels":
        path = path[2:]
    if not path or len(path) > 2 or not DIGITS.fullmatch(path[0]):
        return None
    if len(path) == 2 and not VIMEO_HASH.fullmatch(path[1]):
        return None
    video, unlisted = path[0], path[1:]
    # dnt=1: the player sets no cookies and sends no analytics for our readers.
    if unlisted:
        url = f"https://vimeo.com/{video}/{unlisted[0]}"
        frame_src = f"https://player.vimeo.com/video/{video}?h={unlisted[0]}&dnt=1"
    else:
        url = f"https://vimeo.com/{video}"
        frame_src = f"https://player.vimeo.com/video/{video}?dnt=1"
    return url, frame_src, "16 / 9"


def _x(host, path, query) -> Parsed:
    if path[:3] == ["i", "web", "status"]:
        path = ["i", *path[2:]]
    # /user/status/ID, optionally followed by /photo/1 or /video/1.
    if len(path) not in (3, 5) or path[1] != "status":
        return None
    user, post = path[0], path[2]
    if not X_USER.fullmatch(user) or not DIGITS.fullmatch(post):
        return None
    # dnt=true: X doesn't use the frame for personalised suggestions and ads.
    frame_src = f"https://platform.twitter.com/embed/Tweet.html?id={post}&dnt=true"
    return f"https://x.com/{user}/status/{post}", frame_src, "560px"


def _bluesky(host, path, query) -> Parsed:
    if len(path) != 4 or path[0] != "profile" or path[2] != "post":
        return None
    handle, post = path[1].lower(), path[3]
    if not (HOSTNAME.fullmatch(handle) or BLUESKY_DID.fullmatch(handle)):
        return None
    if not BLUESKY_POST.fullmatch(post):
        return None
    url = f"https://bsky.app/profile/{handle}/post/{post}"
    # The embed frame is addressed by the account's DID, which a link with a handle
    # doesn't carry, and looking it up would be a request per save: those stay links.
    frame_src = ""
    if handle.startswith("did:"):
        frame_src = f"https://embed.bsky.app/embed/{handle}/app.bsky.feed.post/{post}"
    return url, frame_src, "560px"


def _mastodon(host, path, query) -> Parsed:
    if len(path) == 4 and path[0] == "users" and path[2] == "statuses":
        path = [f"@{path[1]}", path[3]]
    if len(path) != 2 or not MASTODON_USER.fullmatch(path[0]) or not DIGITS.fullmatch(path[1]):
        return None
    url = f"https://{host}/{path[0]}/{path[1]}"
    return url, f"{url}/embed", "560px"


def _instagram(host, path, query) -> Parsed:
    if len(path) == 3 and path[1] in ("p", "reel"):
        path = path[1:]
    if len(path) != 2 or path[0] not in ("p", "reel", "reels", "tv"):
        return None
    if not INSTAGRAM_CODE.fullmatch(path[1]):
        return None
    kind = "reel" if path[0] in ("reel", "reels") else "p"
    url = f"https://www.instagram.com/{kind}/{path[1]}/"
    return url, f"https://www.instagram.com/p/{path[1]}/embed", "740px"


def _tiktok(host, path, query) -> Parsed:
    if len(path) != 3 or path[1] != "video":
        return None
    if not TIKTOK_USER.fullmatch(path[0]) or not DIGITS.fullmatch(path[2]):
        return None
    url = f"https://www.tiktok.com/{path[0]}/video/{path[2]}"
    return url, f"https://www.tiktok.com/embed/v2/{path[2]}", "740px"


def _datawrapper(host, path, query) -> Parsed:
    if host == "datawrapper.de":
        if len(path) != 2 or path[0] != "_":
            return None
        path = path[1:]
    if not 1 <= len(path) <= 2 or not DATAWRAPPER_ID.fullmatch(path[0]):
        return None
    if len(path) == 2 and not DIGITS.fullmatch(path[1]):
        return None
    url = "https://datawrapper.dwcdn.net/" + "".join(f"{segment}/" for segment in path)
    return url, url, "500px"


def _flourish(host, path, query) -> Parsed:
    if host == "flo.uri.sh" and path[-1:] == ["embed"]:
        path = path[:-1]
    if len(path) != 2 or path[0] not in ("visualisation", "story"):
        return None
    if not DIGITS.fullmatch(path[1]):
        return None
    kind, item = path
    url = f"https://public.flourish.studio/{kind}/{item}/"
    return url, f"https://flo.uri.sh/{kind}/{item}/embed", "600px"


def _documentcloud(host, path, query) -> Parsed:
    match = len(path) == 2 and path[0] == "documents" and DOCUMENTCLOUD_ID.fullmatch(path[1])
    if not match:
        return None
    document = match[1]
    url = f"https://www.documentcloud.org/documents/{document}"
    return url, f"https://embed.documentcloud.org/documents/{document}/", "4 / 5"


def _soundcloud(host, path, query) -> Parsed:
    if path[-1:] and SOUNDCLOUD_SECRET.fullmatch(path[-1]):
        names, secret = path[:-1], path[-1:]
    else:
        names, secret = path, []
    if len(names) == 3 and names[1] == "sets":
        names = [names[0], "sets", names[2]]
    elif len(names) != 2 or names[1] in SOUNDCLOUD_NOT_TRACKS:
        return None
    if names[0] in SOUNDCLOUD_NOT_USERS:
        return None
    if not all(SOUNDCLOUD_NAME.fullmatch(name) for name in names):
        return None
    url = "https://soundcloud.com/" + "/".join(names + secret)
    frame_src = f"https://w.soundcloud.com/player/?url={quote(url, safe='')}"
    return url, frame_src, "450px" if "sets" in names else "166px"


def _spotify(host, path, query) -> Parsed:
    if path[:1] and SPOTIFY_LOCALE.fullmatch(path[0]):
        path = path[1:]
    if path[:1] == ["embed"]:
        path = path[1:]
    if len(path) != 2 or path[0] not in ("track", "album", "playlist", "episode", "show"):
        return None
    if not SPOTIFY_ID.fullmatch(path[1]):
        return None
    kind, item = path
    # Spotify's own sizes: the compact player for one track or episode, the list for the rest.
    aspect = "152px" if kind in ("track", "episode") else "352px"
    return (
        f"https://open.spotify.com/{kind}/{item}",
        f"https://open.spotify.com/embed/{kind}/{item}",
        aspect,
    )


@dataclass(frozen=True)
class Provider:
    name: str
    parse: Callable[[str, list[str], dict[str, str]], Parsed]
    # What one item is called; where a provider has several kinds, keyed by the path
    # segment that names one, None for the rest.
    kinds: str | dict[str | None, str]
    example: str  # the shape of an item's link, for the editor's error message

    @property
    def items(self):
        kinds = [self.kinds] if isinstance(self.kinds, str) else list(self.kinds.values())
        return with_article(listed(kinds, "or"))


PROVIDERS = {
    "youtube": Provider("YouTube", _youtube, "video", "https://www.youtube.com/watch?v=…"),
    "vimeo": Provider("Vimeo", _vimeo, "video", "https://vimeo.com/123456789"),
    "x": Provider("X", _x, "post", "https://x.com/user/status/…"),
    "bluesky": Provider("Bluesky", _bluesky, "post", "https://bsky.app/profile/…/post/…"),
    "mastodon": Provider("Mastodon", _mastodon, "post", "https://mastodon.social/@user/…"),
    "instagram": Provider(
        "Instagram", _instagram, {"reel": "reel", None: "post"}, "https://www.instagram.com/p/…/"
    ),
    "tiktok": Provider("TikTok", _tiktok, "video", "https://www.tiktok.com/@user/video/…"),
    "datawrapper": Provider(
        "Datawrapper", _datawrapper, "chart", "https://datawrapper.dwcdn.net/AbCdE/1/"
    ),
    "flourish": Provider(
        "Flourish",
        _flourish,
        {"story": "story", None: "visualisation"},
        "https://public.flourish.studio/visualisation/…/",
    ),
    "documentcloud": Provider(
        "DocumentCloud", _documentcloud, "document", "https://www.documentcloud.org/documents/…"
    ),
    "soundcloud": Provider(
        "SoundCloud",
        _soundcloud,
        {"sets": "playlist", None: "track"},
        "https://soundcloud.com/artist/track",
    ),
    "spotify": Provider(
        "Spotify",
        _spotify,
        {
            "album": "album",
            "playlist": "playlist",
            "episode": "episode",
            "show": "podcast",
            None: "track",
        },
        "https://open.spotify.com/track/…",
    ),
}

# Hosts without www., m. or mobile. Mastodon has none: any instance will do, recognised
# by the shape of a post's path.
HOSTS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "vimeo.com": "vimeo",
    "player.vimeo.com": "vimeo",
    "x.com": "x",
    "twitter.com": "x",
    "bsky.app": "bluesky",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "datawrapper.dwcdn.net": "datawrapper",
    "datawrapper.de": "datawrapper",
    "public.flourish.studio": "flourish",
    "flo.uri.sh": "flourish",
    "documentcloud.org": "documentcloud",
    "beta.documentcloud.org": "documentcloud",
    "embed.documentcloud.org": "documentcloud",
    "soundcloud.com": "soundcloud",
    "open.spotify.com": "spotify",
}
# Short links only say where they lead when asked, and we don't ask at save time.
SHORT_LINKS = {
    "vm.tiktok.com": "tiktok",
    "vt.tiktok.com": "tiktok",
    "on.soundcloud.com": "soundcloud",
    "spotify.link": "spotify",
    "t.co": "x",
}

# Every origin of a frame_src but Mastodon's, which is each post's own instance: a
# Content-Security-Policy adds the origins of a page's Mastodon embeds to these.
FRAME_ORIGINS = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://platform.twitter.com",
    "https://embed.bsky.app",
    "https://www.instagram.com",
    "https://www.tiktok.com",
    "https://datawrapper.dwcdn.net",
    "https://flo.uri.sh",
    "https://embed.documentcloud.org",
    "https://w.soundcloud.com",
    "https://open.spotify.com",
)
