import logging
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from articles.embed_providers import FRAME_ORIGINS, PROVIDERS
from articles.embeds import Embed, fetch_title, recognise

from .oembed_server import serving
from .test_accessibility import html_problems

YT = "dQw4w9WgXcQ"
YT_FRAME = f"https://www.youtube-nocookie.com/embed/{YT}"
YT_URL = f"https://www.youtube.com/watch?v={YT}"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
SPOTIFY = "4uLU6hMCjMI75M1A2tKUQC"
TOOT = "https://mastodon.social/@Gargron/109376404004144367"
SOUNDCLOUD_PLAYER = "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2F"

# (pasted link, provider, canonical url, frame_src)
RECOGNISED = [
    (YT_URL, "youtube", YT_URL, YT_FRAME),
    (f"https://youtu.be/{YT}?si=Xy12", "youtube", YT_URL, YT_FRAME),
    (f"https://m.youtube.com/watch?v={YT}&feature=share", "youtube", YT_URL, YT_FRAME),
    (f"http://youtube.com/shorts/{YT}", "youtube", YT_URL, YT_FRAME),
    (f"https://www.youtube.com/embed/{YT}", "youtube", YT_URL, YT_FRAME),
    (f"https://www.youtube-nocookie.com/embed/{YT}", "youtube", YT_URL, YT_FRAME),
    (f"https://www.youtube.com/live/{YT}", "youtube", YT_URL, YT_FRAME),
    (f"youtube.com/watch?v={YT}&t=1m30s", "youtube", f"{YT_URL}&t=90s", f"{YT_FRAME}?start=90"),
    (f"https://youtu.be/{YT}?t=42", "youtube", f"{YT_URL}&t=42s", f"{YT_FRAME}?start=42"),
    (
        "https://vimeo.com/76979871",
        "vimeo",
        "https://vimeo.com/76979871",
        "https://player.vimeo.com/video/76979871?dnt=1",
    ),
    (
        "https://vimeo.com/channels/staffpicks/76979871",
        "vimeo",
        "https://vimeo.com/76979871",
        "https://player.vimeo.com/video/76979871?dnt=1",
    ),
    (
        "https://player.vimeo.com/video/76979871",
        "vimeo",
        "https://vimeo.com/76979871",
        "https://player.vimeo.com/video/76979871?dnt=1",
    ),
    (
        "https://vimeo.com/76979871/abcdef1234",
        "vimeo",
        "https://vimeo.com/76979871/abcdef1234",
        "https://player.vimeo.com/video/76979871?h=abcdef1234&dnt=1",
    ),
    (
        "https://x.com/NASA/status/1790000000000000000?s=20&t=abcd",
        "x",
        "https://x.com/NASA/status/1790000000000000000",
        "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000&dnt=true",
    ),
    (
        "https://mobile.twitter.com/NASA/status/1790000000000000000/photo/1",
        "x",
        "https://x.com/NASA/status/1790000000000000000",
        "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000&dnt=true",
    ),
    (
        "https://bsky.app/profile/nasa.gov/post/3kwzu3z2tqc2q",
        "bluesky",
        "https://bsky.app/profile/nasa.gov/post/3kwzu3z2tqc2q",
        "",
    ),
    (
        f"https://bsky.app/profile/{DID}/post/3kwzu3z2tqc2q",
        "bluesky",
        f"https://bsky.app/profile/{DID}/post/3kwzu3z2tqc2q",
        f"https://embed.bsky.app/embed/{DID}/app.bsky.feed.post/3kwzu3z2tqc2q",
    ),
    (TOOT, "mastodon", TOOT, f"{TOOT}/embed"),
    (
        "http://mastodon.social/users/Gargron/statuses/109376404004144367",
        "mastodon",
        TOOT,
        f"{TOOT}/embed",
    ),
    (
        "https://www.instagram.com/p/C1a2B3c4D5e/?igsh=MWQ1ZGUxMzBkMA==",
        "instagram",
        "https://www.instagram.com/p/C1a2B3c4D5e/",
        "https://www.instagram.com/p/C1a2B3c4D5e/embed",
    ),
    (
        "https://instagram.com/reel/C1a2B3c4D5e/",
        "instagram",
        "https://www.instagram.com/reel/C1a2B3c4D5e/",
        "https://www.instagram.com/p/C1a2B3c4D5e/embed",
    ),
    (
        "https://www.instagram.com/natgeo/p/C1a2B3c4D5e/",
        "instagram",
        "https://www.instagram.com/p/C1a2B3c4D5e/",
        "https://www.instagram.com/p/C1a2B3c4D5e/embed",
    ),
    (
        "https://www.tiktok.com/@scout2015/video/6718335390845095173?is_from_webapp=1",
        "tiktok",
        "https://www.tiktok.com/@scout2015/video/6718335390845095173",
        "https://www.tiktok.com/embed/v2/6718335390845095173",
    ),
    (
        "https://datawrapper.dwcdn.net/AbC12/",
        "datawrapper",
        "https://datawrapper.dwcdn.net/AbC12/",
        "https://datawrapper.dwcdn.net/AbC12/",
    ),
    (
        "https://datawrapper.dwcdn.net/AbC12/3/",
        "datawrapper",
        "https://datawrapper.dwcdn.net/AbC12/3/",
        "https://datawrapper.dwcdn.net/AbC12/3/",
    ),
    (
        "https://www.datawrapper.de/_/AbC12/",
        "datawrapper",
        "https://datawrapper.dwcdn.net/AbC12/",
        "https://datawrapper.dwcdn.net/AbC12/",
    ),
    (
        "https://public.flourish.studio/visualisation/1234567/",
        "flourish",
        "https://public.flourish.studio/visualisation/1234567/",
        "https://flo.uri.sh/visualisation/1234567/embed",
    ),
    (
        "https://public.flourish.studio/story/98765/?utm_source=share",
        "flourish",
        "https://public.flourish.studio/story/98765/",
        "https://flo.uri.sh/story/98765/embed",
    ),
    (
        "https://flo.uri.sh/visualisation/1234567/embed",
        "flourish",
        "https://public.flourish.studio/visualisation/1234567/",
        "https://flo.uri.sh/visualisation/1234567/embed",
    ),
    (
        "https://www.documentcloud.org/documents/20059068-the-mueller-report",
        "documentcloud",
        "https://www.documentcloud.org/documents/20059068-the-mueller-report",
        "https://embed.documentcloud.org/documents/20059068-the-mueller-report/",
    ),
    (
        "https://embed.documentcloud.org/documents/20059068-the-mueller-report/",
        "documentcloud",
        "https://www.documentcloud.org/documents/20059068-the-mueller-report",
        "https://embed.documentcloud.org/documents/20059068-the-mueller-report/",
    ),
    (
        "https://soundcloud.com/forss/flickermood?utm_source=clipboard&si=abc",
        "soundcloud",
        "https://soundcloud.com/forss/flickermood",
        SOUNDCLOUD_PLAYER + "forss%2Fflickermood",
    ),
    (
        "https://m.soundcloud.com/forss/sets/soulhack",
        "soundcloud",
        "https://soundcloud.com/forss/sets/soulhack",
        SOUNDCLOUD_PLAYER + "forss%2Fsets%2Fsoulhack",
    ),
    (
        f"https://open.spotify.com/track/{SPOTIFY}?si=abc123",
        "spotify",
        f"https://open.spotify.com/track/{SPOTIFY}",
        f"https://open.spotify.com/embed/track/{SPOTIFY}",
    ),
    *(
        (
            f"https://open.spotify.com/intl-de/{kind}/{SPOTIFY}",
            "spotify",
            f"https://open.spotify.com/{kind}/{SPOTIFY}",
            f"https://open.spotify.com/embed/{kind}/{SPOTIFY}",
        )
        for kind in ("album", "playlist", "episode", "show")
    ),
]


