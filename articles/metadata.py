"""What search engines, social networks and aggregators read about a page:
title, description, canonical URL, Open Graph / Twitter cards and JSON-LD."""

from dataclasses import dataclass, field

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

LOGO = ("img/logo.png", 600, 60)
# The feeds' enclosure of the lead image: a JPEG every reader can show, at most this wide.
ENCLOSURE_MAX_WIDTH = 1200
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


def article_facts(article):
    """What an article's page metadata says about it, as JSON with site-relative URLs.

    Taken from an article fetched with for_listing().with_body(), and stored with its
    rendered parts (articles/delivery/rendered.py): the page adds its host and nothing else.
    """
    image = article.lead_image
    social = image.rendition("social") if image else None
    lead = image.rendition("lead", max_width=1600) if image else None
    enclosure = image.rendition("lead", max_width=ENCLOSURE_MAX_WIDTH) if image else None
    modified_at = max(article.updated_at, article.published_at or article.updated_at)
    return {
        "url": article.get_absolute_url(),
        "headline": article.headline,
        "dek": article.dek,
        # (url, width, height, alt) of its social card; without one, the site's.
        "social": [social.url, social.width, social.height, image.alt_text] if social else None,
        "lead": [lead.url, lead.width, lead.height] if lead else None,
        # (url, bytes, type) of the feeds' enclosure.
        "enclosure": [enclosure.url, enclosure.size, enclosure.mime_type] if enclosure else None,
        "published": article.published_at.isoformat() if article.published_at else None,
        "modified": modified_at.isoformat(),
        "authors": [[author.name, author.get_absolute_url()] for author in article.byline_authors],
        "section": [article.category.name, article.category.get_absolute_url()],
        "tags": [tag.name for tag in article.tags.all()],
        "corrections": [
            [correction.text, correction.noted_at.isoformat()]
            for correction in article.corrections.all()
        ],
        # (url, width, height) of the photos in its body, in reading order.
        "photos": [
            [rendition.url, rendition.width, rendition.height]
            for rendition in body_photo_renditions(article)
        ],
        "words": article.words,
    }


def body_photo_renditions(article):
    for section in article.sections.all():
        for block in section.blocks.all():
            if block.kind == block.Kind.PHOTO and block.image:
                rendition = block.image.rendition("figure", max_width=1600)
                if rendition:
                    yield rendition


def for_article(request, facts, robots=""):
    """An article page, from its article_facts()."""
    url = _absolute(request, facts["url"])
    if facts["social"]:
        social_url, image_width, image_height, image_alt = facts["social"]
        image_url = _absolute(request, social_url)
    else:
        image_url, image_width, image_height, image_alt = site_card(request)
    images = [image_object(image_url, image_width, image_height)]
    if facts["lead"]:
        lead_url, lead_width, lead_height = facts["lead"]
        images.append(image_object(_absolute(request, lead_url), lead_width, lead_height))
    images += [
        image_object(_absolute(request, photo_url), width, height)
        for photo_url, width, height in facts["photos"]
    ]
    section_name, section_url = facts["section"]
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": facts["headline"],
        "description": facts["dek"],
        "image": images,
        "datePublished": facts["published"],
        "dateModified": facts["modified"],
        "author": [
            {"@type": "Person", "name": name, "url": _absolute(request, author_url)}
            for name, author_url in facts["authors"]
        ],
        "publisher": publisher(request),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "articleSection": section_name,
        "keywords": facts["tags"],
        "wordCount": facts["words"],
    }
    if facts["corrections"]:
        news_article["correction"] = [
            {"@type": "CorrectionComment", "text": text, "datePublished": noted_at}
            for text, noted_at in facts["corrections"]
        ]
    properties = [
        ("article:published_time", facts["published"] or ""),
        ("article:modified_time", facts["modified"]),
        *[("article:author", person["url"]) for person in news_article["author"]],
        ("article:section", section_name),
        *[("article:tag", tag) for tag in facts["tags"]],
    ]
    trail = [(section_name, section_url), (facts["headline"], facts["url"])]
    return PageMeta(
        title=f"{facts['headline']} · {settings.SITE_NAME}",
        description=facts["dek"] or facts["headline"],
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
