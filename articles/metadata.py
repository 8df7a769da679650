"""What search engines, social networks and aggregators read about a page:
title, description, canonical URL, Open Graph / Twitter cards and JSON-LD."""

from dataclasses import dataclass, field

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

LOGO = ("img/logo.png", 600, 60)
SOCIAL_CARD = ("img/social-card.png", 1200, 630)


@dataclass
class PageMeta:
    title: str
    description: str
    canonical_url: str
    og_type: str = "website"
    image_url: str = ""
    image_width: int = 0
    image_height: int = 0
    image_alt: str = ""
    # Open Graph properties beyond the common ones, e.g. ("article:tag", "ISS").
    properties: list = field(default_factory=list)
    structured_data: list = field(default_factory=list)
    robots: str = ""


def canonical_url(request, page_number=1):
    url = request.build_absolute_uri(request.path)
    return f"{url}?page={page_number}" if page_number > 1 else url


def _absolute(request, url):
    return request.build_absolute_uri(url)


def publisher(request):
    path, width, height = LOGO
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": _absolute(request, reverse("articles:list")),
        "logo": {
            "@type": "ImageObject",
            "url": _absolute(request, static(path)),
            "width": width,
            "height": height,
        },
    }


def site_card(request):
    path, width, height = SOCIAL_CARD
    return _absolute(request, static(path)), width, height, settings.SITE_NAME


def social_card(request, article):
    """(url, width, height, alt) of the article's social card: its lead image, or the site's."""
    image = article.lead_image
    rendition = image.rendition("social") if image else None
    if rendition is None:
        return site_card(request)
    return _absolute(request, rendition.url), rendition.width, rendition.height, image.alt_text


def image_object(url, width, height):
    return {"@type": "ImageObject", "url": url, "width": width, "height": height}


def breadcrumbs(request, trail):
    """BreadcrumbList for [(name, url), …], starting at the front page."""
    items = [(settings.SITE_NAME, reverse("articles:list")), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": _absolute(request, url)}
            for index, (name, url) in enumerate(items, start=1)
        ],
    }


def website(request):
    search_url = _absolute(request, reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": _absolute(request, reverse("articles:list")),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term}}"},
            "query-input": "required name=search_term",
        },
    }


def for_listing(request, title, description, trail=(), page_number=1):
    """A front, category, tag or author page."""
    page_title = title if not trail else f"{title} · {settings.SITE_NAME}"
    if page_number > 1:
        page_title = f"{page_title} (page {page_number})"
    structured_data = [breadcrumbs(request, trail)] if trail else [website(request)]
    image_url, image_width, image_height, image_alt = site_card(request)
    return PageMeta(
        title=page_title,
        description=description,
        canonical_url=canonical_url(request, page_number),
        image_url=image_url,
        image_width=image_width,
        image_height=image_height,
        image_alt=image_alt,
        structured_data=structured_data,
    )


def for_article(request, article, robots=""):
    url = _absolute(request, article.get_absolute_url())
    image_url, image_width, image_height, image_alt = social_card(request, article)
    images = [image_object(image_url, image_width, image_height)]
    lead = article.lead_image.rendition("lead", max_width=1600) if article.lead_image else None
    if lead is not None:
        images.append(image_object(_absolute(request, lead.url), lead.width, lead.height))
    authors = article.byline_authors
    tags = [tag.name for tag in article.tags.all()]
    modified_at = max(article.updated_at, article.published_at or article.updated_at)
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.dek,
        "image": images,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": modified_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": _absolute(request, author.get_absolute_url()),
            }
            for author in authors
        ],
        "publisher": publisher(request),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "articleSection": article.category.name,
        "keywords": tags,
    }
    corrections = article.corrections.all()
    if corrections:
        news_article["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.noted_at.isoformat(),
            }
            for correction in corrections
        ]
    properties = [
        ("article:published_time", news_article["datePublished"] or ""),
        ("article:modified_time", news_article["dateModified"]),
        *[("article:author", person["url"]) for person in news_article["author"]],
        ("article:section", article.category.name),
        *[("article:tag", tag) for tag in tags],
    ]
    trail = [
        (article.category.name, article.category.get_absolute_url()),
        (article.headline, article.get_absolute_url()),
    ]
    return PageMeta(
        title=f"{article.headline} · {settings.SITE_NAME}",
        description=article.dek or article.headline,
        canonical_url=url,
        og_type="article",
        image_url=image_url,
        image_width=image_width,
        image_height=image_height,
        image_alt=image_alt,
        properties=properties,
        structured_data=[news_article, breadcrumbs(request, trail)],
        robots=robots,
    )
