import datetime
import importlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Block,
    Byline,
    Category,
    Image,
    MoreOnLink,
    Section,
)

from .image_files import jpeg


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "Reporter"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article; `sections`, `quotes`, `authors` and `tags` add children."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    dek = "A dek that sells the story."
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def authors(article, create, extracted, **kwargs):
        count_or_list = 1 if extracted is None else extracted
        authors = (
            AuthorFactory.create_batch(count_or_list)
            if isinstance(count_or_list, int)
            else count_or_list
        )
        for position, author in enumerate(authors):
            Byline.objects.create(article=article, author=author, position=position)

    @factory.post_generation
    def sections(article, create, extracted, **kwargs):
        for position in range(extracted or 0):
            SectionFactory(article=article, position=position)

    @factory.post_generation
    def quotes(article, create, extracted, **kwargs):
        """`quotes=N` adds N pull quotes to every section, and one lead quote."""
        if not extracted:
            return
        QuoteFactory(article=article)
        for section in article.sections.all():
            QuoteFactory.create_batch(extracted, article=article, section=section)

    @factory.post_generation
    def tags(article, create, extracted, **kwargs):
        if extracted:
            article.tags.add(*extracted)


DEFAULT_BODY = "A paragraph with *emphasis* and a [link](https://example.com/).\n\nAnother one."


class SectionFactory(factory.django.DjangoModelFactory):
    """A section; `body="Markdown"` is its first text block (a default one, or "" for none)."""

    class Meta:
        model = Section
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    subheading = factory.Sequence(lambda n: f"Subheading {n}")

    @factory.post_generation
    def body(section, create, extracted, **kwargs):
        text = DEFAULT_BODY if extracted is None else extracted
        if create and text:
            TextBlockFactory(section=section, body=text)


class TextBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    section = factory.SubFactory(SectionFactory, body="")
    article = factory.SelfAttribute("section.article")
    kind = Block.Kind.TEXT
    body = DEFAULT_BODY


class QuoteFactory(factory.django.DjangoModelFactory):
    """A quote block: a lead quote unless given a `section`."""

    class Meta:
        model = Block

    article = factory.LazyAttribute(lambda o: o.section.article if o.section else ArticleFactory())
    section = None
    kind = Block.Kind.QUOTE
    text = "We are going to the Moon."
    speaker = "Jane Speaker"
    speaker_role = "Agency administrator"


class MoreOnLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MoreOnLink

    article = factory.SubFactory(ArticleFactory)
    topic = "the ISS"
    target = factory.SubFactory(ArticleFactory)


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image: a small JPEG (`size`, `marker` as image_files.jpeg), renditions made."""

    class Meta:
        model = Image

    class Params:
        size = (640, 480)
        marker = None

    title = factory.Sequence(lambda n: f"Photo {n}")
    alt_text = "Three crew members wave beside the Soyuz capsule after landing."
    caption = "The crew after landing in Kazakhstan."
    credit = "NASA/Bill Ingalls"
    file = factory.LazyAttribute(
        lambda o: ContentFile(jpeg(size=o.size, marker=o.marker), name="photo.jpg")
    )


class FigureFactory(factory.django.DjangoModelFactory):
    """A photo block in a section."""

    class Meta:
        model = Block

    section = factory.SubFactory(SectionFactory, body="")
    article = factory.SelfAttribute("section.article")
    kind = Block.Kind.PHOTO
    image = factory.SubFactory(ImageFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user in the named group ("Writers" or "Editors")."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Staffer {n}")
    is_staff = True

    @factory.post_generation
    def group(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(editorial_group(extracted))


# The data migrations that make the Writers and Editors groups and grant them permissions.
GROUP_MIGRATIONS = [
    ("0003_editorial_groups", "create_groups"),
    ("0006_add_image_library", "grant_image_permissions"),
    ("0010_body_blocks", "grant_block_permissions"),
]


def make_editorial_groups():
    """Run the groups' data migrations again. Transactional tests (the browser tests) empty
    every table when they end, the groups those migrations made included."""
    for name, function in GROUP_MIGRATIONS:
        migration = importlib.import_module(f"articles.migrations.{name}")
        state = MigrationLoader(connection).project_state(("articles", name))
        getattr(migration, function)(state.apps, schema_editor=None)


def editorial_group(name):
    group = Group.objects.filter(name=name).first()
    if group is None:
        make_editorial_groups()
        group = Group.objects.get(name=name)
    return group
