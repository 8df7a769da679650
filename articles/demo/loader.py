"""Loads the demo content: the reference article and the articles it links to."""

from django.core.files.base import ContentFile
from django.db import transaction

from ..models import Article, Author, Block, Byline, Category, Image, MoreOnLink
from . import reference


@transaction.atomic
def load(report=None):
    """Create or reset the demo content; `report` is told of each article loaded."""
    category, _ = Category.objects.update_or_create(
        slug=reference.CATEGORY["slug"], defaults=reference.CATEGORY
    )
    authors = {
        data["slug"]: Author.objects.update_or_create(slug=data["slug"], defaults=data)[0]
        for data in reference.AUTHORS
    }
    loaded = [_load_article(data, category, authors) for data in reference.ARTICLES]
    for article in loaded:
        if report:
            report(article)
    return loaded


def _load_article(data, category, authors):
    article, _ = Article.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "headline": data["headline"],
            "dek": data["dek"],
            "category": category,
            "status": Article.Status.PUBLISHED,
            "published_at": data["published_at"],
            "lead_image": _load_image(data.get("lead_image")),
        },
    )
    # The demo owns these articles: their children are replaced, not merged.
    article.bylines.all().delete()
    article.blocks.all().delete()
    article.sections.all().delete()
    article.more_on_links.all().delete()
    for position, slug in enumerate(data["authors"]):
        Byline.objects.create(article=article, author=authors[slug], position=position)
    article.tags.set(data["tags"])
    for position, quote in enumerate(data["lead_quotes"]):
        Block.objects.create(article=article, kind=Block.Kind.QUOTE, position=position, **quote)
    for position, section_data in enumerate(data["sections"]):
        section = article.sections.create(position=position, subheading=section_data["subheading"])
        for block_position, block in enumerate(reference.blocks(section_data)):
            Block.objects.create(article=article, section=section, position=block_position, **block)
    for position, link in enumerate(data["more_on_links"]):
        MoreOnLink.objects.create(
            article=article,
            position=position,
            topic=link["topic"],
            target=Article.objects.get(slug=link["target"]),
        )
    # The demo story was published once and never updated.
    Article.objects.filter(pk=article.pk).update(updated_at=data["published_at"])
    return article


def _load_image(data):
    """The demo illustration, drawn once; its text is restored on every run."""
    if data is None:
        return None
    fields = {key: value for key, value in data.items() if key != "label"}
    image = Image.objects.filter(title=data["title"]).first() or Image(**fields)
    for key, value in fields.items():
        setattr(image, key, value)
    if not image.file or not image.file.storage.exists(image.file.name):
        image.file = ContentFile(reference.illustration(data["label"]), name="soyuz-return.jpg")
    image.save()
    return image