@pytest.mark.parametrize(("pasted", "provider", "url", "frame_src"), RECOGNISED)
def test_a_providers_item_is_recognised_with_a_frame_we_build(pasted, provider, url, frame_src):
    embed = recognise(pasted)
    assert (embed.provider, embed.url, embed.frame_src) == (provider, url, frame_src)
    assert embed.provider_name == PROVIDERS[provider].name
    assert re.fullmatch(r"\d+ / \d+|\d+px", embed.aspect)


def test_every_provider_is_covered_by_the_examples():
    assert {provider for _, provider, _, _ in RECOGNISED} == set(PROVIDERS)


def test_every_frame_comes_from_a_listed_origin_but_mastodons_own_instance():
    for _, provider, url, frame_src in RECOGNISED:
        if not frame_src:
            continue
        origin = "https://" + urlsplit(frame_src).netloc
        if provider == "mastodon":
            assert origin == "https://" + urlsplit(url).netloc
        else:
            assert origin in FRAME_ORIGINS, frame_src
    assert all(origin.startswith("https://") for origin in FRAME_ORIGINS)


def test_tracking_parameters_are_stripped():
    embed = recognise(
        f"https://www.youtube.com/watch?v={YT}&utm_source=newsletter&utm_medium=email"
        "&fbclid=IwAR0abc&si=xyz&feature=share#comments"
    )
    for leftover in ("utm_", "fbclid", "si=", "feature", "#"):
        assert leftover not in embed.url
        assert leftover not in embed.frame_src


