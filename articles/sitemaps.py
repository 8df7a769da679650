"""Sitemaps for search engines (all public pages, and Google News) and robots.txt.

A single sitemap lists every URL. Past 50,000 URLs in a section, switch to the
paginated index: `django.contrib.sitemaps.views.index` pointing at
`views.sitemap` with a `section` argument.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from .models import Article, Author, Category

# Google News only reads articles published in the last two days.
NEWS_WINDOW = timedelta(hours=48)


def newest_publication(lookup):
    """The publication time of the newest published article matching `lookup` = the row."""
    return Subquery(
        Article.objects.published()
        .filter(**{lookup: OuterRef("pk")})
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class ArticleSitemap(Sitemap):
    def items(self):
        return (
            Article.objects.published()
            .select_related("category")
            .only("slug", "updated_at", "category__slug")
        )

    def lastmod(self, item):
        return item.updated_at


class HomeSitemap(Sitemap):
    def items(self):
        return ["articles:list"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(Sitemap):
    def items(self):
        return Category.objects.annotate(newest_at=newest_publication("category"))

    def lastmod(self, item):
        return item.newest_at


class TagSitemap(Sitemap):
    """Tags with published articles; a tag page with nothing to read isn't worth a crawl."""

    def items(self):
        return (
            Tag.objects.annotate(newest_at=newest_publication("tags"))
            .filter(newest_at__isnull=False)
            .order_by("name")
        )

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.newest_at


class AuthorSitemap(Sitemap):
    def items(self):
        return Author.objects.annotate(newest_at=newest_publication("authors")).filter(
            newest_at__isnull=False
        )

    def lastmod(self, item):
        return item.newest_at


class NewsSitemap(Sitemap):
    """Google News: articles published in the last 48 hours (templates/sitemaps/news.xml)."""

    limit = 1000  # Google News reads at most 1,000 URLs per sitemap.

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .select_related("category")
            .only("headline", "slug", "published_at", "updated_at", "category__slug")
        )

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "home": HomeSitemap,
    "categories": CategorySitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}


@require_safe
def robots_txt(request):
    sitemap_urls = [
        request.build_absolute_uri(reverse(name))
        for name in ("articles:sitemap", "articles:news_sitemap")
    ]
    return render(request, "robots.txt", {"sitemap_urls": sitemap_urls}, content_type="text/plain")
