"""RSS 2.0 and Atom 1.0 feeds of the newest articles: site-wide, and per category, tag and author.

Each item carries the whole article as HTML (RSS ``content:encoded``, Atom ``<content>``),
so feed readers show the story without a visit, and the dek as its summary.
"""

import re
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag

from .delivery import rendered
from .models import Article, Author, Category

ITEMS_PER_FEED = 20
# What an item says of the article itself; the rest is its stored parts.
ITEM_FIELDS = [
    "headline",
    "dek",
    "slug",
    "published_at",
    "updated_at",
    "category",
    "category__name",
    "category__slug",
]


# A src or href holding a site path ("/media/…"), not a full URL or a protocol-relative one.
SITE_PATH = re.compile(r'(\s(?:src|href)=")/(?!/)')


def absolute_content(feed, item):
    """The item's content with site paths made absolute: feed readers read it elsewhere."""
    base = urljoin(feed["link"], "/")
    return {
        **item,
        "content_html": SITE_PATH.sub(lambda m: m.group(1) + base, item["content_html"]),
    }


def absolute_enclosures(feed, item):
    """The item with its enclosures' URLs made absolute against the feed's site link."""
    enclosures = [
        Enclosure(urljoin(feed["link"], enclosure.url), enclosure.length, enclosure.mime_type)
        for enclosure in item["enclosures"]
    ]
    return {**item, "enclosures": enclosures}


class ArticleRssFeedGenerator(Rss201rev2Feed):
    """RSS 2.0 with the full article in ``content:encoded``."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        item = absolute_content(self.feed, absolute_enclosures(self.feed, item))
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class ArticleAtomFeedGenerator(Atom1Feed):
    """Atom 1.0 with one ``<author>`` per byline and the full article in ``<content>``."""

    def add_item_elements(self, handler, item):
        # The base class writes a single <author>; the byline's authors are written below.
        item = absolute_content(self.feed, absolute_enclosures(self.feed, item))
        super().add_item_elements(handler, {**item, "author_name": None})
        for name, path in item["byline"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            # Paths are made absolute against the feed's own (absolute) site link.
            handler.addQuickElement("uri", urljoin(self.feed["link"], path))
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


def join_names(names):
    """“Zed”, “Zed and Amy”, “Zed, Amy and Mo”: the byline as the article page writes it."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


class LatestArticlesFeed(Feed):
    """The site's newest articles (RSS); subclasses narrow them with `articles()`."""

    feed_type = ArticleRssFeedGenerator

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return reverse("articles:list")

    def description(self, obj):
        return f"The latest news from {settings.SITE_NAME}."

    def author_name(self, obj):
        return settings.SITE_NAME

    def articles(self, obj):
        return Article.objects.published()

    def item_queryset(self, obj):
        return (
            self.articles(obj)
            .select_related("category")
            .with_parts("feed", "facts", fields=ITEM_FIELDS)[:ITEMS_PER_FEED]
        )

    def items(self, obj):
        # Each item is the article's stored parts (articles/delivery/rendered.py): a fixed number of
        # queries whatever the items' count.
        articles = list(self.item_queryset(obj))
        parts = rendered.parts_for(articles, ["feed", "facts"])
        for article in articles:
            article.parts = parts.get(article.pk)
        return [article for article in articles if article.parts is not None]

    def item_description(self, item):
        # Readers treat the summary as HTML; the dek is plain text.
        return escape(item.dek)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return join_names([name for name, _ in item.parts.facts["authors"]]) or None

    def item_categories(self, item):
        return [item.category.name, *item.parts.facts["tags"]]

    def item_enclosures(self, item):
        # Paths here; the feed generators make them absolute (no request reaches this hook).
        if not item.parts.facts["enclosure"]:
            return []
        url, size, mime_type = item.parts.facts["enclosure"]
        return [Enclosure(url, str(size), mime_type)]

    def item_extra_kwargs(self, item):
        return {"content_html": item.parts.feed, "byline": item.parts.facts["authors"]}


class AtomFeedMixin:
    feed_type = ArticleAtomFeedGenerator

    def subtitle(self, obj):
        return self.description(obj)

    def item_title(self, item):
        # Atom titles are plain text: no HTML escaping on top of the XML escaping.
        return item.headline


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"The latest {obj.name} news from {settings.SITE_NAME}."

    def articles(self, obj):
        return super().articles(obj).filter(category=obj)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj):
        return f"Articles tagged {obj.name} from {settings.SITE_NAME}."

    def articles(self, obj):
        return super().articles(obj).filter(tags=obj)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"Articles by {obj.name} from {settings.SITE_NAME}."

    def author_name(self, obj):
        return obj.name

    def articles(self, obj):
        return super().articles(obj).filter(authors=obj)


class LatestArticlesAtomFeed(AtomFeedMixin, LatestArticlesFeed):
    pass


class CategoryAtomFeed(AtomFeedMixin, CategoryFeed):
    pass


class TagAtomFeed(AtomFeedMixin, TagFeed):
    pass


class AuthorAtomFeed(AtomFeedMixin, AuthorFeed):
    pass
