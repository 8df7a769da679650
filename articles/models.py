import itertools
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from taggit.managers import TaggableManager

# Models of the app's packages are imported here, so Django registers them with the app.
from . import reading
from .autosave import UnsavedChanges  # noqa: F401
from .delivery.models import ContentVersion, RenderedArticle  # noqa: F401
from .parts import Block, Byline, Correction, MoreOnLink, Section  # noqa: F401
from .photos.models import MISSING_ALT_TEXT, Image, Rendition, renditions_of  # noqa: F401

# First path segments the site uses itself; a category slug equal to one of
# them would make its articles unreachable.
RESERVED_CATEGORY_SLUGS = {
    "admin",
    "authors",
    "feeds",
    "media",
    "page",
    "preview",
    "search",
    "static",
    "tags",
}


# Derived when the article changes by articles/search.py.
SEARCH_DOCUMENT_FIELDS = ["search_tags", "search_body", "search_vector"]


# The lead image's renditions every public page may show: cards in lists, the lead and the
# social card on the article page (one query whichever a page uses).
LEAD_IMAGE_SPECS = ["card", "lead", "social"]

# A generated slug keeps this much of its base, leaving room for a "-<n>" suffix; the
# free one is looked for this many suffixes at a time (two queries each).
SLUG_BASE_LENGTH = 190
SLUG_BATCH = 10

# Saves this soon after publication are the last fixes of the publishing
# editor, not updates a reader needs to be told about.
UPDATE_GRACE = timedelta(minutes=5)


def validate_category_slug(value):
    if value in RESERVED_CATEGORY_SLUGS:
        raise ValidationError(
            "“%(value)s” is used by the site itself; choose another slug.",
            params={"value": value},
        )


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_category_slug],
        help_text="Used in the URL of the category and of its articles.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the category page."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the site navigation: lower numbers come first."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:category", self.slug)


class AuthorQuerySet(models.QuerySet):
    def with_portrait(self):
        """Authors with their portrait's avatar renditions, in one more query."""
        return self.select_related("portrait").prefetch_related(
            Prefetch("portrait__renditions", queryset=renditions_of("avatar"))
        )


class Author(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    role = models.CharField(
        max_length=100, blank=True, help_text="Shown with the byline, e.g. “Senior Editor”."
    )
    bio = models.TextField(blank=True, help_text="A short biography for the author page.")
    portrait = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portrait_of",
        help_text="A head-and-shoulders photo from the library, shown on the author page and "
        "beside bylines. The crop centres on the image's focal point.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The newsroom account that writes as this author: the articles they start "
        "carry this byline.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


def published_condition(at=None, prefix=""):
    """What makes an article visible to readers: published, and its time (now) has come.

    `prefix` applies it to a related article, e.g. "target__".
    """
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": at or timezone.now(),
        }
    )


def scheduled_condition(at=None):
    """Published, but its time (now) has not come yet."""
    return Q(status=Article.Status.PUBLISHED, published_at__gt=at or timezone.now())


@lru_cache(maxsize=10_000)
def _reverse(urlconf, prefix, name, args):
    return reverse(name, urlconf=urlconf, args=args)