def test_the_kind_of_item_names_what_a_reader_would_load():
    assert recognise(YT_URL).description == "A video on YouTube"
    assert recognise(f"https://open.spotify.com/album/{SPOTIFY}").description == (
        "An album on Spotify"
    )
    assert recognise(f"https://open.spotify.com/show/{SPOTIFY}").kind == "podcast"
    assert recognise("https://soundcloud.com/forss/sets/soulhack").kind == "playlist"
    assert recognise("https://www.instagram.com/reel/C1a2B3c4D5e/").kind == "reel"


# (pasted link, error code, a phrase the editor's message must carry)
REFUSED = [
    ("", "malformed", "https://"),
    ("not a link at all", "malformed", "complete web address"),
    (f"https://youtu.be/{YT}\n<script>", "malformed", "complete web address"),
    (f"https://www.youtube.com:8443/watch?v={YT}", "malformed", "complete web address"),
    ("https://[::1/watch", "malformed", "complete web address"),
    ("ftp://files.example.com/video.mp4", "scheme", "“ftp:”"),
    ("javascript:alert(document.cookie)", "scheme", "“javascript:”"),
    ("JavaScript:alert(1)", "scheme", "“javascript:”"),
    ("data:text/html,<script>alert(1)</script>", "scheme", "“data:”"),
    (f"https://editor:secret@www.youtube.com/watch?v={YT}", "credentials", "public link"),
    ("https://example.com/video/123", "unknown_provider", "YouTube, Vimeo, X"),
    ("https://medium.com/@someone/a-story-1a2b3c", "unknown_provider", "SoundCloud and Spotify"),
    ("https://10.0.0.1/@admin/123", "malformed", "complete web address"),
    ("https://www.youtube.com/@NASA", "not_an_item", "youtube.com/watch?v="),
    ("https://www.youtube.com/channel/UCLA_DiR1FfKNvjuUpBHmylQ", "not_an_item", "isn't a video"),
    ("https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F", "not_an_item", "isn't a video"),
    ("https://www.youtube.com/embed/videoseries?list=PL590L5", "not_an_item", "isn't a video"),
    (f'https://www.youtube.com/watch?v={YT}"onload="alert(1)', "not_an_item", "isn't a video"),
    ("https://vimeo.com/nasa", "not_an_item", "vimeo.com/123456789"),
    ("https://x.com/NASA", "not_an_item", "x.com/user/status/"),
    ("https://bsky.app/profile/nasa.gov", "not_an_item", "isn't a post"),
    ("https://www.instagram.com/natgeo/", "not_an_item", "a reel or post"),
    ("https://www.tiktok.com/@scout2015", "not_an_item", "isn't a video"),
    ("https://soundcloud.com/forss", "not_an_item", "a playlist or track"),
    ("https://soundcloud.com/forss/likes", "not_an_item", "a playlist or track"),
    ("https://soundcloud.com/discover/sets", "not_an_item", "a playlist or track"),
    (f"https://open.spotify.com/artist/{SPOTIFY}", "not_an_item", "open.spotify.com/track/"),
    ("https://datawrapper.dwcdn.net/", "not_an_item", "isn't a chart"),
    ("https://www.documentcloud.org/app", "not_an_item", "isn't a document"),
    ("https://public.flourish.studio/", "not_an_item", "a story or visualisation"),
    ("https://vm.tiktok.com/ZMabc123/", "short_link", "full address"),
    (f"https://www.youtube.com/watch?v={YT}&x={'a' * 500}", "too_long", "at most 500"),
]


@pytest.mark.parametrize(("pasted", "code", "phrase"), REFUSED)
def test_a_link_that_cant_be_embedded_is_refused_saying_what_to_paste(pasted, code, phrase):
    with pytest.raises(ValidationError) as refused:
        recognise(pasted)
    assert refused.value.code == code
    assert phrase in refused.value.messages[0]


@pytest.fixture
def oembed(settings):
    """The local oEmbed server, every provider's endpoint pointed at its canned answer."""
    with serving() as server:
        settings.NEWSROOM_OEMBED_ENDPOINTS = {key: f"{server.url}/{key}" for key in PROVIDERS}
        yield server


def point(settings, server, provider, path):
    settings.NEWSROOM_OEMBED_ENDPOINTS = {provider: f"{server.url}/{path}"}


@pytest.mark.parametrize(
    "pasted",
    [YT_URL, "https://vimeo.com/76979871", f"https://open.spotify.com/episode/{SPOTIFY}"],
)
def test_the_title_comes_from_the_providers_oembed_endpoint(oembed, pasted):
    embed = recognise(pasted)
    assert fetch_title(embed) == f"A {embed.provider} title"
    [(path, query)] = oembed.requests
    assert path == embed.provider
    assert query == {"url": [embed.url], "format": ["json"]}


def test_a_post_without_a_title_is_named_after_its_author(oembed):
    assert fetch_title(recognise("https://x.com/NASA/status/1790000000000000000")) == (
        "Post by NASA"
    )


def test_a_provider_without_an_endpoint_is_not_asked(oembed, settings):
    settings.NEWSROOM_OEMBED_ENDPOINTS = {}
    assert fetch_title(recognise(TOOT)) == ""
    assert fetch_title(recognise("https://www.instagram.com/p/C1a2B3c4D5e/")) == ""
    assert oembed.requests == []


@pytest.mark.parametrize("path", ["slow", "trickle"])
def test_a_slow_provider_gives_no_title_within_the_timeout(oembed, settings, path):
    point(settings, oembed, "youtube", path)
    settings.NEWSROOM_OEMBED_TIMEOUT = 0.5
    started = time.monotonic()
    assert fetch_title(recognise(YT_URL)) == ""
    assert time.monotonic() - started < 1.5


def test_an_explicit_timeout_overrides_the_setting(oembed, settings):
    point(settings, oembed, "youtube", "slow")
    settings.NEWSROOM_OEMBED_TIMEOUT = 30
    started = time.monotonic()
    assert fetch_title(recognise(YT_URL), timeout=0.3) == ""
    assert time.monotonic() - started < 1.3


@pytest.mark.parametrize(
    "path",
    [
        "error",
        "not-json",
        "not-an-object",
        "oversized",
        "oversized-undeclared",
        "to-a-file",
    ],
)
def test_a_failing_provider_gives_no_title_and_a_warning(oembed, settings, caplog, path):
    point(settings, oembed, "youtube", path)
    with caplog.at_level(logging.WARNING, logger="articles.embeds"):
        assert fetch_title(recognise(YT_URL)) == ""
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert YT_URL in record.getMessage()


def test_an_unreachable_provider_gives_no_title(settings):
    with serving() as server:
        closed = server.url
    settings.NEWSROOM_OEMBED_ENDPOINTS = {"youtube": closed}
    assert fetch_title(recognise(YT_URL), timeout=1) == ""


def test_an_endpoint_that_isnt_http_is_never_opened(settings, caplog):
    settings.NEWSROOM_OEMBED_ENDPOINTS = {"youtube": "file:///etc/hostname"}
    assert fetch_title(recognise(YT_URL)) == ""
    assert "isn't an http or https URL" in caplog.text