def cached_reverse(name, *args):
    """reverse(), remembered: every page links each category, and reverse() costs as much
    as a query. A URL depends only on the URLconf and the script prefix."""
    return _reverse(get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), name, args)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see; every public view starts here."""
        return self.filter(published_condition())

    def related_to(self, article, limit=5):
        """Recent published articles sharing a tag with `article`, newest first."""
        return (
            self.published()
            .filter(tags__in=article.tags.all())
            .exclude(pk=article.pk)
            .distinct()
            .select_related("category")[:limit]
        )

    def for_listing(self):
        # The search document is read by searches only; pages don't fetch it. Cards show
        # no tags: pages that do add them (with_tags), as taggit's prefetch costs about
        # half a millisecond per article.
        return (
            self.select_related("category", "lead_image")
            .defer(*SEARCH_DOCUMENT_FIELDS)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author__portrait")),
                Prefetch("lead_image__renditions", queryset=renditions_of(*LEAD_IMAGE_SPECS)),
            )
        )

    def showing_image(self, image, *, as_portrait=True):
        """Articles that show `image`: as their lead, in a photo block, or (unless
        `as_portrait` is false) as the portrait beside a byline."""
        shown = Q(lead_image=image) | Q(blocks__image=image)
        if as_portrait:
            shown |= Q(bylines__author__portrait=image)
        return self.filter(shown).distinct()

    def with_parts(self, *names, fields=("published_at",)):
        """Articles with the named parts stored by articles/delivery/rendered.py and only `fields`
        of their own: loading every column costs more than the query itself."""
        return self.select_related("rendered").only(
            *fields,
            "rendered__template_key",
            "rendered__expires_at",
            *(f"rendered__{name}" for name in names),
        )

    def with_tags(self):
        return self.prefetch_related("tags")

    def with_body(self):
        """Everything the article page shows, in a fixed number of queries."""
        # A join, not `target__in=published()`: SQLite would list every published id.
        visible_links = MoreOnLink.objects.filter(
            Q(target__isnull=True) | published_condition(prefix="target__")
        ).select_related("target__category")
        blocks = Block.objects.select_related("image").prefetch_related(
            Prefetch("image__renditions", queryset=renditions_of("figure"))
        )
        return self.prefetch_related(
            Prefetch(
                "sections", queryset=Section.objects.prefetch_related(Prefetch("blocks", blocks))
            ),
            Prefetch("bylines__author__portrait__renditions", queryset=renditions_of("avatar")),
            Prefetch(
                "blocks", queryset=Block.objects.filter(section__isnull=True), to_attr="lead_quotes"
            ),
            Prefetch("more_on_links", queryset=visible_links, to_attr="visible_more_on_links"),
            "corrections",
            "tags",
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The last part of the article's URL. Left empty, it is made from the headline.",
    )
    dek = models.TextField(
        "dek",
        blank=True,
        help_text="The standfirst under the headline: one or two sentences that sell the story.",
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_articles",
        help_text="The photo at the top of the article, on listing cards and social media. "
        "It needs alt text before the article can be published.",
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    tags = TaggableManager(blank=True, help_text="A comma-separated list of tags.")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="A time in the future schedules the article: readers see it from then on.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="articles_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a form carries the version it was opened at, and a save
    # from an older version is refused instead of silently overwriting newer work.
    version = models.PositiveIntegerField(default=0, editable=False)
    # The search document, derived from the article, its tags, sections and quotes
    # whenever they change (articles/search.py); a search only reads it.
    search_tags = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)
    # PostgreSQL only, GIN-indexed by migration 0005 and kept in the row, out of the
    # TOAST table, by migration 0013; NULL on SQLite, which uses FTS5.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_feed_idx"),
            models.Index(
                fields=["category", "status", "-published_at", "-id"],
                name="article_category_feed_idx",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.version += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        with transaction.atomic():
            self._keep_old_url_working()
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:detail", self.category.slug, self.slug)

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.lead_image_missing_alt_text:
            raise ValidationError(
                {"lead_image": ValidationError(MISSING_ALT_TEXT, params={"image": self.lead_image})}
            )

    def _keep_old_url_working(self):
        """Remember the previous slug of an article readers may have linked to."""
        SlugRedirect.objects.filter(old_slug=self.slug).delete()
        if self.pk is None:
            return
        previous = Article.objects.filter(pk=self.pk).values("slug", "published_at").first()
        if previous and previous["slug"] != self.slug and previous["published_at"]:
            SlugRedirect.objects.update_or_create(
                old_slug=previous["slug"], defaults={"article": self}
            )

    def unique_slug(self, wanted=""):
        """`wanted` (the headline's slug when empty) if no other article's address is or
        was that, else the first free of `wanted-2`, `wanted-3`…"""
        base = wanted[:SLUG_BASE_LENGTH].rstrip("-") or self.headline_slug() or "article"
        for first in itertools.count(1, SLUG_BATCH):
            candidates = [
                base if n == 1 else f"{base}-{n}" for n in range(first, first + SLUG_BATCH)
            ]
            taken = self._taken_slugs(candidates)
            for slug in candidates:
                if slug not in taken:
                    return slug

    def headline_slug(self):
        """The slug the headline makes, before any suffix."""
        return slugify(self.headline)[:SLUG_BASE_LENGTH].rstrip("-")

    def slug_taken_by(self, slug):
        """The other article whose address is or was `slug`, or None when it is free."""
        return (
            Article.objects.exclude(pk=self.pk)
            .filter(Q(slug=slug) | Q(slug_redirects__old_slug=slug))
            .only("headline", "slug")
            .first()
        )

    def _taken_slugs(self, candidates):
        # An old slug still takes readers to its article: another one mustn't take it over.
        current = Article.objects.filter(slug__in=candidates).exclude(pk=self.pk)
        old = SlugRedirect.objects.filter(old_slug__in=candidates).exclude(article_id=self.pk)
        return {
            *current.values_list("slug", flat=True),
            *old.values_list("old_slug", flat=True),
        }

    @property
    def byline_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def lead_image_missing_alt_text(self):
        return self.lead_image_id is not None and not self.lead_image.alt_text

    def images_missing_alt_text(self):
        """The lead image and photos that have no alt text: publishing waits for them."""
        if self.pk is None:
            return [self.lead_image] if self.lead_image_missing_alt_text else []
        shown = Q(lead_articles=self) | Q(blocks__article=self)
        return list(Image.objects.filter(shown, alt_text="").distinct().order_by("title"))

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_public(self):
        return Article.objects.published().filter(pk=self.pk).exists()

    @property
    def status_label(self):
        return "Scheduled" if self.is_scheduled else self.get_status_display()

    @cached_property
    def words(self):
        """Words readers read, by the editor's form's rule; needs with_body()'s prefetch."""
        return reading.body_words(self)

    @property
    def reading_minutes(self):
        return reading.reading_minutes(self.words)

    @property
    def is_updated(self):
        """Whether readers should be told the article changed after it went out."""
        if not self.published_at:
            return False
        return self.updated_at - self.published_at > UPDATE_GRACE


class SlugRedirect(models.Model):
    """An article's earlier slug, so links to it keep working after a rename."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