class Markup(HTMLParser):
    """Every tag, attribute and text of a fragment."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes, self.texts = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.texts.append(data)


EXAMPLES = [recognise(pasted) for pasted, *_ in RECOGNISED]


def provider_hosts(embed):
    return {urlsplit(embed.url).hostname, urlsplit(embed.frame_src).hostname} - {None}


@pytest.mark.parametrize("title", ["Never Gonna Give You Up", ""])
@pytest.mark.parametrize("embed", EXAMPLES, ids=lambda embed: embed.url)
def test_the_placeholder_asks_nothing_of_the_provider(embed, title):
    html = render_to_string("includes/embed.html", {"embed": embed, "title": title})
    markup = Markup(html)
    assert not {"iframe", "img", "script", "video", "audio", "object", "embed", "link"} & set(
        markup.tags
    )
    # The provider appears only in the link's href and the button's frame URL.
    everywhere = [f"{tag} {name}" for tag, name, value in markup.attributes if "//" in value]
    expected = ["a href", "button data-frame-src"] if embed.frame_src else ["a href"]
    assert sorted(everywhere) == expected
    for host in provider_hosts(embed):
        assert not any(host in text for text in markup.texts)
    assert ("a", "href", embed.url) in markup.attributes
    assert (title or embed.description) in html


def test_the_placeholder_button_says_what_it_loads_and_carries_the_frame():
    embed = recognise(YT_URL)
    markup = Markup(render_to_string("includes/embed.html", {"embed": embed, "title": "Song"}))
    assert "Load the YouTube video" in markup.texts
    assert ("button", "data-frame-src", YT_FRAME) in markup.attributes
    assert ("button", "data-aspect", "16 / 9") in markup.attributes
    assert ("button", "data-frame-title", "Song (YouTube video)") in markup.attributes
    assert any("content from YouTube" in text for text in markup.texts)


def test_an_item_without_a_frame_is_a_link_without_a_button():
    embed = recognise("https://bsky.app/profile/nasa.gov/post/3kwzu3z2tqc2q")
    html = render_to_string("includes/embed.html", {"embed": embed, "title": ""})
    markup = Markup(html)
    assert "button" not in markup.tags
    assert "A post on Bluesky" in markup.texts
    assert ("a", "href", embed.url) in markup.attributes


def test_the_titles_markup_is_escaped():
    embed = recognise(YT_URL)
    html = render_to_string("includes/embed.html", {"embed": embed, "title": '<img src="x">'})
    assert "<img" not in html
    assert "&lt;img" in html


def test_the_link_version_is_one_paragraph_with_the_linked_title():
    embed = recognise(YT_URL)
    html = render_to_string("includes/embed_link.html", {"embed": embed, "title": "Song"})
    markup = Markup(html)
    assert markup.tags == ["p", "a"]
    assert markup.attributes == [("p", "class", "embed-link"), ("a", "href", YT_URL)]
    assert "".join(markup.texts).strip() == "YouTube: Song"


def test_the_link_version_without_a_title_describes_the_item():
    embed = recognise("https://x.com/NASA/status/1790000000000000000")
    html = render_to_string("includes/embed_link.html", {"embed": embed, "title": ""})
    assert ">A post on X</a>" in html


@pytest.mark.checker
def test_the_embed_templates_are_valid_html(tmp_path):
    fragments = [
        render_to_string(template, {"embed": embed, "title": title})
        for embed in EXAMPLES
        for title in ("Never Gonna Give You Up", "")
        for template in ("includes/embed.html", "includes/embed_link.html")
    ]
    page = tmp_path / "embeds.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embeds</title>'
        "</head><body><main>" + "".join(fragments) + "</main></body></html>"
    )
    assert html_problems([str(page)]) == []


def test_an_embed_is_a_plain_value():
    embed = recognise(YT_URL)
    assert embed == Embed("youtube", "YouTube", YT_URL, YT_FRAME, "16 / 9")
    with pytest.raises(AttributeError):
        embed.url = "https://example.com/"


SCRIPT = Path(__file__).resolve().parent.parent / "static" / "js" / "embeds.js"


def test_the_button_loads_the_frame_only_when_the_reader_asks(browser):
    video = recognise(f"https://youtu.be/{YT}?t=42")
    track = recognise("https://soundcloud.com/forss/flickermood")
    page = browser.new_page()
    requested = []
    # Record every request and let none leave the machine.
    page.route("**/*", lambda route: (requested.append(route.request.url), route.abort()))
    placeholders = "".join(
        render_to_string("includes/embed.html", {"embed": embed, "title": "Song"})
        for embed in (video, track)
    )
    page.set_content(f'<!doctype html><html lang="en"><title>t</title><main>{placeholders}</main>')
    page.add_script_tag(content=SCRIPT.read_text())
    assert page.locator("iframe").count() == 0
    assert requested == []

    page.get_by_role("button", name="Load the YouTube video").focus()
    with page.expect_request(f"{YT_FRAME}?start=42"):
        page.keyboard.press("Enter")
    frame = page.locator("iframe.embed__frame")
    assert frame.get_attribute("title") == "Song (YouTube video)"
    assert frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert "allow-top-navigation" not in frame.get_attribute("sandbox")
    assert frame.evaluate("frame => frame.style.aspectRatio") == "16 / 9"
    assert frame.evaluate("frame => document.activeElement === frame")
    assert page.get_by_role("button", name="Load the YouTube video").count() == 0
    assert requested == [f"{YT_FRAME}?start=42"]

    with page.expect_request(track.frame_src):
        page.get_by_role("button", name="Load the SoundCloud track").click()
    assert page.locator("iframe").nth(1).evaluate("frame => frame.style.height") == "166px"
    page.close()
